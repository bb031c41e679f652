import BedsideStore
import Foundation

/// What a drain did.
public struct DeliveryReport: Sendable, Hashable, Codable {
    /// Entries delivered.
    public var delivered = 0
    /// Entries that failed and wait for another attempt.
    public var retrying = 0
    /// Entries dead-lettered (status `failed`): a person must look.
    public var deadLettered = 0
    /// Of those, urgent holding replies (crisis signposting that did not reach the writer).
    public var holdingFailed = 0

    /// An empty report.
    public init(delivered: Int = 0, retrying: Int = 0, deadLettered: Int = 0, holdingFailed: Int = 0) {
        self.delivered = delivered
        self.retrying = retrying
        self.deadLettered = deadLettered
        self.holdingFailed = holdingFailed
    }

    /// Adds another report's counts.
    public static func += (a: inout DeliveryReport, b: DeliveryReport) {
        a.delivered += b.delivered
        a.retrying += b.retrying
        a.deadLettered += b.deadLettered
        a.holdingFailed += b.holdingFailed
    }

    /// `3 delivered, 1 retrying, 0 dead-lettered`.
    public var summary: String { "\(delivered) delivered, \(retrying) retrying, \(deadLettered) dead-lettered" }

    enum CodingKeys: String, CodingKey {
        case delivered, retrying, deadLettered = "dead_lettered"
    }
}

/// Takes due outbox entries from the store, sends each through a connector, and records the outcome:
/// delivered, retried later with backoff, or dead-lettered after the last attempt or a permanent failure.
///
/// A ``BatchConnector`` (the outbox file) gets up to `batchSize` entries at once: one claim, one
/// delivery, and one store transaction marking all of them delivered. Other connectors get one entry
/// per attempt, `concurrency` at a time.
public struct Deliverer<Store: ReviewStore>: Sendable {
    /// Entries a ``BatchConnector`` takes at once unless told otherwise.
    public static var defaultBatchSize: Int { 512 }

    let store: Store
    let connector: any Connector
    let retry: RetryPolicy
    let lease: TimeInterval
    let concurrency: Int
    let batchSize: Int
    let clock: @Sendable () -> Date
    let random: @Sendable () -> Double
    /// Told when a holding reply (urgent signposting) is given up on: staff must reach the writer.
    let holdingFailed: (@Sendable (OutboxEntry, String) async -> Void)?

    /// Creates a deliverer.
    ///
    /// - Parameters:
    ///   - lease: how long a claimed entry is reserved; longer than one attempt can take.
    ///   - concurrency: entries sent at once by a connector that takes one at a time.
    ///   - batchSize: entries claimed and delivered as one unit by a ``BatchConnector`` (in order).
    ///   - clock, random: injectable for tests.
    public init(
        store: Store, connector: any Connector, retry: RetryPolicy, lease: TimeInterval, concurrency: Int = 1,
        batchSize: Int = Deliverer.defaultBatchSize,
        clock: @escaping @Sendable () -> Date = Date.init, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        holdingFailed: (@Sendable (OutboxEntry, String) async -> Void)? = nil
    ) {
        self.holdingFailed = holdingFailed
        self.store = store
        self.connector = connector
        self.retry = retry
        self.lease = lease
        self.concurrency = max(1, concurrency)
        self.batchSize = max(1, batchSize)
        self.clock = clock
        self.random = random
    }

    /// Sends every entry that was due when the drain began, once each. Entries that fail and come due
    /// again during the drain wait for the next one. `shouldStop` is asked between batches.
    public func drainOnce(shouldStop: @Sendable () -> Bool = { false }) async throws -> DeliveryReport {
        var report = DeliveryReport()
        let start = clock()
        let whole = connector as? any BatchConnector
        while !shouldStop() {
            // Claim as of the drain's start so retries scheduled meanwhile wait; stretch the lease by the
            // time elapsed so it still runs `lease` seconds from now.
            let elapsed = max(0, clock().timeIntervalSince(start))
            let batch = try await store.claimDeliveries(now: start, limit: whole == nil ? concurrency : batchSize, lease: lease + elapsed)
            if batch.isEmpty { break }
            if let whole {
                report += try await send(batch, through: whole)
            } else {
                report += try await send(batch)
            }
        }
        return report
    }

    /// Sends one claimed batch as one unit and records the outcome: all delivered in one store
    /// transaction, or the failure recorded for each entry.
    func send(_ batch: [OutboxEntry], through connector: any BatchConnector) async throws -> DeliveryReport {
        let outcome = await connector.deliver(batch: batch)
        if case .delivered(let response) = outcome {
            try await store.markDelivered(batch.map(\.idempotencyKey), at: clock(), response: response)
            return DeliveryReport(delivered: batch.count)
        }
        var report = DeliveryReport()
        for entry in batch {
            report += try await record(outcome, for: entry)
        }
        return report
    }

    /// Sends one claimed batch and records every outcome.
    func send(_ batch: [OutboxEntry]) async throws -> DeliveryReport {
        let outcomes: [(OutboxEntry, DeliveryOutcome)]
        if batch.count == 1 {
            outcomes = [(batch[0], await connector.deliver(batch[0]))]
        } else {
            let connector = self.connector
            outcomes = await withTaskGroup(of: (OutboxEntry, DeliveryOutcome).self) { group in
                for entry in batch { group.addTask { (entry, await connector.deliver(entry)) } }
                var results: [(OutboxEntry, DeliveryOutcome)] = []
                for await result in group { results.append(result) }
                return results
            }
        }
        var report = DeliveryReport()
        for (entry, outcome) in outcomes {
            report += try await record(outcome, for: entry)
        }
        return report
    }

    /// Records one attempt's outcome in the store.
    func record(_ outcome: DeliveryOutcome, for entry: OutboxEntry) async throws -> DeliveryReport {
        let now = clock()
        let attempt = entry.attempts + 1
        switch outcome {
        case .delivered(let response):
            try await store.markDelivered(entry.idempotencyKey, at: now, response: response)
            return DeliveryReport(delivered: 1)
        case .permanent(let reason):
            return try await deadLetter(entry, error: "attempt \(attempt): \(reason); not retried")
        case .retry(let reason):
            if let at = retry.retryAt(afterAttempt: attempt, now: now, unit: random()) {
                try await store.markAttemptFailed(entry.idempotencyKey, error: "attempt \(attempt): \(reason)", retryAt: at)
                return DeliveryReport(retrying: 1)
            }
            return try await deadLetter(entry, error: "attempt \(attempt) of \(retry.attempts): \(reason); gave up")
        }
    }

    /// Gives up on an entry; a holding reply's failure is raised with staff at once.
    func deadLetter(_ entry: OutboxEntry, error: String) async throws -> DeliveryReport {
        try await store.markAttemptFailed(entry.idempotencyKey, error: error, retryAt: nil)
        guard entry.kind == "holding" else { return DeliveryReport(deadLettered: 1) }
        await holdingFailed?(entry, error)
        return DeliveryReport(deadLettered: 1, holdingFailed: 1)
    }
}
