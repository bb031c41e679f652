import BedsideStore
import Foundation

/// Replies through the Meta Graph API.
///
/// How an outbox entry maps to a request:
///
/// | `platform` | request | body |
/// | --- | --- | --- |
/// | `facebook` | `POST {graph}/{message_id}/comments` | `{"message": text}` |
/// | `instagram` | `POST {graph}/{message_id}/replies` | `{"message": text}` |
/// | `messenger` | `POST {graph}/{page_id}/messages` | `{"recipient": {"id": thread}, "messaging_type": "RESPONSE", "message": {"text": text}}` |
/// | `instagram`, `thread` = `direct:ID` | `POST {graph}/{page_id}/messages` | as Messenger, to `ID` |
///
/// `message_id` is the Graph comment id as Meta delivered it; for Messenger, `thread` is the sender's
/// page-scoped id. Anything else (another platform, a missing id) is a permanent failure. The page
/// token goes in `Authorization: Bearer`. The Graph API has no idempotency key: a request that timed
/// out after Meta accepted it may post twice on retry (Bedside sends `Idempotency-Key` anyway).
public struct MetaConnector: Connector {
    /// The connector's name in settings and logs.
    public var name: String { "meta" }
    let graphURL: URL
    let pageID: String?
    let token: String
    let client: any HTTPClient
    let timeout: TimeInterval

    /// Creates a connector. `token` is the page access token (from the environment).
    public init(graphURL: URL, pageID: String?, token: String, client: any HTTPClient, timeout: TimeInterval) {
        self.graphURL = graphURL
        self.pageID = pageID
        self.token = token
        self.client = client
        self.timeout = timeout
    }

    /// The request for an entry, or why there can be none.
    public func request(for entry: OutboxEntry) -> Result<HTTPRequest, ConnectorSetupError> {
        let body: [String: Any]
        let url: URL
        let platform = entry.platform?.lowercased()
        let direct = platform == "messenger" || platform == "instagram" && entry.thread?.hasPrefix(Self.instagramDirect) == true
        switch direct ? "messages" : platform {
        case "facebook", "instagram":
            guard let id = Self.pathSegment(Self.commentID(entry.messageID)) else {
                return .failure(ConnectorSetupError("message id is not a Graph comment id"))
            }
            url = graphURL.appendingPathComponent(id).appendingPathComponent(platform == "facebook" ? "comments" : "replies")
            body = ["message": entry.text]
        case "messages":
            guard let pageID, let page = Self.pathSegment(pageID) else {
                return .failure(ConnectorSetupError("\(platform ?? "direct") reply needs delivery.meta.page_id"))
            }
            var recipient = entry.thread ?? ""
            if recipient.hasPrefix(Self.instagramDirect) { recipient.removeFirst(Self.instagramDirect.count) }
            guard !recipient.isEmpty else {
                return .failure(ConnectorSetupError("\(platform ?? "direct") reply needs the sender id in thread"))
            }
            url = graphURL.appendingPathComponent(page).appendingPathComponent("messages")
            body = ["recipient": ["id": recipient], "messaging_type": "RESPONSE", "message": ["text": entry.text]]
        default:
            return .failure(ConnectorSetupError("no Meta reply endpoint for platform '\(entry.platform ?? "none")'"))
        }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        let headers = [
            "Authorization": "Bearer \(token)", "Content-Type": "application/json",
            "Idempotency-Key": entry.idempotencyKey, "User-Agent": "bedside",
        ]
        return .success(HTTPRequest(url: url, headers: headers, body: data, timeout: timeout))
    }

    /// Sends the reply through the Graph API route of the message's platform.
    public func deliver(_ entry: OutboxEntry) async -> DeliveryOutcome {
        let request: HTTPRequest
        switch self.request(for: entry) {
        case .success(let value): request = value
        case .failure(let error): return .permanent(reason: error.description)
        }
        do {
            let response = try await client.send(request)
            let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
            if (200..<300).contains(response.status) {
                let id = (object?["id"] as? String) ?? (object?["message_id"] as? String)
                return .of(status: response.status, delivered: id.map { "HTTP \(response.status) id \($0)" })
            }
            return .of(status: response.status, detail: Self.errorSummary(object))
        } catch {
            return .retry(reason: error.description)
        }
    }

    /// `OAuthException code 190` from a Graph error body: its type and codes, never its prose.
    static func errorSummary(_ object: [String: Any]?) -> String? {
        guard let error = object?["error"] as? [String: Any] else { return nil }
        var parts: [String] = []
        if let type = error["type"] as? String, type.count <= 40, type.allSatisfy({ $0.isLetter || $0.isNumber }) { parts.append(type) }
        if let code = error["code"] as? Int { parts.append("code \(code)") }
        if let sub = error["error_subcode"] as? Int { parts.append("subcode \(sub)") }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// The Graph comment id of a message id: an edited comment is decided under
    /// `COMMENT_ID@edit-HASH` and a mention under `ID@mention` (see BedsideServer's MetaEvents), but
    /// the reply goes to the comment or post itself.
    static func commentID(_ messageID: String) -> String {
        guard let at = messageID.firstIndex(of: "@") else { return messageID }
        return String(messageID[..<at])
    }

    /// How an Instagram direct message's `thread` starts (`direct:` and the sender's id): its reply
    /// goes through the page's messages, like Messenger's, not under a comment.
    static let instagramDirect = "direct:"

    /// An id safe to put in a URL path: letters, digits, `_`, `-`, `.` only.
    static func pathSegment(_ id: String) -> String? {
        guard !id.isEmpty, id != ".", id != "..", id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }) else {
            return nil
        }
        return id
    }
}
