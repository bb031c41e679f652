/// The checks for anything half-done that every store runs the same way (none is expected: every
/// change is one transaction): every review decision has its item and one `queued` audit row, every
/// reply its outbox entry, every approved item its approved reply. Written in the SQL both SQLite and
/// PostgreSQL read, so the two stores cannot drift apart.
public enum StoreIntegrity {
    /// What each query finds, and the query: every row it returns is one problem.
    public static let checks: [(what: String, sql: String)] = [
        (
            "review decision without its item",
            "SELECT message_id FROM decision WHERE action = 'review' AND (queue_id IS NULL OR queue_id NOT IN (SELECT id FROM review_item))"
        ),
        (
            "review item without its decision",
            "SELECT id FROM review_item WHERE id NOT IN (SELECT queue_id FROM decision WHERE queue_id IS NOT NULL)"
        ),
        (
            "review item without its queued audit row",
            "SELECT id FROM review_item WHERE id NOT IN (SELECT item_id FROM audit WHERE action = 'queued')"
        ),
        (
            "review item queued more than once",
            "SELECT item_id FROM audit WHERE action = 'queued' GROUP BY item_id HAVING count(*) > 1"
        ),
        (
            "reply decision without its outbox entry",
            """
            SELECT message_id FROM decision d WHERE reply IS NOT NULL AND action IN ('reply', 'review')
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = d.message_id AND o.kind IN ('reply', 'holding'))
            """
        ),
        (
            "approved item without its outbox entry",
            """
            SELECT id FROM review_item i WHERE status IN ('approved', 'edited', 'sent', 'failed')
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.queue_id = i.id AND o.kind = 'approved')
            """
        ),
    ]
}
