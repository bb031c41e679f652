import BedsideCore
import BedsideStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BedsideServer

/// A repeated webhook-id does nothing again, whatever the body holds (README.md, "A generic integration"),
/// with a real SQLite file and with the memory store.
@Suite(.serialized)
struct WebhookDeliveryDedupTests {
    static let crisis = "I have taken 40 pills and want to die"

    static func sqliteStore() throws -> SQLiteReviewStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-dedup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try SQLiteReviewStore(path: folder.appendingPathComponent("bedside.sqlite").path)
    }

    @Test(arguments: ["line-42", "msg_2p9xq"])
    func identicalDeliveriesWithoutAnIdMakeOneItem(webhookID: String) async throws {
        let store = try Self.sqliteStore()
        try await Fixture.withServer(store: store) { client in
            let body = Fixture.message(Self.crisis)
            var answers: [String] = []
            for _ in 0..<3 {
                let response = try await client.execute(
                    uri: "/v1/messages", method: .post, headers: Fixture.signed(body, id: webhookID), body: ByteBuffer(string: body))
                #expect(response.status == .ok)
                answers.append(String(buffer: response.body))
            }
            #expect(Set(answers).count == 1)
            #expect(Fixture.json(ByteBuffer(string: answers[0]))["id"] as? String == webhookID)
            #expect(try await store.items(ReviewFilter()).count == 1)
            #expect(try await store.outbox(status: nil).count == 1, "one holding reply")
        }
    }

    @Test func aRepeatedWebhookIdIsTheFirstDeliveryWhateverTheBodyHolds() async throws {
        for store in [try Self.sqliteStore() as any ReviewStore, MemoryReviewStore()] {
            try await Fixture.withServer(store: store) { client in
                let first = Fixture.message(Self.crisis, id: "fb_first")
                let second = Fixture.message(Self.crisis, id: "fb_second")
                let a = try await client.execute(
                    uri: "/v1/messages", method: .post, headers: Fixture.signed(first, id: "msg_same"), body: ByteBuffer(string: first))
                let b = try await client.execute(
                    uri: "/v1/messages", method: .post, headers: Fixture.signed(second, id: "msg_same"), body: ByteBuffer(string: second))
                #expect(String(buffer: a.body) == String(buffer: b.body))
                #expect(Fixture.json(b.body)["id"] as? String == "fb_first")
                #expect(try await store.items(ReviewFilter()).count == 1)
                #expect(try await store.decision(for: "fb_second") == nil)
            }
        }
    }

    @Test func theSameMessageUnderANewWebhookIdIsStillDecidedOnce() async throws {
        let store = try Self.sqliteStore()
        try await Fixture.withServer(store: store) { client in
            let body = Fixture.message(Self.crisis, id: "fb_once")
            for webhookID in ["msg_a", "msg_b", "msg_a"] {
                let response = try await client.execute(
                    uri: "/v1/messages", method: .post, headers: Fixture.signed(body, id: webhookID), body: ByteBuffer(string: body))
                #expect(response.status == .ok)
            }
            #expect(try await store.items(ReviewFilter()).count == 1)
        }
    }
}
