import BedsideCore
import Foundation

/// The rules for changing a review item, shared by every store so they all behave alike.
/// Each function checks, then returns the changed item and what to append to the audit trail.
enum ReviewTransition {
    /// Refuses unless the item is still pending.
    static func requirePending(_ item: ReviewItem, attempted: String) throws(ReviewStoreError) {
        guard item.status == .pending else {
            let by = item.status == .sent || item.status == .failed ? item.decidedBy : (item.decidedBy ?? item.assignee)
            throw .conflict(id: item.id, status: item.status, by: by, at: item.decidedAt ?? item.updatedAt, attempted: attempted)
        }
    }

    /// A person approves `text` (the draft, or their own words).
    static func approve(
        _ item: ReviewItem, text: String, actor: String, override: String?, findings: [String], now: Date
    ) throws(ReviewStoreError) -> (ReviewItem, AuditEntry, OutboxEntry) {
        try requirePending(item, attempted: "approve")
        // What leaves carries no control or bidirectional characters, whoever wrote it.
        let text = InvisibleCharacters.outgoing(text).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .emptyReply(id: item.id) }
        var changed = item
        changed.status = text == item.draft?.trimmingCharacters(in: .whitespacesAndNewlines) ? .approved : .edited
        changed.finalText = text
        changed.decidedBy = actor
        changed.decidedAt = now
        changed.updatedAt = now
        let audit = AuditEntry(
            itemID: item.id, at: now, actor: actor, action: changed.status == .approved ? .approved : .edited,
            textBefore: item.draft, textAfter: text,
            note: findings.isEmpty ? nil : "reply guard: " + findings.joined(separator: "; "), override: override)
        let entry = OutboxEntry(
            idempotencyKey: StoreIDs.idempotencyKey(messageID: item.messageID, kind: "approved", text: text),
            queueID: item.id, messageID: item.messageID, text: text, platform: item.platform, thread: item.thread,
            kind: "approved", nextAttemptAt: now, createdAt: now)
        return (changed, audit, entry)
    }

    /// A person closes the item without a reply.
    static func reject(_ item: ReviewItem, reason: String, actor: String, now: Date) throws(ReviewStoreError) -> (ReviewItem, AuditEntry) {
        try requirePending(item, attempted: "reject")
        var changed = item
        changed.status = .rejected
        changed.rejectReason = reason
        changed.decidedBy = actor
        changed.decidedAt = now
        changed.updatedAt = now
        return (changed, AuditEntry(itemID: item.id, at: now, actor: actor, action: .rejected, textBefore: item.draft, note: reason))
    }

    /// A person hands the item to someone (or takes it).
    static func assign(_ item: ReviewItem, to assignee: String, actor: String, now: Date) throws(ReviewStoreError) -> (
        ReviewItem, AuditEntry
    ) {
        try requirePending(item, attempted: "assign")
        var changed = item
        changed.assignee = assignee
        changed.updatedAt = now
        let note = item.assignee.map { "from \($0) to \(assignee)" } ?? "to \(assignee)"
        return (changed, AuditEntry(itemID: item.id, at: now, actor: actor, action: .assigned, note: note))
    }

    /// The approved reply of an item reached its platform (or gave up: `error` set).
    /// Holding replies do not change the item: it still waits for a person.
    /// A holding reply that failed leaves the item as it is but goes into its history, so nobody
    /// reads it as sent.
    static func delivery(_ item: ReviewItem, kind: String, error: String?, now: Date) -> (ReviewItem, AuditEntry)? {
        if kind == "holding", let error {
            return (
                item, AuditEntry(itemID: item.id, at: now, actor: "bedside", action: .failed, note: "holding reply not delivered: \(error)")
            )
        }
        guard kind == "approved", item.status == .approved || item.status == .edited else { return nil }
        var changed = item
        changed.status = error == nil ? .sent : .failed
        changed.updatedAt = now
        return (changed, AuditEntry(itemID: item.id, at: now, actor: "bedside", action: error == nil ? .sent : .failed, note: error))
    }

    /// A person resends a failed reply: an item whose approved reply had failed waits for its
    /// delivery again.
    static func resend(_ item: ReviewItem, entry: OutboxEntry, actor: String, now: Date) -> (ReviewItem, AuditEntry) {
        var changed = item
        if entry.kind == "approved", item.status == .failed {
            changed.status = item.finalText == item.draft ? .approved : .edited
            changed.updatedAt = now
        }
        let what = entry.kind == "holding" ? "holding reply" : entry.kind == "approved" ? "approved reply" : "reply"
        return (
            changed,
            AuditEntry(itemID: item.id, at: now, actor: actor, action: .resent, note: "\(what) \(entry.idempotencyKey) queued again")
        )
    }

    /// Removes the message text of a closed item.
    /// The writer's handle and words are erased from its drafts, replies and reasons as well.
    static func purge(_ item: ReviewItem, actor: String, now: Date) -> (ReviewItem, AuditEntry) {
        var changed = item
        let erase = eraser(for: item)
        changed.draft = erase(item.draft)
        changed.holdingReply = erase(item.holdingReply)
        changed.finalText = erase(item.finalText)
        changed.rejectReason = erase(item.rejectReason)
        changed.text = nil
        changed.author = nil
        changed.url = nil
        changed.purgedAt = now
        return (changed, AuditEntry(itemID: item.id, at: now, actor: actor, action: .purged, note: "message text, author and link removed"))
    }

    /// Erases what `item`'s writer put into a text (their handle, runs of their words).
    static func eraser(for item: ReviewItem) -> (String?) -> String? {
        { PersonalData.erase($0, handle: item.author, message: item.text) }
    }

    /// The content of an audit entry of a purged item, erased; its event (who, what, when) stays.
    static func erased(_ entry: AuditEntry, of item: ReviewItem) -> AuditEntry {
        let erase = eraser(for: item)
        var changed = entry
        changed.textBefore = erase(entry.textBefore)
        changed.textAfter = erase(entry.textAfter)
        changed.note = erase(entry.note)
        return changed
    }
}
