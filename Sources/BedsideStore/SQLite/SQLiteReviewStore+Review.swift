import Foundation
import GRDB

/// What staff do to an item. Each is one write transaction that re-reads the item first, so of two
/// people acting at once exactly one finds it pending; the other gets a conflict.
extension SQLiteReviewStore {
    /// Approves a pending item and queues its reply; a conflict when it is no longer pending.
    public func approve(_ id: String, text: String, by actor: String, override: String?, guardFindings: [String]) async throws -> ReviewItem
    {
        let now = clock()
        return try await pool.write { db in
            let item = try Self.require(id, db)
            let (changed, audit, entry) = try ReviewTransition.approve(
                item, text: text, actor: actor, override: override, findings: guardFindings, now: now)
            try Self.update(changed, db)
            try Self.append(audit, db)
            try Self.insert(entry, db)
            return changed
        }
    }

    /// Closes a pending item without a reply.
    public func reject(_ id: String, reason: String, by actor: String) async throws -> ReviewItem {
        let now = clock()
        return try await pool.write { db in
            let (changed, audit) = try ReviewTransition.reject(try Self.require(id, db), reason: reason, actor: actor, now: now)
            try Self.update(changed, db)
            try Self.append(audit, db)
            return changed
        }
    }

    /// Hands a pending item to a person.
    public func assign(_ id: String, to assignee: String, by actor: String) async throws -> ReviewItem {
        let now = clock()
        return try await pool.write { db in
            let (changed, audit) = try ReviewTransition.assign(try Self.require(id, db), to: assignee, actor: actor, now: now)
            try Self.update(changed, db)
            try Self.append(audit, db)
            return changed
        }
    }

    static func require(_ id: String, _ db: Database) throws -> ReviewItem {
        guard let item = try fetchItem(db, id) else { throw ReviewStoreError.notFound(id: id) }
        return item
    }
}
