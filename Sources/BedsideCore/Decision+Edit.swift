extension Decision {
    /// The `reason` of an edit that changes nothing Bedside would do: no second reply, no new item.
    public static let editUnchanged = "edit-unchanged"
    /// The `reason` of an edit, never answered before, that would now get an automatic reply: a
    /// person decides, since the comment may already have had its one public reply elsewhere.
    public static let editedReason = "edited"

    /// What to do with an edited message, given this decision for its new text and the decision
    /// recorded for the message as first posted.
    ///
    /// One public reply per message: an edit never gets an automatic reply of its own. It goes to
    /// a person only when the decision changes — a risk appears (a review the original was not, or
    /// of another category, or now urgent; an urgent edit keeps its holding reply, since someone may
    /// be in danger now), or a message nobody answered or queued now asks for a reply (as a draft).
    /// Anything else is `ignore` with reason ``editUnchanged``.
    public func forEdit(of original: Decision) -> Decision {
        switch action {
        case .review:
            let changed = original.action != .review || original.category != category || (urgent && !original.urgent)
            if changed { return self }
        case .reply:
            if original.action != .reply, original.action != .review {
                var draft = self
                draft.action = .review
                draft.reason = Self.editedReason
                draft.draft = reply
                draft.reply = nil
                return draft
            }
        case .ignore, .error:
            break
        }
        return Decision(id: id, action: .ignore, category: category, matched: matched, reason: Self.editUnchanged)
    }
}
