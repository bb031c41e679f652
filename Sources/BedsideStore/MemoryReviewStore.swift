import BedsideCore
import Foundation

/// The review store in memory, for tests: the same rules as ``SQLiteReviewStore`` (it shares
/// ``ReviewTransition`` and the record plan), nothing kept after the process ends.
public actor MemoryReviewStore: ReviewStore {
    struct StoredDecision {
        var decision: Decision
        var at: Date
    }

    struct Delivery {
        var entry: OutboxEntry
        var leaseUntil: Date?
        var deliveredAt: Date?
        var response: String?
    }

    private var decisions: [StoredDecision] = []
    private var firstByKey: [String: Int] = [:]
    private var firstByDelivery: [String: Int] = [:]
    private var reviewItems: [String: ReviewItem] = [:]
    private var audit: [AuditEntry] = []
    private var deliveries: [Delivery] = []
    private var deliveryIndex: [String: Int] = [:]
    private let clock: @Sendable () -> Date

    /// Creates an empty store. `clock` gives the time recorded for changes.
    public init(clock: @escaping @Sendable () -> Date = { Date() }) {
        self.clock = clock
    }

    /// Records decisions in one transaction (see ``ReviewStore/recordBatch(_:)``).
    public func recordBatch(_ items: [(decision: Decision, message: Message)]) async throws -> [Recorded] {
        let now = clock()
        return items.map { decision, message in
            if let deliveryID = message.deliveryID, let first = firstByDelivery[deliveryID] {
                return Recorded(decision: decisions[first].decision, isNew: false)
            }
            if let key = StoreIDs.dedupKey(decision), let first = firstByKey[key] {
                if let deliveryID = message.deliveryID { firstByDelivery[deliveryID] = first }
                return Recorded(decision: decisions[first].decision, isNew: false)
            }
            if let deliveryID = message.deliveryID { firstByDelivery[deliveryID] = decisions.count }
            var queueID = ""
            if decision.action == .review {
                repeat { queueID = StoreIDs.newQueueID() } while reviewItems[queueID] != nil
            }
            let plan = RecordPlan(decision, for: message, now: now, queueID: queueID)
            if let item = plan.item { reviewItems[item.id] = item }
            if let key = StoreIDs.dedupKey(decision) { firstByKey[key] = decisions.count }
            decisions.append(StoredDecision(decision: plan.decision, at: now))
            if let entry = plan.audit { append(entry) }
            for entry in plan.outbox { enqueue(entry) }
            return Recorded(decision: plan.decision, isNew: true)
        }
    }

    /// The first decision recorded for a message id.
    public func decision(for messageID: String) async throws -> Decision? {
        decisions.first { $0.decision.id == messageID }?.decision
    }

    /// Review items in queue order, filtered.
    public func items(_ filter: ReviewFilter) async throws -> [ReviewItem] {
        let found = reviewItems.values.filter(filter.admits).sorted(by: ReviewFilter.queueOrder)
        return filter.limit.map { Array(found.prefix($0)) } ?? found
    }

    /// One review item, or `nil`.
    public func item(_ id: String) async throws -> ReviewItem? { reviewItems[id] }

    /// The audit trail of one item, oldest first.
    public func history(_ id: String) async throws -> [AuditEntry] { audit.filter { $0.itemID == id } }

    /// Approves a pending item and queues its reply; a conflict when it is no longer pending.
    public func approve(_ id: String, text: String, by actor: String, override: String?, guardFindings: [String]) async throws -> ReviewItem
    {
        let (changed, entry, delivery) = try ReviewTransition.approve(
            try require(id), text: text, actor: actor, override: override, findings: guardFindings, now: clock())
        reviewItems[id] = changed
        append(entry)
        enqueue(delivery)
        return changed
    }

    /// Closes a pending item without a reply.
    public func reject(_ id: String, reason: String, by actor: String) async throws -> ReviewItem {
        let (changed, entry) = try ReviewTransition.reject(try require(id), reason: reason, actor: actor, now: clock())
        reviewItems[id] = changed
        append(entry)
        return changed
    }

    /// Hands a pending item to a person.
    public func assign(_ id: String, to assignee: String, by actor: String) async throws -> ReviewItem {
        let (changed, entry) = try ReviewTransition.assign(try require(id), to: assignee, actor: actor, now: clock())
        reviewItems[id] = changed
        append(entry)
        return changed
    }

    /// Outbox entries, oldest first.
    public func outbox(status: OutboxEntry.Status?) async throws -> [OutboxEntry] {
        deliveries.map(\.entry).filter { status == nil || $0.status == status }
    }

    /// Claims due outbox entries under a lease.
    public func claimDeliveries(now: Date, limit: Int, lease: TimeInterval) async throws -> [OutboxEntry] {
        let due = deliveries.indices.filter { i in
            let d = deliveries[i]
            return d.entry.status == .pending && d.entry.nextAttemptAt <= now && (d.leaseUntil.map { $0 <= now } ?? true)
        }
        .sorted { deliveries[$0].entry.nextAttemptAt < deliveries[$1].entry.nextAttemptAt }
        .prefix(max(0, limit))
        for i in due { deliveries[i].leaseUntil = now.addingTimeInterval(lease) }
        return due.map { deliveries[$0].entry }
    }

    /// Marks an outbox entry delivered (and an approved item `sent`).
    public func markDelivered(_ key: String, at: Date, response: String?) async throws {
        let i = try requireDelivery(key)
        guard deliveries[i].entry.status != .sent else { return }
        deliveries[i].entry.status = .sent
        deliveries[i].entry.lastError = nil
        deliveries[i].deliveredAt = at
        deliveries[i].response = response
        deliveries[i].leaseUntil = nil
        follow(deliveries[i].entry, error: nil, at: at)
    }

    /// Marks many outbox entries delivered at once: all of them, or none when a key is unknown.
    public func markDelivered(_ keys: [String], at: Date, response: String?) async throws {
        let indices = try keys.map { try requireDelivery($0) }
        for i in indices where deliveries[i].entry.status != .sent {
            deliveries[i].entry.status = .sent
            deliveries[i].entry.lastError = nil
            deliveries[i].deliveredAt = at
            deliveries[i].response = response
            deliveries[i].leaseUntil = nil
            follow(deliveries[i].entry, error: nil, at: at)
        }
    }

    /// Records a failed attempt: retry later, or dead-letter.
    public func markAttemptFailed(_ key: String, error: String, retryAt: Date?) async throws {
        let i = try requireDelivery(key)
        guard deliveries[i].entry.status == .pending else { return }
        deliveries[i].entry.attempts += 1
        deliveries[i].entry.lastError = error
        deliveries[i].leaseUntil = nil
        if let retryAt {
            deliveries[i].entry.nextAttemptAt = retryAt
        } else {
            deliveries[i].entry.status = .failed
            follow(deliveries[i].entry, error: error, at: clock())
        }
    }

    /// The outbox entries of one review item, oldest first.
    public func deliveries(forItem queueID: String) async throws -> [OutboxEntry] {
        deliveries.map(\.entry).filter { $0.queueID == queueID }
    }

    /// Puts a dead letter back in the outbox, due now.
    public func retryDelivery(_ key: String, by actor: String) async throws -> OutboxEntry {
        let i = try requireDelivery(key)
        let entry = deliveries[i].entry
        guard entry.status == .failed else { throw ReviewStoreError.notFailed(key: key, status: entry.status) }
        let now = clock()
        deliveries[i].entry.status = .pending
        deliveries[i].entry.attempts = 0
        deliveries[i].entry.nextAttemptAt = now
        deliveries[i].leaseUntil = nil
        if let id = entry.queueID, let item = reviewItems[id] {
            let (changed, audit) = ReviewTransition.resend(item, entry: entry, actor: actor, now: now)
            reviewItems[id] = changed
            append(audit)
        }
        return deliveries[i].entry
    }

    /// Removes the message text of items closed before `cutoff`.
    public func purge(closedBefore cutoff: Date, by actor: String) async throws -> Int {
        let now = clock()
        let closed = reviewItems.values.filter { $0.status.isClosed && $0.purgedAt == nil && $0.updatedAt < cutoff }
        for item in closed.sorted(by: { $0.id < $1.id }) {
            let (changed, entry) = ReviewTransition.purge(item, actor: actor, now: now)
            reviewItems[item.id] = changed
            let erase = ReviewTransition.eraser(for: item)
            for i in decisions.indices where decisions[i].decision.queueID == item.id || decisions[i].decision.id == item.messageID {
                decisions[i].decision.reply = erase(decisions[i].decision.reply)
                decisions[i].decision.draft = erase(decisions[i].decision.draft)
            }
            for i in deliveries.indices where deliveries[i].entry.queueID == item.id || deliveries[i].entry.messageID == item.messageID {
                deliveries[i].entry.text = erase(deliveries[i].entry.text) ?? ""
            }
            for i in audit.indices where audit[i].itemID == item.id { audit[i] = ReviewTransition.erased(audit[i], of: item) }
            append(entry)
        }
        return closed.count
    }

    /// Queue figures.
    public func stats(now: Date) async throws -> QueueStats {
        var stats = QueueStats()
        for item in reviewItems.values {
            stats.byStatus[item.status.rawValue, default: 0] += 1
            guard item.status == .pending else { continue }
            stats.pendingByCategory[item.category ?? "none", default: 0] += 1
            if item.urgent { stats.pendingUrgent += 1 }
            let age = now.timeIntervalSince(item.createdAt)
            stats.pendingAge.add(age: age)
            stats.oldestPendingAge = max(stats.oldestPendingAge ?? 0, age)
        }
        stats.medianTimeToDecision = QueueStats.median(
            reviewItems.values.compactMap { item in item.decidedAt.map { $0.timeIntervalSince(item.createdAt) } })
        for entry in audit where QueueStats.decisionActions.contains(entry.action) { stats.decided[entry.action.rawValue, default: 0] += 1 }
        for delivery in deliveries { stats.outbox[delivery.entry.status.rawValue, default: 0] += 1 }
        for stored in decisions { stats.decisions[stored.decision.action.rawValue, default: 0] += 1 }
        return stats
    }

    // MARK: helpers

    private func require(_ id: String) throws(ReviewStoreError) -> ReviewItem {
        guard let item = reviewItems[id] else { throw .notFound(id: id) }
        return item
    }

    private func requireDelivery(_ key: String) throws(ReviewStoreError) -> Int {
        guard let i = deliveryIndex[key] else { throw .unknownDelivery(key: key) }
        return i
    }

    private func append(_ entry: AuditEntry) {
        var entry = entry
        entry.sequence = Int64(audit.count + 1)
        audit.append(entry)
    }

    private func enqueue(_ entry: OutboxEntry) {
        guard deliveryIndex[entry.idempotencyKey] == nil else { return }
        deliveryIndex[entry.idempotencyKey] = deliveries.count
        deliveries.append(Delivery(entry: entry))
    }

    private func follow(_ entry: OutboxEntry, error: String?, at: Date) {
        guard let id = entry.queueID, let item = reviewItems[id],
            let (changed, audit) = ReviewTransition.delivery(item, kind: entry.kind, error: error, now: at)
        else { return }
        reviewItems[id] = changed
        append(audit)
    }
}
