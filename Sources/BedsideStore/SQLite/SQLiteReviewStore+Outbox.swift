import Foundation
import GRDB

/// The outbox: replies waiting for delivery, claimed under a lease so two deliverers never send the
/// same entry at once.
extension SQLiteReviewStore {
    /// Outbox entries, oldest first.
    public func outbox(status: OutboxEntry.Status?) async throws -> [OutboxEntry] {
        try await pool.read { db in
            let rows: [Row]
            if let status {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM outbox WHERE status = ? ORDER BY created_at, rowid", arguments: [status.rawValue])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY created_at, rowid")
            }
            return rows.map(Self.outboxEntry(from:))
        }
    }

    /// Claims due outbox entries under a lease.
    public func claimDeliveries(now: Date, limit: Int, lease: TimeInterval) async throws -> [OutboxEntry] {
        try await pool.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM outbox
                    WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                    ORDER BY next_attempt_at, created_at, rowid LIMIT ?
                    """,
                arguments: [now, now, limit])
            let entries = rows.map(Self.outboxEntry(from:))
            let claim = try db.cachedStatement(sql: "UPDATE outbox SET lease_until = ? WHERE idempotency_key = ?")
            let until = now.addingTimeInterval(lease)
            for entry in entries {
                try claim.execute(arguments: [until, entry.idempotencyKey])
            }
            return entries
        }
    }

    /// Marks an outbox entry delivered (and an approved item `sent`).
    public func markDelivered(_ key: String, at: Date, response: String?) async throws {
        try await pool.write { db in
            let entry = try Self.requireEntry(key, db)
            guard entry.status != .sent else { return }
            try db.execute(
                sql: """
                    UPDATE outbox SET status = 'sent', delivered_at = ?, response = ?, lease_until = NULL, last_error = NULL
                    WHERE idempotency_key = ?
                    """,
                arguments: [at, response, key])
            try Self.followDelivery(of: entry, error: nil, at: at, db)
        }
    }

    /// Marks many outbox entries delivered in one transaction (one sync to disk for all of them).
    public func markDelivered(_ keys: [String], at: Date, response: String?) async throws {
        guard !keys.isEmpty else { return }
        try await pool.write { db in
            let find = try db.cachedStatement(sql: "SELECT * FROM outbox WHERE idempotency_key = ?")
            let mark = try db.cachedStatement(
                sql: """
                    UPDATE outbox SET status = 'sent', delivered_at = ?, response = ?, lease_until = NULL, last_error = NULL
                    WHERE idempotency_key = ?
                    """)
            for key in keys {
                guard let row = try Row.fetchOne(find, arguments: [key]) else { throw ReviewStoreError.unknownDelivery(key: key) }
                let entry = Self.outboxEntry(from: row)
                guard entry.status != .sent else { continue }
                try mark.execute(arguments: [at, response, key])
                try Self.followDelivery(of: entry, error: nil, at: at, db)
            }
        }
    }

    /// Records a failed attempt: retry later, or dead-letter.
    public func markAttemptFailed(_ key: String, error: String, retryAt: Date?) async throws {
        let now = clock()
        try await pool.write { db in
            let entry = try Self.requireEntry(key, db)
            guard entry.status == .pending else { return }
            if let retryAt {
                try db.execute(
                    sql: """
                        UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, lease_until = NULL
                        WHERE idempotency_key = ?
                        """,
                    arguments: Self.exact([error, retryAt, key]))
            } else {
                try db.execute(
                    sql: """
                        UPDATE outbox SET attempts = attempts + 1, last_error = ?, status = 'failed', lease_until = NULL
                        WHERE idempotency_key = ?
                        """,
                    arguments: Self.exact([error, key]))
                try Self.followDelivery(of: entry, error: error, at: now, db)
            }
        }
    }

    /// The outbox entries of one review item, oldest first.
    public func deliveries(forItem queueID: String) async throws -> [OutboxEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE queue_id = ? ORDER BY created_at, rowid", arguments: [queueID])
                .map(Self.outboxEntry(from:))
        }
    }

    /// Puts a dead letter back in the outbox, due now.
    public func retryDelivery(_ key: String, by actor: String) async throws -> OutboxEntry {
        let now = clock()
        return try await pool.write { db in
            var entry = try Self.requireEntry(key, db)
            guard entry.status == .failed else { throw ReviewStoreError.notFailed(key: key, status: entry.status) }
            try db.execute(
                sql:
                    "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, lease_until = NULL WHERE idempotency_key = ?",
                arguments: [now, key])
            if let queueID = entry.queueID, let item = try Self.fetchItem(db, queueID) {
                let (changed, audit) = ReviewTransition.resend(item, entry: entry, actor: actor, now: now)
                if changed != item { try Self.update(changed, db) }
                try Self.append(audit, db)
            }
            entry.status = .pending
            entry.attempts = 0
            entry.nextAttemptAt = now
            return entry
        }
    }

    static func requireEntry(_ key: String, _ db: Database) throws -> OutboxEntry {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE idempotency_key = ?", arguments: [key]) else {
            throw ReviewStoreError.unknownDelivery(key: key)
        }
        return outboxEntry(from: row)
    }

    /// Moves an approved item to `sent` or `failed` once its reply was delivered or given up on.
    static func followDelivery(of entry: OutboxEntry, error: String?, at: Date, _ db: Database) throws {
        guard let queueID = entry.queueID, let item = try fetchItem(db, queueID),
            let (changed, audit) = ReviewTransition.delivery(item, kind: entry.kind, error: error, now: at)
        else { return }
        try update(changed, db)
        try append(audit, db)
    }
}
