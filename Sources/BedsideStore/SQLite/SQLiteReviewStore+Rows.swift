import BedsideCore
import Foundation
import GRDB

/// Reading and writing rows: the only place that knows column names besides the schema.
extension SQLiteReviewStore {
    /// A JSON array of strings (rule ids), written by hand: this runs for every decision.
    static func encodeList(_ list: [String]) -> String {
        var out = "["
        for (i, item) in list.enumerated() {
            if i > 0 { out += "," }
            out += "\""
            for scalar in item.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            out += "\""
        }
        return out + "]"
    }

    /// Statement arguments that keep every code point. GRDB binds and reads text as C strings, so a
    /// string holding U+0000 would be cut there; such a string is stored as its UTF-8 bytes (a blob),
    /// which reads back as the same string.
    static func exact(_ values: [(any DatabaseValueConvertible)?]) -> StatementArguments {
        StatementArguments(
            values.map { value -> (any DatabaseValueConvertible)? in
                guard let string = value as? String, string.utf8.contains(0) else { return value }
                return Data(string.utf8)
            })
    }

    static func decodeList(_ text: String?) -> [String] {
        guard let text, let list = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else { return [] }
        return list
    }

    // MARK: review items

    static func fetchItem(_ db: Database, _ id: String) throws -> ReviewItem? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM review_item WHERE id = ?"), arguments: [id]).map(item(from:))
    }

    static func item(from row: Row) -> ReviewItem {
        ReviewItem(
            id: row["id"], messageID: row["message_id"], text: row["text"], author: row["author"],
            platform: row["platform"], thread: row["thread"], url: row["url"], postedAt: row["posted_at"],
            category: row["category"], matched: decodeList(row["matched"]), reason: row["reason"],
            urgent: row["urgent"], draft: row["draft"], holdingReply: row["holding_reply"],
            status: ReviewItem.Status(rawValue: row["status"]) ?? .pending, assignee: row["assignee"],
            finalText: row["final_text"], rejectReason: row["reject_reason"], decidedBy: row["decided_by"],
            decidedAt: row["decided_at"], createdAt: row["created_at"], updatedAt: row["updated_at"],
            purgedAt: row["purged_at"])
    }

    static func insert(_ item: ReviewItem, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO review_item (id, message_id, text, author, platform, thread, url, posted_at, category,
                    matched, reason, urgent, draft, holding_reply, status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: exact([
                item.id, item.messageID, item.text, item.author, item.platform, item.thread, item.url, item.postedAt,
                item.category, encodeList(item.matched), item.reason, item.urgent, item.draft, item.holdingReply,
                item.status.rawValue, item.createdAt, item.updatedAt,
            ]))
    }

    /// Writes the fields a transition may change.
    static func update(_ item: ReviewItem, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                UPDATE review_item SET text = ?, author = ?, url = ?, status = ?, assignee = ?, final_text = ?,
                    reject_reason = ?, decided_by = ?, decided_at = ?, updated_at = ?, purged_at = ?, draft = ?, holding_reply = ?
                WHERE id = ?
                """
        ).execute(
            arguments: exact([
                item.text, item.author, item.url, item.status.rawValue, item.assignee, item.finalText,
                item.rejectReason, item.decidedBy, item.decidedAt, item.updatedAt, item.purgedAt, item.draft, item.holdingReply, item.id,
            ]))
    }

    // MARK: decisions

    static func insert(_ decision: Decision, at now: Date, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO decision (message_id, dedup_key, decided_at, action, category, urgent, matched, reason,
                    reply, draft, error, queue_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: exact([
                decision.id, StoreIDs.dedupKey(decision), now, decision.action.rawValue, decision.category,
                decision.urgent, encodeList(decision.matched), decision.reason, decision.reply, decision.draft,
                decision.error, decision.queueID,
            ]))
    }

    static func decision(from row: Row) -> Decision {
        Decision(
            id: row["message_id"], action: Action(rawValue: row["action"]) ?? .error, category: row["category"],
            urgent: row["urgent"], matched: decodeList(row["matched"]), reason: row["reason"], reply: row["reply"],
            draft: row["draft"], queueID: row["queue_id"], error: row["error"])
    }

    // MARK: audit

    static func append(_ entry: AuditEntry, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO audit (item_id, at, actor, action, text_before, text_after, note, override)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: exact([
                entry.itemID, entry.at, entry.actor, entry.action.rawValue, entry.textBefore, entry.textAfter,
                entry.note, entry.override,
            ]))
    }

    static func auditEntry(from row: Row) -> AuditEntry {
        AuditEntry(
            sequence: row["seq"], itemID: row["item_id"], at: row["at"], actor: row["actor"],
            action: AuditEntry.Action(rawValue: row["action"]) ?? .queued, textBefore: row["text_before"],
            textAfter: row["text_after"], note: row["note"], override: row["override"])
    }

    // MARK: outbox

    /// Queues a reply; a reply already queued under the same key is left as it is.
    static func insert(_ entry: OutboxEntry, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO outbox (idempotency_key, queue_id, message_id, text, platform, thread, kind, attempts,
                    next_attempt_at, status, last_error, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (idempotency_key) DO NOTHING
                """
        ).execute(
            arguments: exact([
                entry.idempotencyKey, entry.queueID, entry.messageID, entry.text, entry.platform, entry.thread,
                entry.kind, entry.attempts, entry.nextAttemptAt, entry.status.rawValue, entry.lastError, entry.createdAt,
            ]))
    }

    static func outboxEntry(from row: Row) -> OutboxEntry {
        OutboxEntry(
            idempotencyKey: row["idempotency_key"], queueID: row["queue_id"], messageID: row["message_id"],
            text: row["text"], platform: row["platform"], thread: row["thread"], kind: row["kind"],
            attempts: row["attempts"], nextAttemptAt: row["next_attempt_at"],
            status: OutboxEntry.Status(rawValue: row["status"]) ?? .pending, lastError: row["last_error"],
            createdAt: row["created_at"])
    }
}
