import Foundation
import Testing

/// `bedside check`: an example of a replying rule asserts that the rule decides the message, not
/// only that it matches, through the built binary on a fixture rulebook.
@Suite(.serialized)
struct CheckExampleWinsTests {
    static func rulebook(sedationPriority: Int, extraRule: String = "") throws -> TemporaryDirectory {
        try FixtureRulebook.write(
            configuration: FixtureRulebook.practice.replacingOccurrences(
                of: "  region: UK\n", with: "  region: UK\n  own_accounts: [\"@testpractice\"]\n"),
            rules: """
                rules:
                  - id: prices
                    category: question.prices
                    priority: 20
                    match: ['\\b(price|cost|offer)\\b']
                    reply: prices
                    examples: {matches: ["What do you offer and at what price?"], ignores: ["Lovely staff"]}
                  - id: sedation
                    category: question.sedation
                    priority: \(sedationPriority)
                    match: ['\\blaughing gas\\b']
                    reply: sedation
                    examples: {matches: ["Do you offer laughing gas?"], ignores: ["Is there parking?"]}
                \(extraRule)
                """,
            responses: [
                ("prices", "Thanks for asking. Call {{practice.phone}} for our prices."),
                ("sedation", "Thanks for asking. Call {{practice.phone}} to talk about options for nervous visitors."),
                ("signpost", "Please call {{crisis.emergency}} if you are in danger now, or {{crisis.support}}."),
            ])
    }

    static let sedationLost =
        "rule 'sedation' matches its example \"Do you offer laughing gas?\" but does not decide it: rule 'prices' wins (reply, question.prices)"

    @Test func anExampleItsRuleMatchesButAnotherRuleDecidesFails() throws {
        let directory = try Self.rulebook(sedationPriority: 10)
        let result = try BedsideBinary.run(["check"], in: directory.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("rules/10-questions.yaml:8:5: error: " + Self.sedationLost), "\(result.stderr)")
    }

    @Test func allowingUndecidedExamplesMakesItAWarning() throws {
        let directory = try Self.rulebook(sedationPriority: 10)
        let result = try BedsideBinary.run(["check", "--allow-undecided"], in: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: " + Self.sedationLost), "\(result.stderr)")
    }

    @Test func anExampleItsRuleDecidesPasses() throws {
        let directory = try Self.rulebook(sedationPriority: 30)
        let result = try BedsideBinary.run(["check"], in: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("examples pass"))
        #expect(!result.stderr.contains("does not decide"))
    }

    @Test func anEscalatingRuleThatTakesOverAReplyExampleIsReported() throws {
        let risk = """
              - id: harm
                category: risk.self-harm
                match: ['\\bhurt myself\\b']
                escalate: urgent
                reply: signpost
                examples: {matches: ["I want to hurt myself"], ignores: ["I hurt my knee"]}
              - id: thanks
                category: recommendation.thanks
                match: ['\\bthank']
                reply: prices
                examples: {matches: ["Thank you, I will not hurt myself now"], ignores: ["hello"]}
            """
        let directory = try Self.rulebook(sedationPriority: 30, extraRule: risk)
        let result = try BedsideBinary.run(["check"], in: directory.url)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "rule 'thanks' matches its example \"Thank you, I will not hurt myself now\" but does not decide it: rule 'harm' wins (review, risk.self-harm)"
            ), "\(result.stderr)")
    }
}
