extension Classifier {
    /// The `reason` of an urgent review whose holding reply could not be sent: the reply guard
    /// refused it for this message even without a greeting (the message repeats its words, say).
    /// A person must act at once; `bedside serve` says so in its staff alert.
    public static let holdingReplyRefused = "holding-reply-refused"

    /// The decision for one message from rule outcomes already computed (no duplicate check), with
    /// a lost holding reply made visible: an urgent review whose rule names a `holding_reply` but
    /// that carries none gets the reason ``holdingReplyRefused`` (its category still names the risk).
    public func decision(for message: Message, outcomes: [RuleOutcome]) -> Decision {
        var decision = decide(message, outcomes: outcomes)
        if Self.lostHoldingReply(decision, rulebook: rulebook) { decision.reason = Self.holdingReplyRefused }
        return decision
    }

    /// Whether `decision` is urgent, one of its matched urgent rules names a holding reply, and
    /// none is being sent.
    static func lostHoldingReply(_ decision: Decision, rulebook: Rulebook) -> Bool {
        guard decision.action == .review, decision.urgent, decision.reply == nil else { return false }
        let matched = Set(decision.matched)
        return rulebook.rules.contains { matched.contains($0.id) && $0.escalate == .urgent && $0.holdingReply != nil }
    }
}
