import BedsideStore
import Foundation
import Testing

@testable import BedsideDelivery

/// Whatever describes a connector, a signer or a notifier — string interpolation (as a service
/// name in a log), `String(reflecting:)`, `dump` — sees no secret.
struct RedactedTests {
    static let token = "EAAGpagetokenNeverLogged123"
    static let secret = "whsec_b3V0Ym91bmQtc2VjcmV0LW5ldmVyLWxvZ2dlZA=="
    static let hookURL = URL(string: "https://hooks.example/outboundUrlSecretPath")!
    static let slackURL = URL(string: "https://hooks.slack.example/services/T0/B0/slackSecretPath")!

    static func descriptions(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return ["\(value)", String(reflecting: value), dumped]
    }

    @Test func connectorsSignersAndNotifiersDescribeThemselvesWithoutSecrets() throws {
        let client = CurlClient()
        let meta = MetaConnector(
            graphURL: URL(string: "https://graph.facebook.com/v24.0")!, pageID: "1", token: Self.token, client: client, timeout: 5)
        let webhook = try WebhookConnector(url: Self.hookURL, secret: Self.secret, client: client, timeout: 5)
        let slack = SlackNotifier(webhookURL: Self.slackURL, consoleURL: nil, client: client, timeout: 5)
        let signer = try StandardWebhooks(secret: Self.secret)
        let deliverer = Deliverer(store: MemoryReviewStore(), connector: meta, retry: RetryPolicy(), lease: 30)
        let values: [Any] = [meta, webhook, slack, signer, deliverer, [meta] as [any Connector]]
        for value in values {
            for text in Self.descriptions(value) {
                for secret in [Self.token, Self.secret, String(Self.secret.dropFirst(6)), "outboundUrlSecretPath", "slackSecretPath"] {
                    #expect(!text.contains(secret), "\(type(of: value)) shows a secret: \(text.prefix(120))")
                }
            }
        }
    }
}
