import Foundation
import PostgresNIO

/// The outbox: replies waiting for delivery. Deliverers on any machines claim due entries with
/// `FOR UPDATE SKIP LOCKED`: an entry another deliverer is claiming is skipped, not waited for,
/// and a claimed one is leased, so no two deliverers send the same entry at once.
extension PostgresReviewStore {
    /// Outbox entries, oldest first.
    public func outbox(status: OutboxEntry.Status?) async throws -> [OutboxEntry] {
        var s = PostgresStatement("SELECT * FROM outbox")
        if let status {
            s.add(" WHERE status = ")
            s.bind(.text(status.rawValue))
        }
        s.add(" ORDER BY created_at, seq")
        let query = s.query
        return try await read { connection in try await Self.run(query, connection).map(Self.outboxEntry) }
    }

    /// Claims due outbox entries under a lease.
    public func claimDeliveries(now: Date, limit: Int, lease: TimeInterval) async throws -> [OutboxEntry] {
        var s = PostgresStatement("UPDATE outbox SET lease_until = ")
        s.bind(.date(now.addingTimeInterval(lease)))
        s.add(" WHERE idempotency_key IN (SELECT idempotency_key FROM outbox WHERE status = 'pending' AND next_attempt_at <= ")
        s.bind(.date(now))
        s.add(" AND (lease_until IS NULL OR lease_until <= ")
        s.bind(.date(now))
        s.add(") ORDER BY next_attempt_at, created_at, seq LIMIT ")
        s.bind(.int(Int64(limit)))
        s.add(" FOR UPDATE SKIP LOCKED) RETURNING *")
        let query = s.query
        return try await transaction { connection in
            let rows = try await Self.run(query, connection)
            return try rows.map { (try PostgresColumns($0).int("seq"), try Self.outboxEntry($0)) }
                .sorted { ($0.1.nextAttemptAt, $0.1.createdAt, $0.0) < ($1.1.nextAttemptAt, $1.1.createdAt, $1.0) }
                .map(\.1)
        }
    }

    /// Marks an outbox entry delivered (and an approved item `sent`).
    public func markDelivered(_ key: String, at: Date, response: String?) async throws {
        try await markDelivered([key], at: at, response: response)
    }

    /// Marks many outbox entries delivered in one transaction; an unknown key marks none of them.
    public func markDelivered(_ keys: [String], at: Date, response: String?) async throws {
        guard !keys.isEmpty else { return }
        try await transaction { connection in
            let entries = try await Self.lockEntries(keys, connection)
            for key in keys where entries[key] == nil { throw ReviewStoreError.unknownDelivery(key: key) }
            let due = Set(keys).compactMap { entries[$0] }.filter { $0.status != .sent }
            guard !due.isEmpty else { return }
            var s = PostgresStatement("UPDATE outbox SET status = 'sent', delivered_at = ")
            s.bind(.date(at))
            s.add(", response = ")
            s.bind(.text(response))
            s.add(", lease_until = NULL, last_error = NULL WHERE idempotency_key = ANY(")
            s.bind(.texts(due.map(\.idempotencyKey)))
            s.add(")")
            _ = try await Self.run(s.query, connection)
            for entry in due.sorted(by: { $0.idempotencyKey < $1.idempotencyKey }) {
                try await Self.followDelivery(of: entry, error: nil, at: at, connection)
            }
        }
    }

    /// Records a failed attempt: retry later, or dead-letter.
    public func markAttemptFailed(_ key: String, error: String, retryAt: Date?) async throws {
        let now = clock()
        try await transaction { connection in
            guard let entry = try await Self.lockEntries([key], connection)[key] else { throw ReviewStoreError.unknownDelivery(key: key) }
            guard entry.status == .pending else { return }
            var s = PostgresStatement("UPDATE outbox SET attempts = attempts + 1, last_error = ")
            s.bind(.text(error))
            if let retryAt {
                s.add(", next_attempt_at = ")
                s.bind(.date(retryAt))
            } else {
                s.add(", status = 'failed'")
            }
            s.add(", lease_until = NULL WHERE idempotency_key = ")
            s.bind(.text(key))
            _ = try await Self.run(s.query, connection)
            if retryAt == nil { try await Self.followDelivery(of: entry, error: error, at: now, connection) }
        }
    }

    /// The outbox entries of one review item, oldest first.
    public func deliveries(forItem queueID: String) async throws -> [OutboxEntry] {
        var s = PostgresStatement("SELECT * FROM outbox WHERE queue_id = ")
        s.bind(.text(queueID))
        s.add(" ORDER BY created_at, seq")
        let query = s.query
        return try await read { connection in try await Self.run(query, connection).map(Self.outboxEntry) }
    }

    /// Puts a dead letter back in the outbox, due now.
    public func retryDelivery(_ key: String, by actor: String) async throws -> OutboxEntry {
        let now = clock()
        return try await transaction { connection in
            guard var entry = try await Self.lockEntries([key], connection)[key] else { throw ReviewStoreError.unknownDelivery(key: key) }
            guard entry.status == .failed else { throw ReviewStoreError.notFailed(key: key, status: entry.status) }
            var s = PostgresStatement("UPDATE outbox SET status = 'pending', attempts = 0, lease_until = NULL, next_attempt_at = ")
            s.bind(.date(now))
            s.add(" WHERE idempotency_key = ")
            s.bind(.text(key))
            _ = try await Self.run(s.query, connection)
            if let queueID = entry.queueID, let item = try await Self.fetchItem(queueID, lock: true, connection) {
                let (changed, audit) = ReviewTransition.resend(item, entry: entry, actor: actor, now: now)
                if changed != item { try await Self.update(changed, connection) }
                try await Self.append([audit], connection)
            }
            entry.status = .pending
            entry.attempts = 0
            entry.nextAttemptAt = now
            return entry
        }
    }

    /// The entries with these keys, locked for this transaction.
    static func lockEntries(_ keys: [String], _ connection: PostgresConnection) async throws -> [String: OutboxEntry] {
        var s = PostgresStatement("SELECT * FROM outbox WHERE idempotency_key = ANY(")
        s.bind(.texts(Array(Set(keys)).sorted()))
        s.add(") ORDER BY idempotency_key FOR UPDATE")
        var entries: [String: OutboxEntry] = [:]
        for row in try await run(s.query, connection) {
            let entry = try outboxEntry(row)
            entries[entry.idempotencyKey] = entry
        }
        return entries
    }

    /// Moves an approved item to `sent` or `failed` once its reply was delivered or given up on.
    static func followDelivery(of entry: OutboxEntry, error: String?, at: Date, _ connection: PostgresConnection) async throws {
        guard let queueID = entry.queueID, let item = try await fetchItem(queueID, lock: true, connection),
            let (changed, audit) = ReviewTransition.delivery(item, kind: entry.kind, error: error, now: at)
        else { return }
        try await update(changed, connection)
        try await append([audit], connection)
    }
}
