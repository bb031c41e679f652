import BedsideCore
import BedsideStore

/// Group commit: decisions that arrive while a transaction is being written wait and go into the
/// next one together, so many concurrent requests cost one commit (one fsync) instead of one each.
/// Under no load a decision is committed at once, alone; under load batches grow by themselves.
actor RecordBatcher<Store: ReviewStore> {
    typealias Item = (decision: Decision, message: Message)
    private struct Waiting {
        var items: [Item]
        var continuation: CheckedContinuation<[Recorded], any Error>
    }

    private let store: Store
    private let maxBatch: Int
    private let metrics: ServerMetrics
    private var waiting: [Waiting] = []
    private var committing = false

    init(store: Store, maxBatch: Int, metrics: ServerMetrics) {
        self.store = store
        self.maxBatch = max(1, maxBatch)
        self.metrics = metrics
    }

    /// Records items (in order, in one transaction with whatever else is waiting) and returns once
    /// they are committed.
    func record(_ items: [Item]) async throws -> [Recorded] {
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
                let results = try await store.recordBatch(batch.flatMap(\.items))
                metrics.committed(in: ContinuousClock.now - start)
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
