import Foundation

/// Tells staff in Slack that a new review item waits: a link to the item, its category and urgency.
/// Never the message text, never the author.
public struct SlackNotifier: Sendable {
    let webhookURL: URL
    let consoleURL: String?
    let client: any HTTPClient
    let timeout: TimeInterval
    let attempts: Int

    /// Creates a notifier. `webhookURL` is the incoming-webhook URL (a secret, from the environment).
    public init(webhookURL: URL, consoleURL: String?, client: any HTTPClient, timeout: TimeInterval, attempts: Int = 3) {
        self.webhookURL = webhookURL
        self.consoleURL = consoleURL
        self.client = client
        self.timeout = timeout
        self.attempts = max(1, attempts)
    }

    /// The Slack message for an item: only its id, link, category and urgency, and whether an urgent
    /// item's holding reply could not be sent (then a person must act at once).
    public static func text(queueID: String, category: String?, urgent: Bool, consoleURL: String?, holdingReplyLost: Bool = false) -> String
    {
        var what = urgent ? ":rotating_light: URGENT review item waiting" : "New review item waiting"
        if holdingReplyLost { what += " and its crisis holding reply could NOT be sent: answer now" }
        return "\(what): \(link(queueID: queueID, consoleURL: consoleURL)), category \(escape(category ?? "none"))"
    }

    /// A link to the item in the console, or the command that shows it.
    static func link(queueID: String, consoleURL: String?) -> String {
        guard let consoleURL else { return "`\(escape(queueID))` (bedside queue show \(escape(queueID)))" }
        let base = consoleURL.hasSuffix("/") ? String(consoleURL.dropLast()) : consoleURL
        let id =
            queueID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? queueID
        return "<\(base)/\(id)|\(escape(queueID))>"
    }

    /// The Slack message when an urgent item's holding reply was not delivered: the item's link and
    /// the platform's answer (status and codes only), never the reply or the message.
    public static func holdingFailedText(queueID: String, error: String, consoleURL: String?) -> String {
        ":rotating_light: URGENT: the crisis holding reply for \(link(queueID: queueID, consoleURL: consoleURL)) was NOT delivered "
            + "(\(escape(error))). Reach the writer another way now."
    }

    /// Posts an alert that an urgent item's holding reply failed (see ``holdingFailedText(queueID:error:consoleURL:)``).
    @discardableResult
    public func notifyHoldingFailed(queueID: String, error: String) async -> DeliveryOutcome {
        await post(Self.holdingFailedText(queueID: queueID, error: error, consoleURL: consoleURL))
    }

    /// Posts `{"text": …}` for a new item; retries 408/429/5xx and timeouts a few times, quickly.
    /// Returns the last outcome (never throws: a notification must not stop the queue).
    @discardableResult
    public func notifyNewItem(queueID: String, category: String?, urgent: Bool, holdingReplyLost: Bool = false) async -> DeliveryOutcome {
        await post(
            Self.text(queueID: queueID, category: category, urgent: urgent, consoleURL: consoleURL, holdingReplyLost: holdingReplyLost))
    }

    /// Posts one message, retrying 408/429/5xx and timeouts a few times, quickly.
    func post(_ text: String) async -> DeliveryOutcome {
        let body = (try? JSONSerialization.data(withJSONObject: ["text": text], options: [.sortedKeys])) ?? Data()
        let request = HTTPRequest(
            url: webhookURL, headers: ["Content-Type": "application/json", "User-Agent": "bedside"], body: body, timeout: timeout)
        var outcome = DeliveryOutcome.retry(reason: "not sent")
        for attempt in 1...attempts {
            do {
                let response = try await client.send(request)
                outcome = .of(status: response.status)
            } catch {
                outcome = .retry(reason: error.description)
            }
            guard case .retry = outcome, attempt < attempts else { break }
            try? await Task.sleep(nanoseconds: UInt64(250_000_000 * attempt))
        }
        return outcome
    }

    /// Slack's three control characters.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;")
    }
}
