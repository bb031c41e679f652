import Foundation

/// One message waiting for (or past) a person's decision.
public struct ReviewItem: Sendable, Hashable, Codable {
    /// Where an item is in its life: `pending → approved | edited | rejected`, then `approved`/`edited → sent | failed`.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Waiting for a person.
        case pending
        /// Approved with the draft as written; the reply is in the outbox.
        case approved
        /// Approved with a text a person wrote or changed; the reply is in the outbox.
        case edited
        /// Closed without a reply.
        case rejected
        /// The approved reply was delivered.
        case sent
        /// Delivery gave up after the last attempt; a person must look.
        case failed

        /// True once nobody needs to act on the item any more (purge may clear its text).
        public var isClosed: Bool { self != .pending && self != .approved && self != .edited }
    }

    /// The queue id (`q_…`), printed by `bedside run` as `queue_id`.
    public var id: String
    /// The message's id on its platform (or `line-N`).
    public var messageID: String
    /// What the person wrote; `nil` once purged. Personal health data.
    public var text: String?
    /// The writer's handle; `nil` once purged.
    public var author: String?
    /// The platform it came from.
    public var platform: String?
    /// The thread or post it belongs to.
    public var thread: String?
    /// A link to it on its platform; `nil` once purged.
    public var url: String?
    /// When the platform says it was posted.
    public var postedAt: String?
    /// The winning category (`risk.self-harm`, `complaint.service`, …).
    public var category: String?
    /// Ids of every rule that matched.
    public var matched: [String]
    /// Why it was queued (`risk.adverse-reaction`, `needs-approval`, `engine-limit`, …).
    public var reason: String?
    /// Someone may be in danger now.
    public var urgent: Bool
    /// The suggested reply, if one fits.
    public var draft: String?
    /// The holding reply sent at once for an urgent item, if any.
    public var holdingReply: String?
    /// Where it is in its life.
    public var status: Status
    /// Who is looking after it.
    public var assignee: String?
    /// The text approved for sending (the draft or a person's edit).
    public var finalText: String?
    /// Why it was rejected.
    public var rejectReason: String?
    /// Who approved or rejected it.
    public var decidedBy: String?
    /// When it was approved or rejected.
    public var decidedAt: Date?
    /// When it was queued.
    public var createdAt: Date
    /// When it last changed.
    public var updatedAt: Date
    /// When its message text was purged.
    public var purgedAt: Date?

    /// Creates an item.
    public init(
        id: String, messageID: String, text: String?, author: String? = nil, platform: String? = nil,
        thread: String? = nil, url: String? = nil, postedAt: String? = nil, category: String? = nil,
        matched: [String] = [], reason: String? = nil, urgent: Bool = false, draft: String? = nil,
        holdingReply: String? = nil, status: Status = .pending, assignee: String? = nil, finalText: String? = nil,
        rejectReason: String? = nil, decidedBy: String? = nil, decidedAt: Date? = nil, createdAt: Date,
        updatedAt: Date, purgedAt: Date? = nil
    ) {
        self.id = id
        self.messageID = messageID
        self.text = text
        self.author = author
        self.platform = platform
        self.thread = thread
        self.url = url
        self.postedAt = postedAt
        self.category = category
        self.matched = matched
        self.reason = reason
        self.urgent = urgent
        self.draft = draft
        self.holdingReply = holdingReply
        self.status = status
        self.assignee = assignee
        self.finalText = finalText
        self.rejectReason = rejectReason
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.purgedAt = purgedAt
    }

    /// The JSON shape `bedside queue list --json` prints (snake_case).
    enum CodingKeys: String, CodingKey {
        case id, text, author, platform, thread, url, category, matched, reason, urgent, draft, status, assignee
        case messageID = "message_id"
        case postedAt = "posted_at"
        case holdingReply = "holding_reply"
        case finalText = "final_text"
        case rejectReason = "reject_reason"
        case decidedBy = "decided_by"
        case decidedAt = "decided_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case purgedAt = "purged_at"
    }

    /// Encodes every field, `null` where unset, so scripts see a stable shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(messageID, forKey: .messageID)
        try c.encode(status, forKey: .status)
        try c.encode(urgent, forKey: .urgent)
        try c.encode(category, forKey: .category)
        try c.encode(reason, forKey: .reason)
        try c.encode(matched, forKey: .matched)
        try c.encode(draft, forKey: .draft)
        try c.encode(holdingReply, forKey: .holdingReply)
        try c.encode(assignee, forKey: .assignee)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(decidedBy, forKey: .decidedBy)
        try c.encode(decidedAt, forKey: .decidedAt)
        try c.encode(finalText, forKey: .finalText)
        try c.encode(rejectReason, forKey: .rejectReason)
        try c.encode(platform, forKey: .platform)
        try c.encode(thread, forKey: .thread)
        try c.encode(url, forKey: .url)
        try c.encode(author, forKey: .author)
        try c.encode(text, forKey: .text)
        try c.encode(postedAt, forKey: .postedAt)
        try c.encode(purgedAt, forKey: .purgedAt)
    }
}
