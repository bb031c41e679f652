import Foundation

/// One line of an item's append-only history: who did what, when, and the text before and after.
public struct AuditEntry: Sendable, Hashable, Codable {
    /// What happened.
    public enum Action: String, Sendable, Codable {
        /// `bedside run` (or the webhook) queued the item.
        case queued
        /// A person approved the draft as written.
        case approved
        /// A person approved a text of their own.
        case edited
        /// A person closed the item without a reply.
        case rejected
        /// A person took the item on or handed it over.
        case assigned
        /// The approved reply was delivered.
        case sent
        /// Delivery gave up (of the approved reply, or of a holding reply: see the note).
        case failed
        /// A person sent a failed reply again (`bedside deliver --retry`).
        case resent
        /// The message text was removed by `queue purge`.
        case purged
    }

    /// Its place in the trail (increasing).
    public var sequence: Int64
    /// The review item.
    public var itemID: String
    /// When.
    public var at: Date
    /// Who (`bedside` for the tool itself).
    public var actor: String
    /// What.
    public var action: Action
    /// The reply text before (the draft), when the action changed it.
    public var textBefore: String?
    /// The reply text after (what was approved).
    public var textAfter: String?
    /// A note: the reject reason, the assignee, a delivery error, what the guard found.
    public var note: String?
    /// The justification given with `--override` when the reply guard refused the text.
    public var override: String?

    /// Creates an entry.
    public init(
        sequence: Int64 = 0, itemID: String, at: Date, actor: String, action: Action, textBefore: String? = nil,
        textAfter: String? = nil, note: String? = nil, override: String? = nil
    ) {
        self.sequence = sequence
        self.itemID = itemID
        self.at = at
        self.actor = actor
        self.action = action
        self.textBefore = textBefore
        self.textAfter = textAfter
        self.note = note
        self.override = override
    }

    enum CodingKeys: String, CodingKey {
        case sequence, at, actor, action, note, override
        case itemID = "item_id"
        case textBefore = "text_before"
        case textAfter = "text_after"
    }
}
