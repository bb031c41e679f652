import BedsideCore
import Foundation

/// Where decisions, review items, the audit trail and the outbox are kept.
///
/// Implementations: ``SQLiteReviewStore`` (GRDB, the default) and ``MemoryReviewStore`` (tests).
/// Every method is one transaction: it either happens completely or not at all.
public protocol ReviewStore: Sendable {
    /// Records one decision, its review item (for `review`) and its outbox entry (for a reply or a
    /// holding reply) in one transaction, and returns the decision with `queueID` set for reviews.
    /// A message id already recorded returns the first decision (`isNew == false`) and records
    /// nothing again. Run-local ids (`line-N`) and `error` decisions never count as recorded before.
    func record(_ decision: Decision, for message: Message) async throws -> Recorded

    /// Records many decisions in one transaction (the same rules as `record`, in order).
    func recordBatch(_ items: [(decision: Decision, message: Message)]) async throws -> [Recorded]

    /// The first decision recorded for a message id, or `nil`.
    func decision(for messageID: String) async throws -> Decision?

    /// Review items, pending first, urgent first, then oldest, filtered.
    func items(_ filter: ReviewFilter) async throws -> [ReviewItem]

    /// One review item, or `nil`.
    func item(_ id: String) async throws -> ReviewItem?

    /// The audit trail of one item, oldest first.
    func history(_ id: String) async throws -> [AuditEntry]

    /// Moves a pending item to `approved` (or `edited` when `text` differs from the draft) and queues
    /// `text` in the outbox, recording who did it. Throws ``ReviewStoreError/conflict`` when the item
    /// is no longer pending: the first actor wins, the second never causes a second send.
    /// `override` is the justification for sending a text the reply guard refused, and
    /// `guardFindings` what the guard said; both go into the audit trail.
    func approve(_ id: String, text: String, by actor: String, override: String?, guardFindings: [String]) async throws -> ReviewItem

    /// Moves a pending item to `rejected` with a reason.
    func reject(_ id: String, reason: String, by actor: String) async throws -> ReviewItem

    /// Assigns a pending item to a person.
    func assign(_ id: String, to assignee: String, by actor: String) async throws -> ReviewItem

    /// Outbox entries, oldest first: all of them, or those in one state.
    func outbox(status: OutboxEntry.Status?) async throws -> [OutboxEntry]

    /// Outbox entries due for delivery (`pending` with `nextAttemptAt <= now`), claimed for `lease`
    /// seconds so two deliverers never send the same entry at once.
    func claimDeliveries(now: Date, limit: Int, lease: TimeInterval) async throws -> [OutboxEntry]

    /// Marks an outbox entry delivered (and its review item `sent`).
    func markDelivered(_ key: String, at: Date, response: String?) async throws

    /// Marks many outbox entries delivered in one transaction, each as the single-key
    /// `markDelivered(_:at:response:)` would (an entry already `sent` stays as it was, an approved
    /// item becomes `sent`). An unknown key throws ``ReviewStoreError/unknownDelivery(key:)`` and
    /// marks none of them.
    func markDelivered(_ keys: [String], at: Date, response: String?) async throws

    /// Records a failed attempt: retried at `retryAt`, or dead-lettered (`failed`) when `retryAt` is nil.
    func markAttemptFailed(_ key: String, error: String, retryAt: Date?) async throws

    /// The outbox entries answering one review item (its holding reply, its approved reply), oldest
    /// first: what staff see of a reply's delivery.
    func deliveries(forItem queueID: String) async throws -> [OutboxEntry]

    /// Puts a dead-lettered reply back in the outbox, due now, with a fresh run of attempts, and
    /// records who did it in its item's history. Throws ``ReviewStoreError/unknownDelivery(key:)``
    /// or ``ReviewStoreError/notFailed(key:status:)`` (a reply is never sent twice this way).
    func retryDelivery(_ key: String, by actor: String) async throws -> OutboxEntry

    /// Removes message text (and author) of items closed before `cutoff`, keeping decision and audit rows.
    /// Returns how many items were purged.
    func purge(closedBefore cutoff: Date, by actor: String) async throws -> Int

    /// Queue figures: pending by category and age, median time to decision.
    func stats(now: Date) async throws -> QueueStats
}

extension ReviewStore {
    /// Records one decision (a batch of one).
    public func record(_ decision: Decision, for message: Message) async throws -> Recorded {
        try await recordBatch([(decision: decision, message: message)])[0]
    }

    /// Approves without guard findings.
    public func approve(_ id: String, text: String, by actor: String, override: String? = nil) async throws -> ReviewItem {
        try await approve(id, text: text, by: actor, override: override, guardFindings: [])
    }
}
