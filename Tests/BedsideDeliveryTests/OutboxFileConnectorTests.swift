import BedsideCore
import BedsideDelivery
import BedsideStore
import Foundation
import Testing

struct OutboxFileConnectorTests {
    @Test func appendsTheContractsFieldsOneLinePerReply() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-outbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let messages = [
            Message(id: "fb_1", text: "Open Saturday?", platform: "facebook", thread: "post_9"),
            Message(id: "line-2", text: "Parking?"),
        ]
        let store = try await storeWithReplies(messages)
        let settings = DeliverySettings()
        let connector = try Delivery.connector(settings, storeFolder: folder.path, environment: [:])
        #expect(connector.name == "outbox-file")

        let report = try await Deliverer(store: store, connector: connector, retry: RetryPolicy(), lease: 30).drainOnce()

        #expect(report == DeliveryReport(delivered: 2))
        let text = try String(contentsOf: folder.appendingPathComponent("outbox.jsonl"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(text.hasSuffix("\n"))
        try #require(lines.count == 2)
        let entries = try await store.outbox(status: nil)
        for (line, entry) in zip(lines, entries) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(Set(object.keys) == ["message_id", "text", "platform", "thread", "idempotency_key", "queue_id", "kind", "created_at"])
            #expect(object["message_id"] as? String == entry.messageID)
            #expect(object["text"] as? String == entry.text)
            #expect(object["idempotency_key"] as? String == entry.idempotencyKey)
            #expect(object["kind"] as? String == "reply")
            #expect((object["created_at"] as? String)?.hasSuffix("Z") == true)
        }
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(second["platform"] is NSNull)
        #expect(second["thread"] is NSNull)
        #expect(try await store.outbox(status: .sent).count == 2)
    }

    @Test func anUnwritableOutboxIsRetriedNotLost() async throws {
        let store = try await storeWithReplies([Message(id: "fb_1", text: "Open Saturday?")])
        let connector = OutboxFileConnector(path: "/nonexistent-bedside-folder/outbox.jsonl")
        let report = try await Deliverer(store: store, connector: connector, retry: quickRetry(attempts: 3), lease: 30).drainOnce()
        #expect(report == DeliveryReport(retrying: 1))
        #expect(try await onlyEntry(store).lastError?.contains("cannot open the outbox file") == true)
    }
}
