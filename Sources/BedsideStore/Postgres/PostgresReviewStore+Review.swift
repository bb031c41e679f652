import Foundation
import PostgresNIO

/// Reading the queue, and what staff do to an item. Each change locks the item's row and re-reads
/// it, so of two people acting at once on any instances exactly one finds it pending; the other
/// gets a conflict and nothing is sent twice.
extension PostgresReviewStore {
    /// Review items in queue order, filtered.
    public func items(_ filter: ReviewFilter) async throws -> [ReviewItem] {
        var s = PostgresStatement("SELECT * FROM review_item WHERE true")
        if let statuses = filter.statuses {
            guard !statuses.isEmpty else { return [] }
            s.add(" AND status = ANY(")
            s.bind(.texts(statuses.map(\.rawValue).sorted()))
            s.add(")")
        }
        if let prefix = filter.categoryPrefix {
            s.add(" AND starts_with(coalesce(category, ''), ")
            s.bind(.text(prefix))
            s.add(")")
        }
        if let olderThan = filter.olderThan {
            s.add(" AND created_at <= ")
            s.bind(.date(filter.now.addingTimeInterval(-olderThan)))
        }
        if filter.urgentOnly { s.add(" AND urgent") }
        s.add(" ORDER BY status = 'pending' DESC, urgent DESC, created_at ASC, id COLLATE \"C\" ASC")
        if let limit = filter.limit {
            s.add(" LIMIT ")
            s.bind(.int(Int64(limit)))
        }
        let query = s.query
        return try await read { connection in try await Self.run(query, connection).map(Self.item) }
    }

    /// One review item, or `nil`.
    public func item(_ id: String) async throws -> ReviewItem? {
        try await read { connection in try await Self.fetchItem(id, connection) }
    }

    /// The audit trail of one item, oldest first.
    public func history(_ id: String) async throws -> [AuditEntry] {
        var s = PostgresStatement("SELECT * FROM audit WHERE item_id = ")
        s.bind(.text(id))
        s.add(" ORDER BY seq")
        let query = s.query
        return try await read { connection in try await Self.run(query, connection).map(Self.auditEntry) }
    }

    /// Approves a pending item and queues its reply; a conflict when it is no longer pending.
    public func approve(_ id: String, text: String, by actor: String, override: String?, guardFindings: [String]) async throws -> ReviewItem
    {
        let now = clock()
        return try await transaction { connection in
            let item = try await Self.require(id, connection)
            let (changed, audit, entry) = try ReviewTransition.approve(
                item, text: text, actor: actor, override: override, findings: guardFindings, now: now)
            try await Self.update(changed, connection)
            try await Self.append([audit], connection)
            try await Self.insert([entry], connection)
            return changed
        }
    }

    /// Closes a pending item without a reply.
    public func reject(_ id: String, reason: String, by actor: String) async throws -> ReviewItem {
        let now = clock()
        return try await transaction { connection in
            let (changed, audit) = try ReviewTransition.reject(
                try await Self.require(id, connection), reason: reason, actor: actor, now: now)
            try await Self.update(changed, connection)
            try await Self.append([audit], connection)
            return changed
        }
    }

    /// Hands a pending item to a person.
    public func assign(_ id: String, to assignee: String, by actor: String) async throws -> ReviewItem {
        let now = clock()
        return try await transaction { connection in
            let (changed, audit) = try ReviewTransition.assign(
                try await Self.require(id, connection), to: assignee, actor: actor, now: now)
            try await Self.update(changed, connection)
            try await Self.append([audit], connection)
            return changed
        }
    }

    /// The item, locked for this transaction, or ``ReviewStoreError/notFound(id:)``.
    static func require(_ id: String, _ connection: PostgresConnection) async throws -> ReviewItem {
        guard let item = try await fetchItem(id, lock: true, connection) else { throw ReviewStoreError.notFound(id: id) }
        return item
    }
}
