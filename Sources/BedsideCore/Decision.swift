/// What Bedside does with a message.
public enum Action: String, Sendable, Codable, CaseIterable {
    /// Answer at once with a vetted template.
    case reply
    /// Put it in front of a person, with a draft where one fits.
    case review
    /// Do nothing (noise, the practice's own posts, duplicates).
    case ignore
    /// The input could not be read as a message.
    case error
}

/// The one decision made for one input message, in the shape `bedside run` prints it.
public struct Decision: Sendable, Hashable, Codable {
    /// The message id (`line-N` when the input had none).
    public var id: String
    /// What to do.
    public var action: Action
    /// The winning category (`question.hours`, `risk.self-harm`, …), if any rule won.
    public var category: String?
    /// True only for reviews where someone may be in danger now.
    public var urgent: Bool
    /// Ids of every rule that matched, in rulebook order.
    public var matched: [String]
    /// A short machine-readable cause, for `review`, `ignore` and `error`.
    public var reason: String?
    /// The text sent now: the automatic reply, or an urgent item's holding reply.
    public var reply: String?
    /// The suggested reply waiting for a person (reviews only).
    public var draft: String?
    /// The review item's id when a store is in use.
    public var queueID: String?
    /// For `error`: a human-readable explanation naming the line.
    public var error: String?

    /// Creates a decision.
    public init(
        id: String, action: Action, category: String? = nil, urgent: Bool = false,
        matched: [String] = [], reason: String? = nil, reply: String? = nil,
        draft: String? = nil, queueID: String? = nil, error: String? = nil
    ) {
        self.id = id
        self.action = action
        self.category = category
        self.urgent = urgent
        self.matched = matched
        self.reason = reason
        self.reply = reply
        self.draft = draft
        self.queueID = queueID
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case id, action, category, urgent, matched, reason, reply, draft, error
        case queueID = "queue_id"
    }

    /// Encodes the contract's shape: `category` is always present (null when none won);
    /// the other optional fields appear only when set.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(action, forKey: .action)
        try c.encode(category, forKey: .category)
        try c.encode(urgent, forKey: .urgent)
        try c.encode(matched, forKey: .matched)
        try c.encodeIfPresent(reason, forKey: .reason)
        try c.encodeIfPresent(reply, forKey: .reply)
        try c.encodeIfPresent(draft, forKey: .draft)
        try c.encodeIfPresent(queueID, forKey: .queueID)
        try c.encodeIfPresent(error, forKey: .error)
    }

    /// An `error` decision for an input that could not be read.
    public static func failure(id: String, reason: String, explanation: String) -> Decision {
        Decision(id: id, action: .error, reason: reason, error: explanation)
    }
}
