import BedsideCore
import Foundation
import Testing

/// Every urgent rule of the shipped rulebook sends its crisis or emergency holding reply whoever
/// the author is: an author can cost a reply its greeting, never the reply.
struct HoldingReplyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let rule: String
        let text: String
        var testDescription: String { "\(rule): \"\(text.prefix(50))\"" }
    }

    /// The first example of every urgent rule that names a holding reply.
    static let cases: [Case] = (ShippedRulebookTests.rulebook?.rules ?? []).compactMap { rule in
        guard rule.escalate == .urgent, rule.holdingReply != nil, let text = rule.exampleMatches.first else { return nil }
        return Case(rule: rule.id, text: text)
    }

    /// Authors no greeting may carry.
    static let unreadable = [
        "1423587017700999", "", String(repeating: "Alexandra ", count: 30), "🌸🌸🌸", "\u{202E}nimda\u{202C}", "Sam\u{0000}\u{0007}",
        "+1 (555) 010-9999", "someone@example.com",
    ]

    @Test func everyUrgentRuleWithAHoldingReplyIsCovered() {
        #expect(Self.cases.count >= 8)
    }

    @Test(arguments: cases)
    func holdingReplyIsSentWithoutAGreetingForUnreadableAuthors(_ example: Case) throws {
        let rulebook = try #require(ShippedRulebookTests.rulebook)
        let classifier = Classifier(rulebook: rulebook)
        let holdings = Set(rulebook.rules.compactMap(\.holdingReply))
        let anonymous = Set(holdings.compactMap { rulebook.templates[$0]?.render(rulebook.templateValues(author: nil)) })
        for author in Self.unreadable {
            let decision = classifier.decide(Message(id: UUID().uuidString, text: example.text, author: author))
            #expect(decision.urgent, "\(example.rule)")
            #expect(decision.matched.contains(example.rule))
            let reply = try #require(decision.reply, "\(example.rule) lost its holding reply for author \(author.debugDescription)")
            #expect(anonymous.contains(reply), "the holding reply greets nobody")
            #expect(decision.reason != Classifier.holdingReplyRefused)
        }
    }

    @Test(arguments: cases)
    func readableAuthorsAreGreeted(_ example: Case) throws {
        let rulebook = try #require(ShippedRulebookTests.rulebook)
        let decision = Classifier(rulebook: rulebook).decide(Message(id: "r", text: example.text, author: "Rosie 🌸"))
        #expect(decision.reply?.contains("Rosie 🌸") == true)
    }

    @Test func aNumericAuthorStillGetsTheRoutineReply() throws {
        let rulebook = try #require(ShippedRulebookTests.rulebook)
        let decision = Classifier(rulebook: rulebook).decide(
            Message(id: "m", text: "What time do you open on Saturday?", author: "1423587017700999"))
        #expect(decision.action == .reply)
        #expect(decision.reply?.contains("1423587017700999") == false)
    }

    @Test func aHoldingReplyTheGuardStillRefusesIsMadeVisible() throws {
        let rulebook = try #require(ShippedRulebookTests.rulebook)
        // The message repeats the holding reply's own words, so even without a greeting it would copy them.
        let text = "I want to kill myself tonight. Don't tell me you don't have to face this alone."
        let decision = Classifier(rulebook: rulebook).decide(Message(id: "c", text: text, author: "1423587017700999"))
        #expect(decision.action == .review)
        #expect(decision.urgent)
        #expect(decision.reply == nil)
        #expect(decision.reason == Classifier.holdingReplyRefused)
        #expect(decision.category == "risk.self-harm")
    }
}
