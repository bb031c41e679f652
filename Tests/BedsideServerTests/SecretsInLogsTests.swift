import BedsideCore
import BedsideStore
import Foundation
import Testing

@testable import BedsideServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// No secret reaches the log at any level: a real `bedside serve` at trace level,
/// every secret configured and used, then its whole log searched for each of them.
@Suite(.serialized)
struct SecretsInLogsTests {
    static let staffToken = "bst_staff-token-that-must-never-be-logged"
    static let secrets = [
        "BEDSIDE_META_APP_SECRET": "meta-app-secret-never-logged",
        "BEDSIDE_META_VERIFY_TOKEN": "meta-verify-token-never-logged",
        "BEDSIDE_META_PAGE_TOKEN": "EAAGpagetokenNeverLogged123",
        "BEDSIDE_SLACK_WEBHOOK_URL": "http://127.0.0.1:9/services/T000/B000/slackSecretPath",
        "BEDSIDE_OUTBOUND_SECRET": "whsec_b3V0Ym91bmQtc2VjcmV0LW5ldmVyLWxvZ2dlZA==",
    ]

    static func configure(_ folder: URL, delivery: String) throws {
        let config = folder.appendingPathComponent("bedside.yaml")
        var text = try String(contentsOf: config, encoding: .utf8)
        let digest = StaffToken.hash(staffToken)
        text += """

            server:
              delivery_interval: 0.2
            tokens:
              - {name: sam, role: reviewer, sha256: \(digest)}
            delivery:
            \(delivery)
              slack:
                console_url: http://127.0.0.1:9/review

            """
        try text.write(to: config, atomically: true, encoding: .utf8)
    }

    static let meta = """
          connector: meta
          meta:
            graph_url: http://127.0.0.1:9/v24.0
            page_id: "1234567"
        """
    static let webhook = """
          connector: webhook
          webhook:
            url: http://127.0.0.1:9/hooks/outboundUrlSecretPath
        """

    static func get(_ url: String, headers: [String: String] = [:]) async -> Int {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 5
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let response = try? await URLSession.shared.data(for: request)
        return (response?.1 as? HTTPURLResponse)?.statusCode ?? 0
    }

    @Test(arguments: ["meta", "webhook"])
    func noSecretIsLoggedAtTraceLevel(connector: String) async throws {
        let folder = try ServeProcess.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.configure(folder, delivery: connector == "meta" ? Self.meta : Self.webhook)
        let server = try ServeProcess(folder: folder, arguments: ["--log-level", "trace"], environment: Self.secrets)
        let base = "http://127.0.0.1:\(server.port)"
        let body = #"{"id":"sec_1","text":"I want to kill myself tonight","author":"anon","platform":"facebook","thread":"post_1"}"#
        #expect(await server.post(body, webhookID: "msg_sec_1").0 == 200)
        let verify = Self.secrets["BEDSIDE_META_VERIFY_TOKEN"]!
        #expect(await Self.get("\(base)/v1/webhooks/meta?hub.mode=subscribe&hub.verify_token=\(verify)&hub.challenge=42") == 200)
        #expect(await Self.get("\(base)/v1/queue", headers: ["Authorization": "Bearer \(Self.staffToken)"]) == 200)
        #expect(await Self.get("\(base)/v1/queue", headers: ["Authorization": "Bearer bst_wrong-\(Self.staffToken)"]) == 401)
        try await Task.sleep(for: .seconds(1.5))  // delivery passes fail against the closed port, and are logged
        server.signal(SIGHUP)
        await server.waitForLog("rulebook reload")
        server.signal(SIGTERM)
        _ = server.wait()
        let log = server.stderr
        #expect(log.contains("\"level\":\"trace\"") || log.contains("\"level\":\"debug\""), "the log ran at trace level")
        var secrets = Array(Self.secrets.values) + [Self.staffToken, Fixture.secret, String(Fixture.secret.dropFirst(6))]
        secrets.append("slackSecretPath")
        secrets.append("outboundUrlSecretPath")
        for secret in secrets {
            #expect(!log.contains(secret), "the log holds a secret (\(secret.prefix(8))…)")
        }
    }
}
