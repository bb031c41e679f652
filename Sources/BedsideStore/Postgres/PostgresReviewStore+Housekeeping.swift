import Foundation
import PostgresNIO

/// Purging old message text, counting the queue, and checking that nothing is half-done.
extension PostgresReviewStore {
    /// Removes the message text of items closed before `cutoff`, and erases the writer's handle and
    /// words from every row about them (decisions, outbox, audit entries' text).
    public func purge(closedBefore cutoff: Date, by actor: String) async throws -> Int {
        let now = clock()
        var s = PostgresStatement(
            "SELECT * FROM review_item WHERE status IN ('rejected', 'sent', 'failed') AND purged_at IS NULL AND updated_at < ")
        s.bind(.date(cutoff))
        s.add(" ORDER BY id FOR UPDATE")
        let query = s.query
        return try await transaction { connection in
            let items = try await Self.run(query, connection).map(Self.item)
            for item in items {
                let (changed, audit) = ReviewTransition.purge(item, actor: actor, now: now)
                try await Self.update(changed, connection)
                try await Self.eraseTraces(of: item, connection)
                try await Self.append([audit], connection)
            }
            return items.count
        }
    }

    /// Erases a purged item's writer from its decision rows, outbox rows and audit entries' text.
    static func eraseTraces(of item: ReviewItem, _ connection: PostgresConnection) async throws {
        let erase = ReviewTransition.eraser(for: item)
        var decisions = PostgresStatement("SELECT seq, reply, draft FROM decision WHERE queue_id = ")
        decisions.bind(.text(item.id))
        decisions.add(" OR message_id = ")
        decisions.bind(.text(item.messageID))
        for row in try await run(decisions.query, connection) {
            let c = PostgresColumns(row)
            var s = PostgresStatement("UPDATE decision SET reply = ")
            s.bind(.text(erase(try c.text("reply"))))
            s.add(", draft = ")
            s.bind(.text(erase(try c.text("draft"))))
            s.add(" WHERE seq = ")
            s.bind(.int(try c.int("seq")))
            _ = try await run(s.query, connection)
        }
        var outbox = PostgresStatement("SELECT idempotency_key, text FROM outbox WHERE queue_id = ")
        outbox.bind(.text(item.id))
        outbox.add(" OR message_id = ")
        outbox.bind(.text(item.messageID))
        for row in try await run(outbox.query, connection) {
            let c = PostgresColumns(row)
            var s = PostgresStatement("UPDATE outbox SET text = ")
            s.bind(.text(erase(try c.text("text")) ?? ""))
            s.add(" WHERE idempotency_key = ")
            s.bind(.text(try c.string("idempotency_key")))
            _ = try await run(s.query, connection)
        }
        var audit = PostgresStatement("SELECT * FROM audit WHERE item_id = ")
        audit.bind(.text(item.id))
        for row in try await run(audit.query, connection) {
            let entry = ReviewTransition.erased(try auditEntry(row), of: item)
            var s = PostgresStatement("UPDATE audit SET text_before = ")
            s.bind(.text(entry.textBefore))
            s.add(", text_after = ")
            s.bind(.text(entry.textAfter))
            s.add(", note = ")
            s.bind(.text(entry.note))
            s.add(" WHERE seq = ")
            s.bind(.int(entry.sequence))
            _ = try await run(s.query, connection)
        }
    }

    /// Queue figures.
    public func stats(now: Date) async throws -> QueueStats {
        try await transaction { connection in
            var stats = QueueStats()
            for row in try await Self.run("SELECT status, count(*) FROM review_item GROUP BY status", connection) {
                let (status, count) = try row.decode((String, Int).self)
                stats.byStatus[status] = count
            }
            for row in try await Self.run("SELECT category, urgent, created_at FROM review_item WHERE status = 'pending'", connection) {
                let c = PostgresColumns(row)
                stats.pendingByCategory[try c.text("category") ?? "none", default: 0] += 1
                if try c.bool("urgent") { stats.pendingUrgent += 1 }
                let age = now.timeIntervalSince(try c.requiredDate("created_at"))
                stats.pendingAge.add(age: age)
                stats.oldestPendingAge = max(stats.oldestPendingAge ?? 0, age)
            }
            let waits = try await Self.run("SELECT created_at, decided_at FROM review_item WHERE decided_at IS NOT NULL", connection)
                .map { row in
                    let (created, decided) = try row.decode((Date, Date).self)
                    return decided.timeIntervalSince(created)
                }
            stats.medianTimeToDecision = QueueStats.median(waits)
            // What people decided, from the audit trail, so an approval delivered at once still counts.
            let actions = QueueStats.decisionActions.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            for row in try await Self.run(
                "SELECT action, count(*) FROM audit WHERE action IN (\(unescaped: actions)) GROUP BY action", connection)
            {
                let (action, count) = try row.decode((String, Int).self)
                stats.decided[action] = count
            }
            for row in try await Self.run("SELECT status, count(*) FROM outbox GROUP BY status", connection) {
                let (status, count) = try row.decode((String, Int).self)
                stats.outbox[status] = count
            }
            for row in try await Self.run("SELECT action, count(*) FROM decision GROUP BY action", connection) {
                let (action, count) = try row.decode((String, Int).self)
                stats.decisions[action] = count
            }
            return stats
        }
    }

    /// Anything half-done (none is expected: every change is one transaction): every review
    /// decision has its item and `queued` audit row, every reply its outbox entry, every approved
    /// item its approved reply, every webhook delivery one decision.
    public func integrityProblems() async throws -> [String] {
        let checks = StoreIntegrity.checks.map { ($0.what, PostgresQuery(unsafeSQL: $0.sql)) }
        return try await transaction { connection in
            var problems: [String] = []
            for (what, query) in checks {
                for row in try await Self.run(query, connection) {
                    let id = PostgresText.decode(try row.decode(String.self))
                    problems.append("\(what): \(id)")
                }
            }
            return problems
        }
    }
}
