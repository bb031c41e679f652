import BedsideCore
import BedsideStore
import Foundation
import Testing

@testable import BedsideDelivery

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

/// The outbox file is written batch by batch: one append and one sync, one transaction marking all.
struct OutboxFileBatchTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-outbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func keys(in file: URL) throws -> [String] {
        let text = try String(contentsOf: file, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(object["idempotency_key"] as? String)
        }
    }

    @Test func batchesWriteEveryEntryOnceInOrderAndMarkAllSent() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("outbox.jsonl")
        let store = try await storeWithReplies((1...10).map { Message(id: "fb_\($0)", text: "Open Saturday?") })
        let deliverer = Deliverer(
            store: store, connector: OutboxFileConnector(path: file.path), retry: RetryPolicy(), lease: 30, batchSize: 4)

        let report = try await deliverer.drainOnce()

        #expect(report == DeliveryReport(delivered: 10))
        let entries = try await store.outbox(status: nil)
        #expect(try Self.keys(in: file) == entries.map(\.idempotencyKey))
        #expect(entries.allSatisfy { $0.status == .sent })
        #expect(try await deliverer.drainOnce() == DeliveryReport())
        #expect(try Self.keys(in: file).count == 10)
    }

    @Test func aBatchOfOneThousandIsOneWrite() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("outbox.jsonl")
        let store = try await storeWithReplies((1...1000).map { Message(id: "m\($0)", text: "Parking?") })
        let deliverer = Deliverer(store: store, connector: OutboxFileConnector(path: file.path), retry: RetryPolicy(), lease: 30)
        #expect(try await deliverer.drainOnce() == DeliveryReport(delivered: 1000))
        let keys = try Self.keys(in: file)
        #expect(keys.count == 1000)
        #expect(Set(keys).count == 1000)
        #expect(try await store.outbox(status: .pending).isEmpty)
    }

    @Test func anApprovedReplyDeliveredInABatchMarksItsItemSent() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await storeWithReplies([Message(id: "fb_1", text: "Open Saturday?")])
        let review = Decision(
            id: "fb_2", action: .review, category: "risk.adverse-reaction", matched: ["adverse-reaction"], reason: "risk.adverse-reaction",
            draft: "Thank you for telling us. Please call us on 020 7946 0321.")
        let queueID = try #require(try await store.record(review, for: Message(id: "fb_2", text: "I came out in a rash")).decision.queueID)
        _ = try await store.approve(queueID, text: "Thank you for telling us. Please call us on 020 7946 0321.", by: "sam")
        let connector = OutboxFileConnector(path: folder.appendingPathComponent("outbox.jsonl").path)
        #expect(
            try await Deliverer(store: store, connector: connector, retry: RetryPolicy(), lease: 30).drainOnce()
                == DeliveryReport(delivered: 2))
        #expect(try await store.item(queueID)?.status == .sent)
    }

    @Test func aCrashBetweenAppendAndMarkAppendsTheSameKeysAgainOnResume() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("outbox.jsonl")
        let store = try await storeWithReplies((1...3).map { Message(id: "fb_\($0)", text: "Open Saturday?") })
        let connector = OutboxFileConnector(path: file.path)
        // The process appends a claimed batch and dies before marking it.
        let now = Date()
        let claimed = try await store.claimDeliveries(now: now, limit: 512, lease: 30)
        #expect(await connector.deliver(batch: claimed) == .delivered(response: "appended to outbox.jsonl"))
        // Until the lease runs out nobody takes the batch again; then it is appended once more.
        let early = Deliverer(store: store, connector: connector, retry: RetryPolicy(), lease: 30, clock: { now.addingTimeInterval(10) })
        #expect(try await early.drainOnce() == DeliveryReport())
        let resumed = Deliverer(store: store, connector: connector, retry: RetryPolicy(), lease: 30, clock: { now.addingTimeInterval(31) })
        #expect(try await resumed.drainOnce() == DeliveryReport(delivered: 3))
        let keys = claimed.map(\.idempotencyKey)
        #expect(try Self.keys(in: file) == keys + keys)
        #expect(try await store.outbox(status: .sent).count == 3)
    }

    @Test func aFailedBatchWriteRetriesEveryEntry() async throws {
        let store = try await storeWithReplies((1...3).map { Message(id: "fb_\($0)", text: "Open Saturday?") })
        let connector = OutboxFileConnector(path: "/nonexistent-bedside-folder/outbox.jsonl")
        let report = try await Deliverer(store: store, connector: connector, retry: quickRetry(attempts: 3), lease: 30).drainOnce()
        #expect(report == DeliveryReport(retrying: 3))
        let entries = try await store.outbox(status: .pending)
        #expect(entries.count == 3)
        #expect(entries.allSatisfy { $0.attempts == 1 && $0.lastError?.contains("cannot open the outbox file") == true })
    }
}

struct ReplyTimestampTests {
    /// The hand-made RFC 3339 timestamp equals Foundation's ISO 8601 formatter's, second by second.
    @Test(arguments: [0.0, 1.999, 59.5, 951_782_400, 1_764_570_312.25, 1_798_761_599, 4_102_444_800, -1.5, 1e9 + 0.999])
    func timestampEqualsISO8601Formatter(_ seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        #expect(ReplyPayload.timestamp(date) == formatter.string(from: date))
    }
}
