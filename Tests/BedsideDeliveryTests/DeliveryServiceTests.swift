import BedsideCore
import BedsideDelivery
import BedsideStore
import Foundation
import Synchronization
import Testing

/// The delivery loop every command runs, over a real SQLite file and the outbox file.
struct DeliveryServiceTests {
    /// A store in a fresh folder and a deliverer appending to `outbox.jsonl` beside it.
    static func setUp() throws -> (SQLiteReviewStore, Deliverer<SQLiteReviewStore>, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-loop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteReviewStore(path: folder.appendingPathComponent("bedside.sqlite").path)
        let connector = OutboxFileConnector(path: folder.appendingPathComponent("outbox.jsonl").path)
        return (
            store, Deliverer(store: store, connector: connector, retry: RetryPolicy(), lease: 30),
            folder.appendingPathComponent("outbox.jsonl")
        )
    }

    static func reply(_ id: String, to store: SQLiteReviewStore) async throws {
        let decision = Decision(
            id: id, action: .reply, category: "question.hours", matched: ["hours"], reply: "We open at 9. Call us on 020 7946 0321.")
        _ = try await store.record(decision, for: Message(id: id, text: "When do you open?", platform: "facebook", thread: "p_1"))
    }

    static func lines(_ file: URL) -> [String] {
        ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func withoutAnIntervalItDrainsOnlyWhenSignalledAndOnceMoreForASignalBeforeFinish() async throws {
        let (store, deliverer, file) = try Self.setUp()
        try await Self.reply("fb_early", to: store)
        let service = DeliveryService(deliverer)
        let passes = Mutex<[DeliveryReport]>([])
        let loop = Task { try await service.run(passed: { report in passes.withLock { $0.append(report) } }) }
        try await Self.reply("fb_1", to: store)
        service.signal()
        try await Self.reply("fb_2", to: store)
        service.signal()
        service.finish()
        let total = try await loop.value
        #expect(total.delivered == 3)
        #expect(Self.lines(file).count == 3)
        #expect(try await store.outbox(status: .pending).isEmpty)
        #expect(passes.withLock { $0 }.allSatisfy { $0.retrying == 0 && $0.deadLettered == 0 })
    }

    @Test func withAnIntervalItDrainsAtOnceAndAgainWithoutBeingAsked() async throws {
        let (store, deliverer, file) = try Self.setUp()
        try await Self.reply("fb_1", to: store)
        let service = DeliveryService(deliverer, every: .milliseconds(20))
        let passes = Mutex(0)
        let loop = Task { try await service.run(passed: { _ in passes.withLock { $0 += 1 } }) }
        while Self.lines(file).count < 1 { try await Task.sleep(for: .milliseconds(10)) }
        try await Self.reply("fb_2", to: store)
        // Nobody signals: the interval alone brings the second reply out.
        while Self.lines(file).count < 2 { try await Task.sleep(for: .milliseconds(10)) }
        service.finish()
        #expect(try await loop.value.delivered == 2)
        #expect(passes.withLock { $0 } >= 2)
    }

    @Test func stoppingEndsTheLoopWithoutAnotherDrain() async throws {
        let (store, deliverer, file) = try Self.setUp()
        let stopped = Mutex(false)
        let service = DeliveryService(deliverer, every: .seconds(3600))
        let loop = Task { try await service.run(shouldStop: { stopped.withLock { $0 } }) }
        stopped.withLock { $0 = true }
        try await Self.reply("fb_after", to: store)
        service.signal()
        let total = try await loop.value
        #expect(total.delivered == 0)
        #expect(Self.lines(file).isEmpty)
        #expect(try await store.outbox(status: .pending).count == 1, "a reply queued after the stop waits for the next deliverer")
    }

    @Test func cancellingTheTaskEndsAWait() async throws {
        let (_, deliverer, _) = try Self.setUp()
        let service = DeliveryService(deliverer, every: .seconds(3600))
        let loop = Task { try await service.run() }
        try await Task.sleep(for: .milliseconds(50))
        loop.cancel()
        #expect(try await loop.value == DeliveryReport())
    }
}
