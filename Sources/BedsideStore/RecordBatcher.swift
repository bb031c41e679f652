import BedsideCore

/// Group commit, over any ``ReviewStore``: decisions that arrive while a transaction is being
/// written wait and go into the next one together, so many writers cost one commit (one fsync)
/// instead of one each.
///
/// The one way decisions reach a store: `bedside serve` hands it each request's decisions as they
/// come (under no load a decision is committed at once, alone; under load batches grow by
/// themselves), and `bedside run` hands it a batch of input lines before it would wait for more.
/// It relies only on ``ReviewStore/recordBatch(_:)``, so every store gets it.
public actor RecordBatcher<Store: ReviewStore> {
    /// One decision and the message it answers.
    public typealias Item = (decision: Decision, message: Message)
    private struct Waiting {
        var items: [Item]
        var continuation: CheckedContinuation<[Recorded], any Error>
    }

    private let store: Store
    private let maxBatch: Int
    private let committed: @Sendable (_ items: Int, _ took: Duration) -> Void
    private var waiting: [Waiting] = []
    private var committing = false

    /// Creates a batcher.
    ///
    /// - Parameters:
    ///   - maxBatch: the most decisions in one transaction (one caller's items are never split).
    ///   - committed: told after each transaction how many decisions it held and how long it took.
    public init(store: Store, maxBatch: Int = 1024, committed: @escaping @Sendable (_ items: Int, _ took: Duration) -> Void = { _, _ in }) {
        self.store = store
        self.maxBatch = max(1, maxBatch)
        self.committed = committed
    }

    /// Records items (in order, in one transaction with whatever else is waiting) and returns once
    /// they are committed: what was recorded for each, in order.
    public func record(_ items: [Item]) async throws -> [Recorded] {
        guard !items.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(items: items, continuation: continuation))
            if !committing {
                committing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            var batch: [Waiting] = []
            var count = 0
            while let next = waiting.first, batch.isEmpty || count + next.items.count <= maxBatch {
                batch.append(next)
                count += next.items.count
                waiting.removeFirst()
            }
            do {
                let start = ContinuousClock.now
                let results = try await store.recordBatch(batch.count == 1 ? batch[0].items : batch.flatMap(\.items))
                committed(count, ContinuousClock.now - start)
                var offset = 0
                for entry in batch {
                    entry.continuation.resume(returning: Array(results[offset..<(offset + entry.items.count)]))
                    offset += entry.items.count
                }
            } catch {
                for entry in batch { entry.continuation.resume(throwing: error) }
            }
        }
        committing = false
    }
}
