import BedsideCore
import BedsideStore
import Foundation
import Synchronization
import Testing

/// Group commit over any store: what `bedside run` and `bedside serve` both record through.
struct RecordBatcherTests {
    static func item(_ n: Int) -> (decision: Decision, message: Message) {
        (
            decision: Decision(id: "m_\(n)", action: .reply, category: "question.hours", reply: "We open at 9."),
            message: Message(id: "m_\(n)", text: "open?")
        )
    }

    @Test(arguments: StoreKind.allCases)
    func groupCommitsOverEveryStore(kind: StoreKind) async throws {
        let f = try await StoreFixture(kind)
        try await Self.concurrentWritersEachGetTheirOwnAnswersInOrder(f.store)
        try await Self.oneCallersItemsAreNeverSplit(f.store)
    }

    static func concurrentWritersEachGetTheirOwnAnswersInOrder<Store: ReviewStore>(_ store: Store) async throws {
        let commits = Mutex<[Int]>([])
        let batcher = RecordBatcher(store: store, maxBatch: 64) { items, _ in commits.withLock { $0.append(items) } }
        let answers = try await withThrowingTaskGroup(of: (Int, [Recorded]).self) { group in
            for writer in 0..<40 {
                group.addTask {
                    (writer, try await batcher.record([Self.item(writer * 3), Self.item(writer * 3 + 1), Self.item(writer * 3 + 2)]))
                }
            }
            var all: [Int: [Recorded]] = [:]
            for try await (writer, recorded) in group { all[writer] = recorded }
            return all
        }
        for writer in 0..<40 {
            #expect(answers[writer]?.map(\.decision.id) == (0..<3).map { "m_\(writer * 3 + $0)" })
            #expect(answers[writer]?.allSatisfy(\.isNew) == true)
        }
        let sizes = commits.withLock { $0 }
        #expect(sizes.reduce(0, +) == 120)
        #expect(sizes.allSatisfy { $0 <= 64 }, "\(sizes)")
        #expect(try await store.outbox(status: nil).count == 120)
        // A repeat in a later batch is answered with the first decision.
        let again = try await batcher.record([
            (decision: Decision(id: "m_1", action: .ignore, reason: "unmatched"), message: Message(id: "m_1", text: "x"))
        ])
        #expect(again.map(\.isNew) == [false])
        #expect(again.first?.printable.reason == "duplicate")
    }

    static func oneCallersItemsAreNeverSplit<Store: ReviewStore>(_ store: Store) async throws {
        let commits = Mutex<[Int]>([])
        let batcher = RecordBatcher(store: store, maxBatch: 8) { items, _ in commits.withLock { $0.append(items) } }
        let recorded = try await batcher.record((200..<220).map(Self.item))
        #expect(recorded.map(\.decision.id) == (200..<220).map { "m_\($0)" })
        #expect(commits.withLock { $0 } == [20], "a run's batch commits as one transaction, whatever the limit")
    }
}
