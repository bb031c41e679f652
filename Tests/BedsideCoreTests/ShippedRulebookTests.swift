import BedsideCore
import Foundation
import Testing

/// The rulebook that ships in the repository: it loads cleanly and every rule's examples hold.
struct ShippedRulebookTests {
    static let rulebook: Rulebook? = {
        let root = Fixture.repositoryRoot.path
        guard let files = try? RulebookFiles.read(configuration: root + "/bedside.yaml") else { return nil }
        return try? Rulebook.load(files)
    }()

    struct Example: CustomTestStringConvertible, Sendable {
        let rule: String
        let text: String
        let shouldMatch: Bool
        var testDescription: String { "\(rule) \(shouldMatch ? "matches" : "ignores") \"\(text.prefix(60))\"" }
    }

    static let examples: [Example] = (rulebook?.rules ?? []).flatMap { rule in
        rule.exampleMatches.map { Example(rule: rule.id, text: $0, shouldMatch: true) }
            + rule.exampleIgnores.map { Example(rule: rule.id, text: $0, shouldMatch: false) }
    }

    @Test func loadsWithoutErrors() throws {
        let root = Fixture.repositoryRoot.path
        _ = try Rulebook.load(try RulebookFiles.read(configuration: root + "/bedside.yaml"))
        #expect(Self.examples.count > 100)
    }

    @Test(arguments: examples)
    func ruleExampleHolds(_ example: Example) throws {
        let rulebook = try #require(Self.rulebook)
        let index = try #require(rulebook.rules.firstIndex { $0.id == example.rule })
        let outcome = Classifier(rulebook: rulebook).evaluate(example.text)[index]
        #expect(outcome.isMatch == example.shouldMatch)
    }
}
