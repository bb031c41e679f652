import BedsideCore
import Foundation
import PostgresNIO

/// A value bound to a statement. Text goes through ``PostgresText`` on its way in.
enum PostgresValue: Sendable {
    case text(String?)
    case date(Date?)
    case bool(Bool)
    case int(Int64?)
    case texts([String])

    func append(to bindings: inout PostgresBindings) {
        switch self {
        case .text(let value): value.map { bindings.append(PostgresText.encode($0)) } ?? bindings.appendNull()
        case .date(let value): value.map { bindings.append($0) } ?? bindings.appendNull()
        case .bool(let value): bindings.append(value)
        case .int(let value): value.map { bindings.append($0) } ?? bindings.appendNull()
        case .texts(let values): bindings.append(values.map(PostgresText.encode))
        }
    }
}

/// PostgreSQL text cannot hold U+0000, which a message may contain and the store must keep. It is
/// written as U+FFFF followed by `0`, and a U+FFFF of the text itself as two of them; every other
/// character is written as it is, so what a person reads with `psql` is the text. The mapping is
/// character by character, so a prefix of the text is a prefix of what is stored (the category
/// filter relies on that).
enum PostgresText {
    static func encode(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0 || $0 == 0xEF }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0: out.append(contentsOf: ["\u{FFFF}", "0"])
            case 0xFFFF: out.append(contentsOf: ["\u{FFFF}", "\u{FFFF}"])
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    static func decode(_ stored: String) -> String {
        guard stored.unicodeScalars.contains("\u{FFFF}") else { return stored }
        var out = String.UnicodeScalarView()
        var escaped = false
        for scalar in stored.unicodeScalars {
            if escaped {
                out.append(scalar == "0" ? "\u{0}" : scalar)
                escaped = false
            } else if scalar == "\u{FFFF}" {
                escaped = true
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}

/// One statement built from SQL pieces and values, numbered `$1`, `$2`, … as they are added.
struct PostgresStatement {
    private(set) var sql = ""
    private var bindings = PostgresBindings()

    init(_ sql: String = "") { self.sql = sql }

    /// Appends SQL text.
    mutating func add(_ text: String) { sql += text }

    /// Appends a placeholder for `value`.
    mutating func bind(_ value: PostgresValue) {
        value.append(to: &bindings)
        sql += "$\(bindings.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: bindings) }

    /// `INSERT INTO table (columns) VALUES (…), (…) suffix`, as few statements as the protocol's
    /// limit of 65,535 values allows (one for any batch a receiver commits).
    static func insert(_ table: String, _ columns: [String], _ rows: [[PostgresValue]], suffix: String = "") -> [PostgresStatement] {
        guard !rows.isEmpty else { return [] }
        let perStatement = max(1, 65_535 / max(1, columns.count))
        return stride(from: 0, to: rows.count, by: perStatement).map { start in
            var statement = PostgresStatement("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES ")
            for (n, row) in rows[start..<min(rows.count, start + perStatement)].enumerated() {
                statement.add(n == 0 ? "(" : ", (")
                for (i, value) in row.enumerated() {
                    if i > 0 { statement.add(", ") }
                    statement.bind(value)
                }
                statement.add(")")
            }
            statement.add(suffix)
            return statement
        }
    }
}

/// Reads a row by column name.
struct PostgresColumns {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    func text(_ name: String) throws -> String? { try row[name].decode(String?.self).map(PostgresText.decode) }
    func string(_ name: String) throws -> String { try text(name) ?? "" }
    func date(_ name: String) throws -> Date? { try row[name].decode(Date?.self) }
    func requiredDate(_ name: String) throws -> Date { try row[name].decode(Date.self) }
    func bool(_ name: String) throws -> Bool { try row[name].decode(Bool.self) }
    func int(_ name: String) throws -> Int64 { try row[name].decode(Int64.self) }
}

/// Rows to values and back: the only place besides the schema that knows the column names.
extension PostgresReviewStore {
    static func item(_ row: PostgresRow) throws -> ReviewItem {
        let c = PostgresColumns(row)
        return ReviewItem(
            id: try c.string("id"), messageID: try c.string("message_id"), text: try c.text("text"), author: try c.text("author"),
            platform: try c.text("platform"), thread: try c.text("thread"), url: try c.text("url"), postedAt: try c.text("posted_at"),
            category: try c.text("category"), matched: SQLiteReviewStore.decodeList(try c.text("matched")), reason: try c.text("reason"),
            urgent: try c.bool("urgent"), draft: try c.text("draft"), holdingReply: try c.text("holding_reply"),
            status: ReviewItem.Status(rawValue: try c.string("status")) ?? .pending, assignee: try c.text("assignee"),
            finalText: try c.text("final_text"), rejectReason: try c.text("reject_reason"), decidedBy: try c.text("decided_by"),
            decidedAt: try c.date("decided_at"), createdAt: try c.requiredDate("created_at"), updatedAt: try c.requiredDate("updated_at"),
            purgedAt: try c.date("purged_at"))
    }

    static let itemColumns = [
        "id", "message_id", "text", "author", "platform", "thread", "url", "posted_at", "category", "matched", "reason", "urgent",
        "draft", "holding_reply", "status", "created_at", "updated_at",
    ]

    static func values(_ item: ReviewItem) -> [PostgresValue] {
        [
            .text(item.id), .text(item.messageID), .text(item.text), .text(item.author), .text(item.platform), .text(item.thread),
            .text(item.url), .text(item.postedAt), .text(item.category), .text(SQLiteReviewStore.encodeList(item.matched)),
            .text(item.reason), .bool(item.urgent), .text(item.draft), .text(item.holdingReply), .text(item.status.rawValue),
            .date(item.createdAt), .date(item.updatedAt),
        ]
    }

    /// Writes the fields a transition may change.
    static func update(_ item: ReviewItem, _ connection: PostgresConnection) async throws {
        var s = PostgresStatement("UPDATE review_item SET ")
        let fields: [(String, PostgresValue)] = [
            ("text", .text(item.text)), ("author", .text(item.author)), ("url", .text(item.url)), ("status", .text(item.status.rawValue)),
            ("assignee", .text(item.assignee)), ("final_text", .text(item.finalText)), ("reject_reason", .text(item.rejectReason)),
            ("decided_by", .text(item.decidedBy)), ("decided_at", .date(item.decidedAt)), ("updated_at", .date(item.updatedAt)),
            ("purged_at", .date(item.purgedAt)), ("draft", .text(item.draft)), ("holding_reply", .text(item.holdingReply)),
        ]
        for (i, (name, value)) in fields.enumerated() {
            s.add(i == 0 ? "\(name) = " : ", \(name) = ")
            s.bind(value)
        }
        s.add(" WHERE id = ")
        s.bind(.text(item.id))
        _ = try await run(s.query, connection)
    }

    /// One item, locked until the transaction ends when `lock` is set (so of two people acting at
    /// once, the second reads what the first wrote).
    static func fetchItem(_ id: String, lock: Bool = false, _ connection: PostgresConnection) async throws -> ReviewItem? {
        var s = PostgresStatement("SELECT * FROM review_item WHERE id = ")
        s.bind(.text(id))
        if lock { s.add(" FOR UPDATE") }
        return try await run(s.query, connection).first.map(item)
    }

    static func decision(_ row: PostgresRow) throws -> Decision {
        let c = PostgresColumns(row)
        return Decision(
            id: try c.string("message_id"), action: Action(rawValue: try c.string("action")) ?? .error, category: try c.text("category"),
            urgent: try c.bool("urgent"), matched: SQLiteReviewStore.decodeList(try c.text("matched")), reason: try c.text("reason"),
            reply: try c.text("reply"), draft: try c.text("draft"), queueID: try c.text("queue_id"), error: try c.text("error"))
    }

    static let decisionColumns = [
        "seq", "message_id", "dedup_key", "decided_at", "action", "category", "urgent", "matched", "reason", "reply", "draft", "error",
        "queue_id",
    ]

    static func values(_ decision: Decision, seq: Int64, at now: Date) -> [PostgresValue] {
        [
            .int(seq), .text(decision.id), .text(StoreIDs.dedupKey(decision)), .date(now), .text(decision.action.rawValue),
            .text(decision.category), .bool(decision.urgent), .text(SQLiteReviewStore.encodeList(decision.matched)),
            .text(decision.reason), .text(decision.reply), .text(decision.draft), .text(decision.error), .text(decision.queueID),
        ]
    }

    static func auditEntry(_ row: PostgresRow) throws -> AuditEntry {
        let c = PostgresColumns(row)
        return AuditEntry(
            sequence: try c.int("seq"), itemID: try c.string("item_id"), at: try c.requiredDate("at"), actor: try c.string("actor"),
            action: AuditEntry.Action(rawValue: try c.string("action")) ?? .queued, textBefore: try c.text("text_before"),
            textAfter: try c.text("text_after"), note: try c.text("note"), override: try c.text("override"))
    }

    static let auditColumns = ["item_id", "at", "actor", "action", "text_before", "text_after", "note", "override"]

    static func values(_ entry: AuditEntry) -> [PostgresValue] {
        [
            .text(entry.itemID), .date(entry.at), .text(entry.actor), .text(entry.action.rawValue), .text(entry.textBefore),
            .text(entry.textAfter), .text(entry.note), .text(entry.override),
        ]
    }

    /// Appends audit entries (one statement).
    static func append(_ entries: [AuditEntry], _ connection: PostgresConnection) async throws {
        for s in PostgresStatement.insert("audit", auditColumns, entries.map(values)) { _ = try await run(s.query, connection) }
    }

    static func outboxEntry(_ row: PostgresRow) throws -> OutboxEntry {
        let c = PostgresColumns(row)
        return OutboxEntry(
            idempotencyKey: try c.string("idempotency_key"), queueID: try c.text("queue_id"), messageID: try c.string("message_id"),
            text: try c.string("text"), platform: try c.text("platform"), thread: try c.text("thread"), kind: try c.string("kind"),
            attempts: try c.row["attempts"].decode(Int.self), nextAttemptAt: try c.requiredDate("next_attempt_at"),
            status: OutboxEntry.Status(rawValue: try c.string("status")) ?? .pending, lastError: try c.text("last_error"),
            createdAt: try c.requiredDate("created_at"))
    }

    /// Queues replies; a reply already queued under the same key is left as it is.
    static func insert(_ entries: [OutboxEntry], _ connection: PostgresConnection) async throws {
        let columns = [
            "idempotency_key", "queue_id", "message_id", "text", "platform", "thread", "kind", "attempts", "next_attempt_at", "status",
            "last_error", "created_at",
        ]
        let rows: [[PostgresValue]] = entries.map { e in
            [
                .text(e.idempotencyKey), .text(e.queueID), .text(e.messageID), .text(e.text), .text(e.platform), .text(e.thread),
                .text(e.kind), .int(Int64(e.attempts)), .date(e.nextAttemptAt), .text(e.status.rawValue), .text(e.lastError),
                .date(e.createdAt),
            ]
        }
        for s in PostgresStatement.insert("outbox", columns, rows, suffix: " ON CONFLICT (idempotency_key) DO NOTHING") {
            _ = try await run(s.query, connection)
        }
    }
}
