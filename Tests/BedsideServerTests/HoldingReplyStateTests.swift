import BedsideCore
import BedsideStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BedsideServer

/// The review API and console say what became of a holding reply, and resend a failed one; a
/// Slack link `/review/ID` opens the console. On a live server.
struct HoldingReplyStateTests {
    static let crisis = "I have taken 40 pills and want to die"

    /// Posts an urgent message and dead-letters its holding reply as a refusing platform would.
    static func failedHolding(_ client: any TestClientProtocol, store: MemoryReviewStore) async throws -> (queueID: String, key: String) {
        let body = Fixture.message(crisis, id: "fb_h1")
        let posted = try await client.execute(
            uri: "/v1/messages", method: .post, headers: Fixture.signed(body), body: ByteBuffer(string: body))
        let queueID = try #require(Fixture.json(posted.body)["queue_id"] as? String)
        let entry = try #require(try await store.claimDeliveries(now: Date(), limit: 10, lease: 30).first)
        #expect(entry.kind == "holding")
        try await store.markAttemptFailed(entry.idempotencyKey, error: "attempt 1: HTTP 400; not retried", retryAt: nil)
        return (queueID, entry.idempotencyKey)
    }

    @Test func theAPIShowsAFailedHoldingReplyAndResendsIt() async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            let (queueID, key) = try await Self.failedHolding(client, store: store)
            let token = ReviewAPITests.bearer(Fixture.reviewerToken)
            let shown = Fixture.json(try await client.execute(uri: "/v1/queue/\(queueID)", method: .get, headers: token).body)
            let deliveries = try #require(shown["deliveries"] as? [[String: Any]])
            #expect(deliveries.count == 1)
            #expect(deliveries[0]["kind"] as? String == "holding")
            #expect(deliveries[0]["state"] as? String == "failed")
            #expect(deliveries[0]["last_error"] as? String == "attempt 1: HTTP 400; not retried")
            #expect(deliveries[0]["key"] as? String == key)
            let history = try #require(shown["history"] as? [[String: Any]])
            #expect(history.contains { ($0["note"] as? String)?.hasPrefix("holding reply not delivered") == true })

            let retried = try await client.execute(uri: "/v1/outbox/\(key)/retry", method: .post, headers: token)
            #expect(retried.status == .ok)
            #expect(Fixture.json(retried.body)["state"] as? String == "queued")
            #expect(try await store.outbox(status: .pending).map(\.idempotencyKey) == [key])
            #expect(try await store.history(queueID).last?.actor == "sam")
            let again = try await client.execute(uri: "/v1/outbox/\(key)/retry", method: .post, headers: token)
            #expect(again.status == .conflict)
            #expect(Fixture.json(again.body)["error"] as? String == "not-failed")
            let unknown = try await client.execute(uri: "/v1/outbox/nope/retry", method: .post, headers: token)
            #expect(unknown.status == .notFound)
            let anonymous = try await client.execute(uri: "/v1/outbox/\(key)/retry", method: .post)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func aSlackLinkToAnItemOpensTheConsole() async throws {
        try await Fixture.withServer(store: MemoryReviewStore()) { client in
            let response = try await client.execute(uri: "/review/q_7xz0300n", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentSecurityPolicy] == ReviewConsoleController.contentSecurityPolicy)
            #expect(String(buffer: response.body) == ReviewConsolePage.html(timeZone: Fixture.rulebook.practice.timeZone.identifier))
        }
    }

    /// The console's own helpers, run in Node: invisible characters shown, `/review/ID` read, a
    /// failed holding reply never called sent, urgent and new items first.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/node"), "needs node"))
    func theConsoleHelpersBehave() throws {
        let checks = #"""
            const assert = require("assert");
            assert.strictEqual(visible("ev\u202eil\u0000x\u200by"), "ev\u27e8U+202E\u27e9il\u27e8U+0000\u27e9x\u27e8U+200B\u27e9y");
            assert.strictEqual(visible("two\nlines\tand tab"), "two\nlines\tand tab");
            assert.strictEqual(visible(null), null);
            assert.strictEqual(itemFromPath("/review/q_7xz0300n"), "q_7xz0300n");
            assert.strictEqual(itemFromPath("/review"), null);
            assert.strictEqual(itemFromPath("/review/"), null);
            assert.ok(deliveryText({state: "failed", last_error: "attempt 1: HTTP 400; not retried"}).startsWith("FAILED, not sent (attempt 1: HTTP 400"));
            assert.strictEqual(deliveryText({state: "sent"}), "Sent.");
            assert.ok(!/sent\./i.test(deliveryText({state: "queued"}).replace("not sent yet", "")));
            const items = [{id: "a", urgent: false, created_at: "2026-11-30T10:00:00Z"}, {id: "b", urgent: true, created_at: "2026-11-30T09:00:00Z"},
                           {id: "c", urgent: true, created_at: "2026-11-30T11:00:00Z"}];
            assert.deepStrictEqual(items.sort(queueOrder).map(i => i.id), ["c", "b", "a"]);
            assert.strictEqual(localTime("2026-07-01T14:30:00Z", "Europe/London"), "2026-07-01 15:30 BST");
            assert.strictEqual(localTime("2026-12-01T14:30:00Z", "Europe/London"), "2026-12-01 14:30 GMT");
            assert.strictEqual(localTime("2026-07-01T14:30:00Z", "UTC"), "2026-07-01 14:30 UTC");
            assert.strictEqual(localTime("not a time", "UTC"), "not a time");
            console.log("ok");
            """#
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let helpers = folder.appendingPathComponent("helpers.js"), page = folder.appendingPathComponent("page.js")
        try (ReviewConsolePage.helpers + "\n" + checks).write(to: helpers, atomically: true, encoding: .utf8)
        try ReviewConsolePage.script.write(to: page, atomically: true, encoding: .utf8)
        #expect(ReviewConsolePage.script.contains(ReviewConsolePage.helpers))
        for (arguments, expected) in [(["node", helpers.path], "ok\n"), (["node", "--check", page.path], "")] {
            let result = ReviewConsoleTests.run(arguments)
            #expect(result.status == 0 && result.output == expected, "\(arguments.last!): \(result.output)")
        }
    }
}
