import BedsideCore
import BedsideStore
import Foundation
import Testing

/// A crisis holding reply that the platform refused is never shown as sent: `queue show` says what
/// happened, staff are alerted, and `bedside deliver --retry KEY` resends it.
/// Through the built executable, a real SQLite store and stand-ins for Meta and Slack.
@Suite(.serialized)
struct HoldingReplyFailureTests {
    static let crisis = "I have taken 40 pills and want to die"

    /// Decides `messages` with the practice's own rulebook and records them, as `bedside run` does.
    static func record(_ messages: [Message], in folder: URL, store: SQLiteReviewStore) async throws -> [String] {
        let rulebook = try Rulebook.load(try RulebookFiles.read(configuration: folder.appendingPathComponent("bedside.yaml").path))
        let classifier = Classifier(rulebook: rulebook)
        var queueIDs: [String] = []
        for message in messages {
            let recorded = try await store.record(classifier.decide(message), for: message)
            #expect(recorded.decision.urgent && recorded.decision.reply != nil, "an urgent item with a holding reply")
            queueIDs.append(try #require(recorded.decision.queueID))
        }
        return queueIDs
    }

    static func run(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) async throws -> (Int32, String, String) {
        let (process, out, err) = try DeliverCommandTests.launch(
            arguments + ["--config", "bedside.yaml"], in: folder, environment: environment)
        #expect(await DeliverCommandTests.wait(process, timeout: 60))
        return (process.terminationStatus, DeliverCommandTests.text(out), DeliverCommandTests.text(err))
    }

    @Test func aRefusedHoldingReplyIsShownFailedAlertedAndCanBeResent() async throws {
        let standIn = try StandIn(routes: [
            "/graph": [
                ["status": 400, "body": #"{"error":{"type":"OAuthException","code":100}}"#], ["status": 200, "body": #"{"id":"c_1"}"#],
            ],
            "/slack": [["status": 200, "body": "ok"]],
        ])
        let delivery = """
            delivery:
              connector: meta
              meta: {graph_url: "\(standIn.url("/graph").absoluteString)", page_id: "1234"}
              slack: {console_url: "https://bedside.example/review"}
            """
        let (folder, store) = try await DeliverCommandTests.practice(delivery: delivery, replies: 0)
        let environment = ["BEDSIDE_META_PAGE_TOKEN": "page-token", "BEDSIDE_SLACK_WEBHOOK_URL": standIn.url("/slack/hook").absoluteString]
        let ids = try await Self.record(
            [Message(id: "c_1", text: Self.crisis, author: "sam", platform: "facebook", thread: "post_1")], in: folder, store: store)

        let (status, _, err) = try await Self.run(["deliver"], in: folder, environment: environment)
        #expect(status == 1, "a holding reply that did not go out is not a success")
        #expect(
            err.contains(
                "URGENT: the holding reply for \(ids[0]) was not delivered (attempt 1: HTTP 400 (OAuthException code 100); not retried)"),
            "\(err)")
        let alert = try #require(standIn.requests().first { $0.path.hasPrefix("/slack") }?.json?["text"] as? String)
        #expect(alert.contains("NOT delivered"))
        #expect(alert.contains("<https://bedside.example/review/\(ids[0])|\(ids[0])>"))
        #expect(!alert.contains("pills") && !alert.contains("sam"))

        let (_, shown, _) = try await Self.run(["queue", "show", ids[0]], in: folder)
        #expect(!shown.contains("holding reply sent"))
        #expect(shown.contains("holding reply: FAILED, not sent (attempt 1: HTTP 400 (OAuthException code 100); not retried)"), "\(shown)")
        #expect(shown.contains("holding reply not delivered"), "the history records the failure")

        let key = try #require(try await store.deliveries(forItem: ids[0]).first?.idempotencyKey)
        #expect(shown.contains("bedside deliver --retry \(key)"))
        let (again, _, againErr) = try await Self.run(["deliver", "--retry", key, "--as", "ana"], in: folder, environment: environment)
        #expect(again == 0, "\(againErr)")
        #expect(againErr.contains("1 delivered"))
        let (_, after, _) = try await Self.run(["queue", "show", ids[0]], in: folder)
        #expect(after.contains("holding reply: sent"), "\(after)")
        #expect(after.contains("ana  resent"))
        let (twice, _, twiceErr) = try await Self.run(["deliver", "--retry", key], in: folder, environment: environment)
        #expect(twice == 1)
        #expect(twiceErr.contains("was already delivered; only a failed reply can be resent"))
    }

    @Test func aPlatformTheConnectorCannotReachIsAFailureNotASend() async throws {
        let standIn = try StandIn(routes: ["/graph": [["status": 200, "body": #"{"id":"c_1"}"#]]])
        let delivery = "delivery:\n  connector: meta\n  meta: {graph_url: \"\(standIn.url("/graph").absoluteString)\", page_id: \"1234\"}\n"
        let (folder, store) = try await DeliverCommandTests.practice(delivery: delivery, replies: 0)
        let ids = try await Self.record([Message(id: "x_1", text: Self.crisis, platform: "x", thread: "t_1")], in: folder, store: store)
        let (status, _, err) = try await Self.run(["deliver"], in: folder, environment: ["BEDSIDE_META_PAGE_TOKEN": "page-token"])
        #expect(status == 1)
        #expect(err.contains("no Meta reply endpoint for platform 'x'"))
        let (_, shown, _) = try await Self.run(["queue", "show", ids[0]], in: folder)
        #expect(
            shown.contains("holding reply: FAILED, not sent (attempt 1: no Meta reply endpoint for platform 'x'; not retried)"), "\(shown)")
        #expect(standIn.requests().isEmpty)
    }
}
