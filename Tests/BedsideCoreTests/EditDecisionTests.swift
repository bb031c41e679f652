import BedsideCore
import Testing

/// An edited message never gets a second public reply; it goes to a person only when the decision changes.
struct EditDecisionTests {
    static let replied = Decision(id: "c", action: .reply, category: "recommendation.praise", matched: ["praise"], reply: "Thank you!")
    static let reviewed = Decision(id: "c", action: .review, category: "complaint.staff", matched: ["rude"], reason: "complaint.staff")
    static let ignored = Decision(id: "c", action: .ignore, reason: "unmatched")

    @Test func theSameReplyAgainIsIgnored() {
        let edit = Decision(id: "c@edit-1", action: .reply, category: "recommendation.praise", matched: ["praise"], reply: "Thank you!")
        let outcome = edit.forEdit(of: Self.replied)
        #expect(outcome.action == .ignore)
        #expect(outcome.reason == Decision.editUnchanged)
        #expect(outcome.reply == nil)
    }

    @Test func anotherReplyIsIgnoredToo() {
        let edit = Decision(id: "c@edit-1", action: .reply, category: "question.hours", matched: ["hours"], reply: "We open at 8.")
        #expect(edit.forEdit(of: Self.replied).action == .ignore)
    }

    @Test func aRiskThatAppearsGoesToAPersonWithItsHoldingReply() {
        let edit = Decision(
            id: "c@edit-1", action: .review, category: "risk.self-harm", urgent: true, matched: ["s"], reason: "risk.self-harm",
            reply: "Samaritans 116 123")
        #expect(edit.forEdit(of: Self.replied) == edit)
        #expect(edit.forEdit(of: Self.reviewed) == edit)
    }

    @Test func theSameReviewAgainIsIgnored() {
        let edit = Decision(id: "c@edit-1", action: .review, category: "complaint.staff", matched: ["rude"], reason: "complaint.staff")
        #expect(edit.forEdit(of: Self.reviewed).action == .ignore)
    }

    @Test func aReplyForAMessageNobodyAnsweredIsADraftForAPerson() {
        let edit = Decision(id: "c@edit-1", action: .reply, category: "question.hours", matched: ["hours"], reply: "We open at 8.")
        let outcome = edit.forEdit(of: Self.ignored)
        #expect(outcome.action == .review)
        #expect(outcome.reason == Decision.editedReason)
        #expect(outcome.draft == "We open at 8.")
        #expect(outcome.reply == nil)
    }

    @Test func nothingForNothing() {
        let edit = Decision(id: "c@edit-1", action: .ignore, reason: "unmatched")
        #expect(edit.forEdit(of: Self.replied).reason == Decision.editUnchanged)
    }
}
