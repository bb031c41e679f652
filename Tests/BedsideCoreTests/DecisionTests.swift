import BedsideCore
import Foundation
import Testing

struct DecisionTests {
    let classifier: Classifier

    init() throws {
        classifier = Classifier(rulebook: try Fixture.rulebook())
    }

    func decide(_ text: String, id: String = UUID().uuidString, author: String? = nil) -> Decision {
        classifier.decide(Message(id: id, text: text, author: author))
    }

    @Test func ownAccountIsIgnoredBeforeAnyRule() {
        let decision = decide("I want to kill myself", author: "@TestPractice")
        #expect(decision.action == .ignore && decision.reason == "own-account" && decision.matched.isEmpty)
    }

    @Test func repeatedIdIsIgnoredAsDuplicate() {
        #expect(decide("Are you open today?", id: "x").action == .reply)
        let second = decide("Are you open today?", id: "x")
        #expect(second.action == .ignore && second.reason == "duplicate")
    }

    @Test func duplicateWindowIsBounded() {
        // the fixture remembers 3 ids: the first is forgotten after three others
        for id in ["a", "b", "c", "d"] { _ = decide("Are you open today?", id: id) }
        #expect(decide("Are you open today?", id: "a").action == .reply)
        #expect(decide("Are you open today?", id: "d").reason == "duplicate")
    }

    @Test func urgentEscalationOutranksEveryCategoryRule() {
        let decision = decide("Are you open today? thanks, I want to kill myself")
        #expect(decision.action == .review)
        #expect(decision.urgent)
        #expect(decision.category == "risk.self-harm")
        #expect(decision.reason == "risk.self-harm")
        #expect(decision.matched == ["self-harm", "hours", "thanks"])
        #expect(decision.reply?.contains("999") == true, "the holding reply signposts the UK emergency number")
        #expect(decision.draft == "Please contact us privately on 020 7946 0000.")
    }

    @Test func reviewEscalationIsNotUrgentAndHasNoHoldingReply() {
        let decision = decide("Are you open today? My solicitor will be in touch")
        #expect(decision.action == .review && !decision.urgent && decision.category == "risk.legal")
        #expect(decision.reply == nil)
    }

    @Test func urgentBeatsReviewWhenBothMatch() {
        let decision = decide("I will sue you, and I want to kill myself")
        #expect(decision.urgent && decision.category == "risk.self-harm" && decision.matched == ["self-harm", "legal"])
    }

    @Test func unlessConditionCancelsTheRule() {
        let decision = decide("I'm not suicidal, just asking: are you open today?")
        #expect(decision.action == .reply && decision.category == "question.hours")
    }

    @Test func allConditionMustHold() {
        #expect(decide("We are open to ideas").action == .ignore)
        #expect(decide("Are you open on Saturday?").category == "question.hours")
    }

    @Test func higherPriorityWins() {
        let decision = decide("Thanks! Are you open on Sunday?")
        #expect(decision.category == "question.hours" && decision.matched == ["hours", "thanks"])
    }

    @Test func equalPriorityFallsToFileOrder() {
        // hours and complaint both have priority 10; hours comes first in the file
        let decision = decide("Are you open? I waited an hour")
        #expect(decision.category == "question.hours")
    }

    @Test func templateNotVettedForAutoBecomesADraft() {
        let decision = decide("I waited for ages")
        #expect(decision.action == .review && decision.reason == "needs-approval")
        #expect(decision.draft == "We're sorry. Please call 020 7946 0000." && decision.reply == nil)
    }

    @Test func noiseIsIgnoredWithItsCategory() {
        let decision = decide("free crypto for everyone")
        #expect(decision.action == .ignore && decision.reason == "noise.spam")
    }

    @Test func unmatchedFollowsTheChannel() throws {
        let config = Fixture.config.replacingOccurrences(
            of: "unmatched: ignore", with: "unmatched: {default: review, listening: ignore}\n  channels: {forum: listening}")
        let classifier = Classifier(rulebook: try Fixture.rulebook(config: config))
        #expect(classifier.decide(Message(id: "a", text: "hello there")).action == .review)
        #expect(classifier.decide(Message(id: "b", text: "hello there", channel: "listening")).action == .ignore)
        #expect(classifier.decide(Message(id: "c", text: "hello there", platform: "forum")).action == .ignore)
        #expect(classifier.decide(Message(id: "d", text: "hello there", platform: "forum", channel: "direct")).action == .review)
        // an unknown channel counts as addressed to the practice: a person decides
        #expect(classifier.decide(Message(id: "e", text: "hello there", channel: "listenning")).action == .review)
        // risk rules escalate on every channel
        #expect(classifier.decide(Message(id: "f", text: "I want to kill myself", channel: "listening")).urgent)
    }

    @Test func aChannelPolicyWithABadChannelIsLocated() {
        let config = Fixture.config.replacingOccurrences(
            of: "unmatched: ignore", with: "unmatched: {default: review, listen: ignore}\n  channels: {forum: listenin}")
        let messages = Fixture.diagnostics(Fixture.files(config: config))
        #expect(messages.contains { $0.contains("unknown key 'listen' in 'policy.unmatched'") && $0.contains("did you mean 'listening'") })
        #expect(
            messages.contains {
                $0.hasPrefix("bedside.yaml:11:") && $0.contains("policy.channels.forum is 'listenin'")
                    && $0.contains("did you mean 'listening'")
            })
    }

    @Test func unmatchedFollowsPolicy() throws {
        #expect(decide("hello").reason == "unmatched")
        let reviewing = Fixture.config.replacingOccurrences(of: "unmatched: ignore", with: "unmatched: review")
        let strict = Classifier(rulebook: try Fixture.rulebook(config: reviewing))
        let decision = strict.decide(Message(id: "1", text: "hello"))
        #expect(decision.action == .review && decision.reason == "unmatched")
    }

    @Test func replyGreetsTheAuthorAndIsGuarded() {
        let decision = decide("thank you!", author: "sam_k")
        #expect(decision.reply == "Thank you, sam_k!")
    }

    @Test func aGreetingThatFailsTheGuardIsLeftOutNotTheReply() {
        // the author's handle names a medicine, so the greeting would too
        let decision = decide("thank you!", author: "Ibuprofen Fan")
        let guarded = Classifier(rulebook: try! Fixture.rulebook(lists: ["drugs": "ibuprofen\n"]))
        let withList = guarded.decide(Message(id: "g", text: "thank you!", author: "Ibuprofen Fan"))
        #expect(decision.reply == "Thank you, Ibuprofen Fan!")
        #expect(withList.action == .reply && withList.reply == "Thank you!")
    }

    @Test func riskRulesSeeDeobfuscatedText() {
        for text in ["i want to k1ll mys3lf", "thinking about su!cide", "k i l l  myself", "kill\u{200B} myself"] {
            let decision = decide(text, id: text)
            #expect(decision.urgent, "\(text)")
        }
    }

    @Test func ordinaryRulesSeeTextAsWritten() {
        // "0pen" only reads as "open" after de-obfuscation, which ordinary rules do not get
        #expect(decide("are you 0pen today?").action == .ignore)
    }
}
