import BedsideStore
import Foundation

/// POSTs each reply as JSON to one HTTPS endpoint, signed per Standard Webhooks.
///
/// Headers: `webhook-id` and `Idempotency-Key` (both the entry's idempotency key, the same on every
/// attempt), `webhook-timestamp` (the attempt's Unix time) and `webhook-signature`. The body is
/// ``ReplyPayload``. The receiver must deduplicate by `webhook-id`.
public struct WebhookConnector: Connector {
    /// The connector's name in settings and logs.
    public var name: String { "webhook" }
    let url: URL
    let signer: StandardWebhooks
    let client: any HTTPClient
    let timeout: TimeInterval
    let clock: @Sendable () -> Date

    /// Creates a connector. `secret` is the `whsec_…` value (from the environment).
    public init(url: URL, secret: String, client: any HTTPClient, timeout: TimeInterval, clock: @escaping @Sendable () -> Date = Date.init)
        throws(ConnectorSetupError)
    {
        do {
            signer = try StandardWebhooks(secret: secret)
        } catch {
            throw ConnectorSetupError("the webhook signing secret is not valid: \(error)")
        }
        self.url = url
        self.client = client
        self.timeout = timeout
        self.clock = clock
    }

    /// Posts the reply, signed, to the configured URL.
    public func deliver(_ entry: OutboxEntry) async -> DeliveryOutcome {
        let body = ReplyPayload(entry).json()
        var headers = signer.headers(id: entry.idempotencyKey, timestamp: Int(clock().timeIntervalSince1970), body: body)
        headers["Idempotency-Key"] = entry.idempotencyKey
        headers["Content-Type"] = "application/json"
        headers["User-Agent"] = "bedside"
        do {
            let response = try await client.send(HTTPRequest(url: url, headers: headers, body: body, timeout: timeout))
            return .of(status: response.status)
        } catch {
            return .retry(reason: error.description)
        }
    }
}
