import BedsideCore
import BedsideDelivery
import BedsideStore
import Foundation

/// A store with one automatic reply per message, as `bedside run` would leave it.
func storeWithReplies(
    _ messages: [Message], text: (Message) -> String = { _ in "Thanks for getting in touch! Please call us on 020 7946 0321." }
) async throws -> MemoryReviewStore {
    let store = MemoryReviewStore()
    for message in messages {
        let decision = Decision(id: message.id, action: .reply, category: "question.hours", matched: ["hours"], reply: text(message))
        _ = try await store.record(decision, for: message)
    }
    return store
}

/// The store's only outbox entry.
func onlyEntry(_ store: MemoryReviewStore) async throws -> OutboxEntry {
    let all = try await store.outbox(status: nil)
    guard all.count == 1 else { throw StandInError(description: "expected one outbox entry, found \(all.count)") }
    return all[0]
}

/// A retry policy fast enough for tests.
func quickRetry(attempts: Int) -> RetryPolicy { RetryPolicy(attempts: attempts, base: 0.02, max: 0.05) }

/// Drains until nothing is due or pending, waiting for retries; at most `rounds` drains.
func drainUntilSettled<S: ReviewStore>(_ deliverer: Deliverer<S>, store: S, rounds: Int = 20) async throws -> DeliveryReport {
    var total = DeliveryReport()
    for _ in 0..<rounds {
        total += try await deliverer.drainOnce()
        if try await store.outbox(status: .pending).isEmpty { break }
        try await Task.sleep(nanoseconds: 80_000_000)
    }
    return total
}

let vectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
