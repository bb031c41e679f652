import GRDB

extension SQLiteReviewStore {
    /// The schema, one registered migration per version. Never edit a shipped migration: add one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: decisions, review items, audit trail, outbox") { db in
            try db.execute(
                sql: """
                    CREATE TABLE review_item (
                        id TEXT PRIMARY KEY NOT NULL,
                        message_id TEXT NOT NULL,
                        text TEXT, author TEXT, platform TEXT, thread TEXT, url TEXT, posted_at TEXT,
                        category TEXT, matched TEXT NOT NULL DEFAULT '[]', reason TEXT,
                        urgent INTEGER NOT NULL DEFAULT 0, draft TEXT, holding_reply TEXT,
                        status TEXT NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'approved', 'edited', 'rejected', 'sent', 'failed')),
                        assignee TEXT, final_text TEXT, reject_reason TEXT, decided_by TEXT, decided_at DATETIME,
                        created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, purged_at DATETIME
                    );
                    CREATE INDEX review_item_queue ON review_item(status, urgent DESC, created_at);
                    CREATE INDEX review_item_message ON review_item(message_id);

                    CREATE TABLE decision (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        message_id TEXT NOT NULL,
                        dedup_key TEXT UNIQUE,
                        decided_at DATETIME NOT NULL,
                        action TEXT NOT NULL CHECK (action IN ('reply', 'review', 'ignore', 'error')),
                        category TEXT, urgent INTEGER NOT NULL DEFAULT 0, matched TEXT NOT NULL DEFAULT '[]',
                        reason TEXT, reply TEXT, draft TEXT, error TEXT,
                        queue_id TEXT REFERENCES review_item(id)
                    );
                    CREATE INDEX decision_message ON decision(message_id);

                    CREATE TABLE audit (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        item_id TEXT NOT NULL REFERENCES review_item(id),
                        at DATETIME NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                        text_before TEXT, text_after TEXT, note TEXT, override TEXT
                    );
                    CREATE INDEX audit_item ON audit(item_id, seq);
                    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

                    CREATE TABLE outbox (
                        idempotency_key TEXT PRIMARY KEY NOT NULL,
                        queue_id TEXT REFERENCES review_item(id),
                        message_id TEXT NOT NULL, text TEXT NOT NULL, platform TEXT, thread TEXT,
                        kind TEXT NOT NULL CHECK (kind IN ('reply', 'holding', 'approved')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at DATETIME NOT NULL,
                        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
                        last_error TEXT, lease_until DATETIME,
                        created_at DATETIME NOT NULL, delivered_at DATETIME, response TEXT
                    );
                    CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
                    """)
        }
        migrator.registerMigration("v2: webhook deliveries") { db in
            try db.execute(
                sql: """
                    CREATE TABLE webhook_delivery (
                        delivery_id TEXT PRIMARY KEY NOT NULL,
                        decision_seq INTEGER NOT NULL REFERENCES decision(seq)
                    );
                    """)
        }
        migrator.registerMigration("v3: erasable content of purged items' audit entries") { db in
            // Events stay append-only; only the text of a purged item's entries may be erased.
            try db.execute(
                sql: """
                    DROP TRIGGER audit_no_update;
                    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                        WHEN NEW.seq IS NOT OLD.seq OR NEW.item_id IS NOT OLD.item_id OR NEW.at IS NOT OLD.at
                            OR NEW.actor IS NOT OLD.actor OR NEW.action IS NOT OLD.action OR NEW.override IS NOT OLD.override
                            OR (SELECT purged_at FROM review_item WHERE id = OLD.item_id) IS NULL
                        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                    """)
        }
        return migrator
    }
}
