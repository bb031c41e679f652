import Foundation
import GRDB

/// Purging old message text and counting the queue.
extension SQLiteReviewStore {
    /// Removes the message text of items closed before `cutoff`, and erases the writer's handle and
    /// words from every row about them (decisions, outbox, audit entries' text); then checkpoints
    /// the WAL so no copy of the old pages stays in it.
    public func purge(closedBefore cutoff: Date, by actor: String) async throws -> Int {
        let now = clock()
        let count = try await pool.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM review_item
                    WHERE status IN ('rejected', 'sent', 'failed') AND purged_at IS NULL AND updated_at < ?
                    """,
                arguments: [cutoff])
            for row in rows {
                let item = Self.item(from: row)
                let (changed, audit) = ReviewTransition.purge(item, actor: actor, now: now)
                try Self.update(changed, db)
                try Self.eraseTraces(of: item, db)
                try Self.append(audit, db)
            }
            return rows.count
        }
        if count > 0 { _ = try? await pool.writeWithoutTransaction { try $0.checkpoint(.truncate) } }
        return count
    }

    /// Erases a purged item's writer from its decision rows, outbox rows and audit entries' text.
    static func eraseTraces(of item: ReviewItem, _ db: Database) throws {
        let erase = ReviewTransition.eraser(for: item)
        for row in try Row.fetchAll(
            db, sql: "SELECT seq, reply, draft FROM decision WHERE queue_id = ? OR message_id = ?", arguments: [item.id, item.messageID])
        {
            try db.execute(
                sql: "UPDATE decision SET reply = ?, draft = ? WHERE seq = ?",
                arguments: exact([erase(row["reply"]), erase(row["draft"]), row["seq"] as Int64]))
        }
        for row in try Row.fetchAll(
            db, sql: "SELECT idempotency_key, text FROM outbox WHERE queue_id = ? OR message_id = ?", arguments: [item.id, item.messageID])
        {
            try db.execute(
                sql: "UPDATE outbox SET text = ? WHERE idempotency_key = ?",
                arguments: exact([erase(row["text"]) ?? "", row["idempotency_key"] as String]))
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE item_id = ?", arguments: [item.id]) {
            let entry = ReviewTransition.erased(auditEntry(from: row), of: item)
            try db.execute(
                sql: "UPDATE audit SET text_before = ?, text_after = ?, note = ? WHERE seq = ?",
                arguments: exact([entry.textBefore, entry.textAfter, entry.note, entry.sequence]))
        }
    }

    /// Queue figures.
    public func stats(now: Date) async throws -> QueueStats {
        try await pool.read { db in
            var stats = QueueStats()
            for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM review_item GROUP BY status") {
                stats.byStatus[row["status"]] = row["n"]
            }
            for row in try Row.fetchAll(db, sql: "SELECT category, urgent, created_at FROM review_item WHERE status = 'pending'") {
                let category: String = row["category"] ?? "none"
                stats.pendingByCategory[category, default: 0] += 1
                if row["urgent"] as Bool { stats.pendingUrgent += 1 }
                let age = now.timeIntervalSince(row["created_at"] as Date)
                stats.pendingAge.add(age: age)
                stats.oldestPendingAge = max(stats.oldestPendingAge ?? 0, age)
            }
            let actions = QueueStats.decisionActions.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            for row in try Row.fetchAll(db, sql: "SELECT action, count(*) AS n FROM audit WHERE action IN (\(actions)) GROUP BY action") {
                stats.decided[row["action"]] = row["n"]
            }
            let waits = try Row.fetchAll(db, sql: "SELECT created_at, decided_at FROM review_item WHERE decided_at IS NOT NULL")
                .map { ($0["decided_at"] as Date).timeIntervalSince($0["created_at"] as Date) }
            stats.medianTimeToDecision = QueueStats.median(waits)
            for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM outbox GROUP BY status") {
                stats.outbox[row["status"]] = row["n"]
            }
            for row in try Row.fetchAll(db, sql: "SELECT action, count(*) AS n FROM decision GROUP BY action") {
                stats.decisions[row["action"]] = row["n"]
            }
            return stats
        }
    }
}

extension SQLiteReviewStore {
    /// Anything wrong with the file or half-done (none is expected: every change is one transaction).
    /// Checks SQLite's integrity and foreign keys, and that every review decision has its item and
    /// `queued` audit row, every reply its outbox entry, and every approved item its approved reply.
    public func integrityProblems() async throws -> [String] {
        try await pool.read { db in
            var problems: [String] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] { problems += integrity.map { "integrity: \($0)" } }
            for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
                problems.append("foreign key: a row of \(row[0] as String? ?? "?") points at a missing \(row[2] as String? ?? "?")")
            }
            for (what, sql) in StoreIntegrity.checks {
                for id in try String.fetchAll(db, sql: sql) { problems.append("\(what): \(id)") }
            }
            return problems
        }
    }
}
