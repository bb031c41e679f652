import BedsideCore
import Foundation

/// The answer to recording a decision.
public struct Recorded: Sendable, Hashable {
    /// The decision as stored: with `queueID` for reviews. For a message id recorded before, the
    /// first decision.
    public var decision: Decision
    /// False when the message id had already been decided and nothing was recorded this time.
    public var isNew: Bool

    /// Creates an answer.
    public init(decision: Decision, isNew: Bool) {
        self.decision = decision
        self.isNew = isNew
    }

    /// What `bedside run` prints: the decision, or `ignore`/`duplicate` for a message decided before.
    public var printable: Decision {
        isNew ? decision : Decision(id: decision.id, action: .ignore, reason: "duplicate")
    }
}

/// What one new decision adds to the store, worked out the same way by every implementation.
struct RecordPlan {
    var decision: Decision
    var item: ReviewItem?
    var outbox: [OutboxEntry]
    var audit: AuditEntry?

    /// Plans the rows for `decision` about `message`, queued at `now` under `queueID` if it is a review.
    init(_ decision: Decision, for message: Message, now: Date, queueID: String) {
        var decision = decision
        var item: ReviewItem?
        if decision.action == .review {
            let id = queueID
            decision.queueID = id
            item = ReviewItem(
                id: id, messageID: message.id, text: message.text, author: message.author, platform: message.platform,
                thread: message.thread, url: message.url, postedAt: message.createdAt, category: decision.category,
                matched: decision.matched, reason: decision.reason, urgent: decision.urgent, draft: decision.draft,
                holdingReply: decision.reply, createdAt: now, updatedAt: now)
        }
        var outbox: [OutboxEntry] = []
        if let reply = decision.reply, decision.action == .reply || decision.action == .review {
            let kind = decision.action == .reply ? "reply" : "holding"
            outbox.append(
                OutboxEntry(
                    idempotencyKey: StoreIDs.idempotencyKey(messageID: message.id, kind: kind, text: reply),
                    queueID: decision.queueID, messageID: message.id, text: reply, platform: message.platform,
                    thread: message.thread, kind: kind, nextAttemptAt: now, createdAt: now))
        }
        self.decision = decision
        self.item = item
        self.outbox = outbox
        audit = item.map { AuditEntry(itemID: $0.id, at: now, actor: "bedside", action: .queued, textAfter: $0.draft, note: $0.reason) }
    }
}
