import BedsideCore
import BedsideStore
import Foundation
import GRDB
import Testing

/// What only the SQLite store promises: its file survives reopening, the audit trail cannot be
/// rewritten, and the schema is what the migrations say.
struct SQLiteReviewStoreTests {
    @Test func everythingIsStillThereAfterReopening() async throws {
        let folder = TemporaryFolder()
        let path = folder.path("bedside.sqlite")
        var id = ""
        do {
            let store = try SQLiteReviewStore(path: path)
            id = try #require(
                try await store.record(
                    Decision(id: "fb_1", action: .review, category: "complaint.service", reason: "complaint.service", draft: "Sorry."),
                    for: Message(id: "fb_1", text: "Waited an hour")
                ).decision.queueID)
            _ = try await store.assign(id, to: "ana", by: "sam")
        }
        let reopened = try SQLiteReviewStore(path: path)
        #expect(try await reopened.item(id)?.assignee == "ana")
        #expect(try await reopened.record(Decision(id: "fb_1", action: .ignore), for: Message(id: "fb_1", text: "x")).isNew == false)
    }

    @Test func theAuditTrailIsAppendOnly() async throws {
        let folder = TemporaryFolder()
        let path = folder.path("bedside.sqlite")
        let store = try SQLiteReviewStore(path: path)
        _ = try await store.record(Decision(id: "a", action: .review, reason: "x"), for: Message(id: "a", text: "x"))
        let queue = try DatabaseQueue(path: path)
        await #expect(throws: DatabaseError.self) {
            try await queue.write { try $0.execute(sql: "UPDATE audit SET actor = 'someone else'") }
        }
        await #expect(throws: DatabaseError.self) { try await queue.write { try $0.execute(sql: "DELETE FROM audit") } }
        await #expect(throws: DatabaseError.self) {
            try await queue.write { try $0.execute(sql: "UPDATE audit SET note = NULL") }
        }
        let count = try await queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit") }
        #expect(count == 1)
    }

    /// Once an item is purged its entries' text may be erased, and nothing else about them.
    @Test func aPurgedItemsAuditTextMayBeErasedButNotItsEvents() async throws {
        let folder = TemporaryFolder()
        let path = folder.path("bedside.sqlite")
        let store = try SQLiteReviewStore(path: path)
        let id = try #require(
            try await store.record(Decision(id: "a", action: .review, reason: "x"), for: Message(id: "a", text: "x")).decision.queueID)
        _ = try await store.reject(id, reason: "spam", by: "sam")
        #expect(try await store.purge(closedBefore: Date().addingTimeInterval(60), by: "admin") == 1)
        let queue = try DatabaseQueue(path: path)
        try await queue.write { try $0.execute(sql: "UPDATE audit SET note = NULL, text_before = NULL") }
        for change in ["actor = 'x'", "action = 'approved'", "at = '2020-01-01'", "override = 'x'"] {
            await #expect(throws: DatabaseError.self, "\(change)") {
                try await queue.write { try $0.execute(sql: "UPDATE audit SET \(change)") }
            }
        }
        await #expect(throws: DatabaseError.self) { try await queue.write { try $0.execute(sql: "DELETE FROM audit") } }
    }

    @Test func theFileIsInWALModeWithFullSyncAndForeignKeys() async throws {
        let folder = TemporaryFolder()
        let path = folder.path("bedside.sqlite")
        _ = try SQLiteReviewStore(path: path)
        let queue = try DatabaseQueue(path: path)
        let mode = try await queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let migrations = try await queue.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(
            migrations == [
                "v1: decisions, review items, audit trail, outbox", "v2: webhook deliveries",
                "v3: erasable content of purged items' audit entries",
            ])
        await #expect(throws: DatabaseError.self) {
            try await queue.write {
                try $0.execute(sql: "PRAGMA foreign_keys = ON")
                try $0.execute(sql: "INSERT INTO audit (item_id, at, actor, action) VALUES ('q_missing', '2026-01-01', 'x', 'queued')")
            }
        }
    }

    @Test func anUnopenableStoreSaysWhere() throws {
        #expect {
            _ = try SQLiteReviewStore(path: "/nonexistent-folder/bedside.sqlite")
        } throws: { error in
            (error as? ReviewStoreError)?.localizedDescription.contains("/nonexistent-folder/bedside.sqlite") == true
        }
    }
}
