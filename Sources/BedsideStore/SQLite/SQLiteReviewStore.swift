import BedsideCore
import Foundation
import GRDB

/// The review store in one SQLite file, through GRDB's `DatabasePool` (WAL: readers never wait for
/// the writer, and several processes — `bedside run`, `bedside queue`, `bedside deliver` — may
/// share the file).
public final class SQLiteReviewStore: ReviewStore {
    /// The database file, or `:memory:` (a store that lasts as long as the process).
    public let path: String
    let pool: any DatabaseWriter
    let clock: @Sendable () -> Date

    /// Opens (creating if need be) the store at `path` and brings its schema up to date.
    ///
    /// - Parameter clock: the time recorded for changes (tests pass a fixed one).
    public init(path: String, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.path = path
        self.clock = clock
        var configuration = GRDB.Configuration()
        configuration.foreignKeysEnabled = true
        // Another process may hold the write lock for a moment (a batch of `run`, an approval).
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // synchronous=FULL, not NORMAL: in WAL mode NORMAL already survives a killed process, but
            // a commit may be lost on power failure or an OS crash. `bedside run` prints a decision
            // (and a webhook is acknowledged) only after its commit, and what was printed may have
            // been acted on, so a commit must be on disk: FULL syncs the WAL at every commit. Batching
            // many decisions per transaction keeps that to one sync per batch.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // What purge erases is overwritten in the file, not left in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        do {
            // An in-memory database has no WAL (and no other process to share it with): one connection.
            pool =
                path == ":memory:"
                ? try DatabaseQueue(configuration: configuration) : try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw ReviewStoreError.unavailable("\(path): \(Self.describe(error))")
        }
    }

    /// A database error for people, without statement arguments (they may hold message text).
    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "SQLite error \(error.resultCode.rawValue)" }
        return String(describing: error)
    }

    // MARK: recording

    /// Records a batch synchronously, in one transaction (for the stdin filter, which commits a
    /// batch right before it would block on input).
    public func recordBatchNow(_ items: [(decision: Decision, message: Message)]) throws -> [Recorded] {
        let now = clock()
        return try pool.write { db in try Self.record(items, now: now, db) }
    }

    /// Records decisions in one transaction (see ``ReviewStore/recordBatch(_:)``).
    public func recordBatch(_ items: [(decision: Decision, message: Message)]) async throws -> [Recorded] {
        let now = clock()
        return try await pool.write { db in try Self.record(items, now: now, db) }
    }

    static func record(_ items: [(decision: Decision, message: Message)], now: Date, _ db: Database) throws -> [Recorded] {
        var results: [Recorded] = []
        results.reserveCapacity(items.count)
        for (decision, message) in items {
            if let deliveryID = message.deliveryID,
                let row = try Row.fetchOne(
                    try db.cachedStatement(
                        sql: "SELECT decision.* FROM webhook_delivery JOIN decision ON seq = decision_seq WHERE delivery_id = ?"),
                    arguments: [deliveryID])
            {
                results.append(Recorded(decision: Self.decision(from: row), isNew: false))
                continue
            }
            if let key = StoreIDs.dedupKey(decision),
                let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM decision WHERE dedup_key = ?"), arguments: [key])
            {
                try remember(delivery: message.deliveryID, decisionSeq: row["seq"], db)
                results.append(Recorded(decision: Self.decision(from: row), isNew: false))
                continue
            }
            let queueID = decision.action == .review ? try uniqueQueueID(db) : ""
            let plan = RecordPlan(decision, for: message, now: now, queueID: queueID)
            if let item = plan.item { try insert(item, db) }
            try insert(plan.decision, at: now, db)
            try remember(delivery: message.deliveryID, decisionSeq: db.lastInsertedRowID, db)
            if let audit = plan.audit { try append(audit, db) }
            for entry in plan.outbox { try insert(entry, db) }
            results.append(Recorded(decision: plan.decision, isNew: true))
        }
        return results
    }

    /// Records that webhook delivery `deliveryID` was answered by the decision `decisionSeq`.
    static func remember(delivery deliveryID: String?, decisionSeq: Int64, _ db: Database) throws {
        guard let deliveryID else { return }
        try db.cachedStatement(sql: "INSERT INTO webhook_delivery (delivery_id, decision_seq) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .execute(arguments: [deliveryID, decisionSeq])
    }

    static func uniqueQueueID(_ db: Database) throws -> String {
        while true {
            let id = StoreIDs.newQueueID()
            let exists = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM review_item WHERE id = ?)")
            if try !Bool.fetchOne(exists, arguments: [id])! { return id }
        }
    }

    /// The first decision recorded for a message id.
    public func decision(for messageID: String) async throws -> Decision? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM decision WHERE message_id = ? ORDER BY seq LIMIT 1", arguments: [messageID])
                .map(Self.decision(from:))
        }
    }

    // MARK: reading the queue

    /// Review items in queue order, filtered.
    public func items(_ filter: ReviewFilter) async throws -> [ReviewItem] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let statuses = filter.statuses {
            guard !statuses.isEmpty else { return [] }
            conditions.append("status IN (\(Array(repeating: "?", count: statuses.count).joined(separator: ", ")))")
            arguments += statuses.map(\.rawValue).sorted()
        }
        if let prefix = filter.categoryPrefix {
            conditions.append("substr(coalesce(category, ''), 1, length(?)) = ?")
            arguments += [prefix, prefix]
        }
        if let olderThan = filter.olderThan {
            conditions.append("created_at <= ?")
            arguments.append(filter.now.addingTimeInterval(-olderThan))
        }
        if filter.urgentOnly { conditions.append("urgent = 1") }
        var sql = "SELECT * FROM review_item"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY status = 'pending' DESC, urgent DESC, created_at ASC, id ASC"
        if let limit = filter.limit {
            sql += " LIMIT ?"
            arguments.append(limit)
        }
        let statement = sql
        let values = StatementArguments(arguments)
        return try await pool.read { db in try Row.fetchAll(db, sql: statement, arguments: values).map(Self.item(from:)) }
    }

    /// One review item, or `nil`.
    public func item(_ id: String) async throws -> ReviewItem? {
        try await pool.read { db in try Self.fetchItem(db, id) }
    }

    /// The audit trail of one item, oldest first.
    public func history(_ id: String) async throws -> [AuditEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE item_id = ? ORDER BY seq", arguments: [id]).map(Self.auditEntry(from:))
        }
    }
}
