import BedsideCore
import BedsideStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BedsideServer

/// The smaller server behaviours, on a live server.
struct ServerEdgeTests {
    /// A signature over `<ts>` does not sign `webhook-timestamp: 0<ts>`: the header is verified as sent.
    @Test func aPaddedTimestampIsRefused() async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            let body = Fixture.message(Fixture.hoursText, id: "ts_1")
            var headers = Fixture.signed(body, id: "msg_ts")
            let sent = try #require(headers[HTTPField.Name("webhook-timestamp")!])
            headers[HTTPField.Name("webhook-timestamp")!] = "0" + sent
            let response = try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .unauthorized)
            #expect(try await store.decision(for: "ts_1") == nil)
        }
    }

    /// A signed POST whose text and author hold U+0000 is stored whole, in a real SQLite file, and
    /// ids that differ only after a NUL are refused rather than taken for one.
    @Test func aNULIsStoredWholeAndNeverMakesTwoIdsOne() async throws {
        let store = try WebhookDeliveryDedupTests.sqliteStore()
        try await Fixture.withServer(store: store) { client in
            let text = "Thanks for the lovely care today\u{0} I have taken 40 pills and want to die"
            let body = Fixture.message(text, id: "nul_1", author: "ev\u{0}il")
            let response = try await client.execute(
                uri: "/v1/messages", method: .post, headers: Fixture.signed(body), body: ByteBuffer(string: body))
            let queueID = try #require(Fixture.json(response.body)["queue_id"] as? String)
            let item = try #require(try await store.item(queueID))
            #expect(item.text == text)
            #expect(item.author == "ev\u{0}il")
            let holding = try #require(try await store.outbox(status: nil).first?.text)
            #expect(
                holding.contains("999") && holding.hasSuffix("as soon as possible.") && !holding.contains("\u{0}"),
                "\(holding.debugDescription)")
            for id in ["z\u{0}2", "z\u{0}3"] {
                let body = Fixture.message(Fixture.hoursText, id: id)
                let refused = try await client.execute(
                    uri: "/v1/messages", method: .post, headers: Fixture.signed(body), body: ByteBuffer(string: body))
                #expect(refused.status == .badRequest)
                #expect(Fixture.json(refused.body)["error"] as? String == "invalid-id")
            }
        }
    }

    /// A webhook-id may become the message id, so it follows the same rule as an id in the body.
    @Test func aWebhookIdWithAControlCharacterIsRefused() async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            let body = Fixture.message(Fixture.hoursText)
            let response = try await client.execute(
                uri: "/v1/messages", method: .post, headers: Fixture.signed(body, id: "msg\t1"), body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            #expect(Fixture.json(response.body)["error"] as? String == "invalid-webhook-id")
            #expect(try await store.decision(for: "msg\t1") == nil)
        }
    }

    @Test func commitTimesAreRecorded() async throws {
        try await Fixture.withServer(store: MemoryReviewStore()) { client in
            let body = Fixture.message(Fixture.hoursText, id: "cm_1")
            _ = try await client.execute(uri: "/v1/messages", method: .post, headers: Fixture.signed(body), body: ByteBuffer(string: body))
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            let count = metrics.split(separator: "\n").first { $0.hasPrefix("bedside_commit_seconds_count") }
            #expect(count.map { !$0.hasSuffix(" 0") } == true, "\(count ?? "no bedside_commit_seconds_count")")
        }
    }
}
