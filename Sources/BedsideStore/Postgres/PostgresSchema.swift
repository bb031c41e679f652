import Foundation
import PostgresNIO

/// The PostgreSQL schema: the same tables as the SQLite store's, one numbered migration per
/// version, applied at start under an advisory lock so that instances starting together apply
/// each migration once. Never edit a shipped migration: add one.
enum PostgresSchema {
    /// The advisory lock key every instance takes while migrating (any fixed number; this one spells "bedside").
    static let lockKey: Int64 = 0x6265_6473_6964_65

    /// The migrations, in order; a store knows the versions it has applied in `bedside_schema`.
    static let migrations: [(version: Int, name: String, sql: [String])] = [
        (
            1, "decisions, review items, audit trail, outbox, webhook deliveries",
            [
                """
                CREATE TABLE review_item (
                    id text PRIMARY KEY,
                    message_id text NOT NULL,
                    text text, author text, platform text, thread text, url text, posted_at text,
                    category text, matched text NOT NULL DEFAULT '[]', reason text,
                    urgent boolean NOT NULL DEFAULT false, draft text, holding_reply text,
                    status text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'approved', 'edited', 'rejected', 'sent', 'failed')),
                    assignee text, final_text text, reject_reason text, decided_by text, decided_at timestamptz,
                    created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, purged_at timestamptz
                )
                """,
                "CREATE INDEX review_item_queue ON review_item (status, urgent DESC, created_at)",
                "CREATE INDEX review_item_message ON review_item (message_id)",
                // The item a review decision names is written after the decision (only a decision that
                // wins its message id gets one), so the reference is checked at commit.
                """
                CREATE TABLE decision (
                    seq bigserial PRIMARY KEY,
                    message_id text NOT NULL,
                    dedup_key text UNIQUE,
                    decided_at timestamptz NOT NULL,
                    action text NOT NULL CHECK (action IN ('reply', 'review', 'ignore', 'error')),
                    category text, urgent boolean NOT NULL DEFAULT false, matched text NOT NULL DEFAULT '[]',
                    reason text, reply text, draft text, error text,
                    queue_id text REFERENCES review_item (id) DEFERRABLE INITIALLY DEFERRED
                )
                """,
                "CREATE INDEX decision_message ON decision (message_id)",
                "CREATE INDEX decision_queue ON decision (queue_id)",
                """
                CREATE TABLE audit (
                    seq bigserial PRIMARY KEY,
                    item_id text NOT NULL REFERENCES review_item (id),
                    at timestamptz NOT NULL, actor text NOT NULL, action text NOT NULL,
                    text_before text, text_after text, note text, override text
                )
                """,
                "CREATE INDEX audit_item ON audit (item_id, seq)",
                // Events are append-only; only the text of a purged item's entries may be erased.
                """
                CREATE FUNCTION bedside_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' AND NEW.seq = OLD.seq AND NEW.item_id = OLD.item_id AND NEW.at = OLD.at
                        AND NEW.actor = OLD.actor AND NEW.action = OLD.action
                        AND NEW.override IS NOT DISTINCT FROM OLD.override
                        AND (SELECT purged_at FROM review_item WHERE id = OLD.item_id) IS NOT NULL
                    THEN
                        RETURN NEW;
                    END IF;
                    RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = 'restrict_violation';
                END
                $$
                """,
                """
                CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
                    FOR EACH ROW EXECUTE FUNCTION bedside_audit_append_only()
                """,
                """
                CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
                    FOR EACH STATEMENT EXECUTE FUNCTION bedside_audit_append_only()
                """,
                """
                CREATE TABLE outbox (
                    idempotency_key text PRIMARY KEY,
                    seq bigserial NOT NULL,
                    queue_id text REFERENCES review_item (id),
                    message_id text NOT NULL, text text NOT NULL, platform text, thread text,
                    kind text NOT NULL CHECK (kind IN ('reply', 'holding', 'approved')),
                    attempts integer NOT NULL DEFAULT 0,
                    next_attempt_at timestamptz NOT NULL,
                    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
                    last_error text, lease_until timestamptz,
                    created_at timestamptz NOT NULL, delivered_at timestamptz, response text
                )
                """,
                "CREATE INDEX outbox_due ON outbox (status, next_attempt_at)",
                "CREATE INDEX outbox_item ON outbox (queue_id)",
                """
                CREATE TABLE webhook_delivery (
                    delivery_id text PRIMARY KEY,
                    decision_seq bigint NOT NULL REFERENCES decision (seq)
                )
                """,
            ]
        )
    ]

    /// Applies the migrations this database lacks, in one transaction under the advisory lock: a
    /// second instance starting at the same moment waits, then finds them applied.
    static func migrate(_ connection: PostgresConnection) async throws {
        let logger = PostgresReviewStore.quiet
        try await connection.query("BEGIN", logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS bedside_schema (
                    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """, logger: logger)
            var applied: Set<Int> = []
            for try await version in try await connection.query("SELECT version FROM bedside_schema", logger: logger).decode(Int.self) {
                applied.insert(version)
            }
            let known = Set(migrations.map(\.version))
            if let newer = applied.subtracting(known).max() {
                throw ReviewStoreError.unavailable(
                    "the database has schema version \(newer), newer than this bedside knows (\(known.max() ?? 0)); upgrade bedside")
            }
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.sql { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                try await connection.query(
                    "INSERT INTO bedside_schema (version, name) VALUES (\(migration.version), \(migration.name))", logger: logger)
            }
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }
}
