import BedsideCore
import BedsideDelivery
import Foundation
import Testing
import Yams

struct DeliverySettingsTests {
    func parse(_ yaml: String) throws -> DeliverySettings {
        let root = try #require(try Yams.compose(yaml: yaml))
        let node = try #require(root.mapping?["delivery"])
        return try DeliverySettings.parse(node, path: "bedside.yaml")
    }

    func diagnostics(_ yaml: String) throws -> [String] {
        do {
            _ = try parse(yaml)
            return []
        } catch let error as LoadError {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func readsEverySection() throws {
        let settings = try parse(
            """
            delivery:
              connector: meta
              outbox: /var/lib/bedside/outbox.jsonl
              webhook: {url: "https://hooks.example/bedside", secret_env: HOOK_SECRET}
              meta: {graph_url: "https://graph.facebook.com/v20.0", page_id: "4455", token_env: PAGE_TOKEN}
              slack: {webhook_url_env: SLACK_URL, console_url: "https://bedside.example/review"}
              retry: {attempts: 4, base: 500ms, max: 10m}
              timeout: 7s
            """)
        #expect(settings.connector == .meta)
        #expect(settings.outbox == "/var/lib/bedside/outbox.jsonl")
        #expect(settings.webhook == .init(url: URL(string: "https://hooks.example/bedside")!, secretEnv: "HOOK_SECRET"))
        #expect(settings.meta == .init(graphURL: URL(string: "https://graph.facebook.com/v20.0")!, pageID: "4455", tokenEnv: "PAGE_TOKEN"))
        #expect(settings.slack == .init(webhookURLEnv: "SLACK_URL", consoleURL: "https://bedside.example/review"))
        #expect(settings.retry == RetryPolicy(attempts: 4, base: 0.5, max: 600))
        #expect(settings.timeout == 7)
    }

    @Test func defaultsToTheOutboxFile() throws {
        let settings = try parse("delivery:\n")
        #expect(settings == DeliverySettings())
        #expect(settings.connector == .outboxFile)
        #expect(Delivery.outboxPath(settings, storeFolder: "/srv/practice") == "/srv/practice/outbox.jsonl")
    }

    @Test func reportsEveryProblemWithItsLocation() throws {
        let found = try diagnostics(
            """
            delivery:
              conector: webhook
              retry: {attempts: 0, bse: 2s}
              timeout: soon
            """)
        #expect(
            found == [
                "bedside.yaml:2:3: error: unknown key 'conector' in 'delivery'; did you mean 'connector'?",
                "bedside.yaml:3:21: error: delivery.retry.attempts must be a whole number from 1 to 100, not '0'",
                "bedside.yaml:3:24: error: unknown key 'bse' in 'delivery.retry'; did you mean 'base'?",
                "bedside.yaml:4:12: error: delivery.timeout: 'soon' does not start with a number (a duration is a number and a unit: ms, s, m, h, d or w, as in 500ms, 10s, 30m, 2h, 3d, 1w)",
            ])
    }

    /// The same reading as every flag: a bare number is refused, not taken for seconds.
    @Test func aDurationWithoutAUnitIsRefused() throws {
        let found = try diagnostics("delivery:\n  timeout: 10\n")
        #expect(
            found == [
                "bedside.yaml:2:12: error: delivery.timeout: '10' has no unit; write 10s, 10m, 10h or 10d (a duration is a number and a unit: ms, s, m, h, d or w, as in 500ms, 10s, 30m, 2h, 3d, 1w)"
            ])
    }

    @Test func aConnectorNeedsItsSection() throws {
        let found = try diagnostics("delivery:\n  connector: webhok\n")
        #expect(
            found == [
                "bedside.yaml:2:14: error: delivery.connector must be one of outbox-file, webhook, meta, not 'webhok'; did you mean 'webhook'?"
            ])
        let missing = try diagnostics("delivery:\n  connector: webhook\n")
        #expect(missing == ["bedside.yaml:2:14: error: connector 'webhook' needs a 'webhook' section with 'url' (and 'secret_env')"])
    }

    @Test func aSecretPastedIntoTheFileIsRefusedWithoutQuotingIt() throws {
        let found = try diagnostics(
            "delivery:\n  webhook: {url: \"https://h.example/x\", secret_env: \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw=\"}\n")
        #expect(found.count == 1)
        #expect(found.first?.contains("must name an environment variable") == true)
        #expect(found.first?.contains("MfKQ9r8") == false)
    }

    @Test func connectorsReadSecretsFromTheEnvironmentOnly() throws {
        var settings = DeliverySettings()
        settings.connector = .webhook
        settings.webhook = .init(url: URL(string: "https://h.example/x")!, secretEnv: "TEST_HOOK_SECRET")
        do {
            _ = try Delivery.connector(settings, storeFolder: "/tmp", environment: [:])
            Issue.record("a missing secret was accepted")
        } catch {
            #expect(
                error.description
                    == "$TEST_HOOK_SECRET is not set: it must hold the webhook signing secret (whsec_…); secrets come from the environment only"
            )
        }
        let connector = try Delivery.connector(settings, storeFolder: "/tmp", environment: ["TEST_HOOK_SECRET": vectorSecret])
        #expect(connector.name == "webhook")
    }
}

/// The Graph API version Bedside uses by default is one Meta still serves.
struct GraphVersionTests {
    /// Versions Meta has retired by December 2026 (each is served about two years after release).
    static let retired = (2...20).map { "v\($0).0" }

    @Test func theDefaultGraphVersionIsNotRetired() throws {
        let version = DeliverySettings.Meta.defaultGraphURL.lastPathComponent
        #expect(version.hasPrefix("v"))
        #expect(!Self.retired.contains(version), "\(version) is retired")
        #expect(DeliverySettings.Meta().graphURL == DeliverySettings.Meta.defaultGraphURL)
        let root = try #require(try Yams.compose(yaml: "delivery:\n  connector: meta\n  meta: {page_id: \"1\"}\n"))
        let settings = try DeliverySettings.parse(try #require(root.mapping?["delivery"]), path: "bedside.yaml")
        #expect(settings.meta?.graphURL.lastPathComponent == version)
    }
}
