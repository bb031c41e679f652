import BedsideCore
import Testing

struct RulebookLoadingTests {
    @Test func loadsAValidRulebook() throws {
        let rulebook = try Fixture.rulebook()
        #expect(rulebook.rules.map(\.id) == ["self-harm", "legal", "hours", "thanks", "complaint", "spam"])
        #expect(rulebook.templates.count == 5)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let files: RulebookFiles
        let expected: String
        var testDescription: String { name }
    }

    static let rule = """
        rules:
          - id: hours
            category: question.hours
            match: ['\\bopen\\b']
            reply: hours
            examples: {matches: ["open?"], ignores: ["closed"]}
        """

    static let cases: [Case] = [
        Case(
            name: "YAML syntax",
            files: Fixture.files(rules: "rules:\n  - id: [unclosed\n"),
            expected: "rules/test.yaml:3:1: error: YAML syntax: did not find expected ',' or ']'"),
        Case(
            name: "unknown key with a suggestion",
            files: Fixture.files(rules: rule.replacingOccurrences(of: "reply: hours", with: "reply: hours\n    reponse: hours")),
            expected: "rules/test.yaml:6:5: error: unknown key 'reponse' in rule 'hours'; did you mean 'reply'?"),
        Case(
            name: "duplicate rule id",
            files: Fixture.files(rules: rule + "\n" + rule.replacingOccurrences(of: "rules:\n", with: "")),
            expected: "rules/test.yaml:7:5: error: duplicate rule id 'hours'; first defined at rules/test.yaml:2:5"),
        Case(
            name: "pattern that does not compile, located inside the pattern",
            files: Fixture.files(rules: rule.replacingOccurrences(of: "'\\bopen\\b'", with: "'\\bopen(\\b'")),
            expected: "rules/test.yaml:4:23: error: pattern does not compile: missing closing parenthesis"),
        Case(
            name: "missing template",
            files: Fixture.files(rules: rule.replacingOccurrences(of: "reply: hours", with: "reply: hour")),
            expected:
                "rules/test.yaml:5:12: error: rule 'hours' names template 'hour' in 'reply', but there is no responses/hour.mustache; did you mean 'hours'?"
        ),
        Case(
            name: "template variable outside the whitelist",
            files: Fixture.files(
                rules: rule, responses: ["hours": Fixture.template("hours", auto: true, body: "You wrote: {{message.text}}")]),
            expected:
                "responses/hours.mustache:7:12: error: variable 'message.text' is not allowed in a response (only author, practice.* or crisis.*; never the message text)"
        ),
        Case(
            name: "template that fails the reply guard",
            files: Fixture.files(
                rules: rule, responses: ["hours": Fixture.template("hours", auto: true, body: "We hope your appointment went well.")]),
            expected:
                "responses/hours.mustache:1:1: error: response 'hours' fails the reply guard: confirms a patient relationship (\"your appointment\")"
        ),
        Case(
            name: "rule without examples",
            files: Fixture.files(
                rules: rule.replacingOccurrences(of: "    examples: {matches: [\"open?\"], ignores: [\"closed\"]}\n", with: "")
                    .replacingOccurrences(of: "    examples: {matches: [\"open?\"], ignores: [\"closed\"]}", with: "")),
            expected:
                "rules/test.yaml:2:5: error: rule 'hours' has no examples; add 'examples: {matches: [...], ignores: [...]}' so `bedside check` can test it"
        ),
        Case(
            name: "unknown word list",
            files: Fixture.files(
                rules: rule.replacingOccurrences(of: "'\\bopen\\b'", with: "'\\b\\L{drugz}\\b'"), lists: ["drugs": "ibuprofen\n"]),
            expected: "rules/test.yaml:4:16: error: unknown list 'drugz' in \\L{…}; did you mean 'drugs'? (lists are lists/NAME.txt)"),
        Case(
            name: "unknown category family",
            files: Fixture.files(rules: rule.replacingOccurrences(of: "question.hours", with: "questoin.hours")),
            expected:
                "rules/test.yaml:3:15: error: rule 'hours' has category 'questoin.hours'; categories are question.*, recommendation.*, complaint.*, risk.* or noise.*; did you mean 'question.…'?"
        ),
        Case(
            name: "unknown region",
            files: Fixture.files(config: Fixture.config.replacingOccurrences(of: "region: UK", with: "region: Mars"), rules: rule),
            expected: "bedside.yaml:7:11: error: unknown region 'Mars'; Bedside knows the crisis lines of EU, UK, US"),
    ]

    @Test(arguments: cases)
    func reportsLocatedDiagnostic(_ item: Case) {
        let diagnostics = Fixture.diagnostics(item.files)
        #expect(diagnostics == [item.expected])
    }

    @Test func reportsEveryProblemAtOnce() {
        let broken = Self.rule
            .replacingOccurrences(of: "reply: hours", with: "reply: nowhere\n    colour: blue")
            .replacingOccurrences(of: "'\\bopen\\b'", with: "'(open'")
        let diagnostics = Fixture.diagnostics(Fixture.files(rules: broken))
        #expect(diagnostics.count == 3, "got: \(diagnostics)")
    }

    @Test func neverHalfLoads() {
        // one good rule, one bad one: nothing loads
        let rules =
            Self.rule
            + "\n  - id: bad\n    category: question.x\n    match: ['(']\n    reply: hours\n    examples: {matches: [a], ignores: [b]}\n"
        #expect(throws: LoadError.self) { try Rulebook.load(Fixture.files(rules: rules)) }
    }

    @Test func holdingReplyNeedsUrgentEscalation() {
        let rules = Self.rule.replacingOccurrences(of: "reply: hours", with: "reply: hours\n    holding_reply: crisis")
        let diagnostics = Fixture.diagnostics(Fixture.files(rules: rules))
        #expect(diagnostics == ["rules/test.yaml:6:20: error: rule 'hours': a holding_reply is sent only for 'escalate: urgent' rules"])
    }
}

/// Named fragments: `\F{name}` in any pattern, checked and explained like lists.
struct FragmentTests {
    static let rules = """
        rules:
          - id: hurt-now
            category: risk.harm
            match: ['\\F{someone}\\s+is\\s+hurt\\s+\\F{now}']
            escalate: review
            examples: {matches: ["my dad is hurt now"], ignores: ["my dad was hurt last year"]}
        """

    static func files(_ fragments: String, rules: String = FragmentTests.rules) -> RulebookFiles {
        var files = Fixture.files(rules: rules)
        files.fragments = [RulebookFiles.File(path: "fragments/base.yaml", text: fragments)]
        return files
    }

    static let base = """
        fragments:
          - id: someone
            description: A person named by relation.
            pattern: '(?:my\\s+)?(?:dad|mum|\\F{pronoun})'
          - id: pronoun
            pattern: '\\b(?:he|she)\\b'
            examples: {matches: ["he"], ignores: ["hello"]}
          - id: now
            pattern: '\\b(?:now|tonight)\\b'
        """

    @Test func fragmentsExpandAndNest() throws {
        let rulebook = try Rulebook.load(Self.files(Self.base))
        let classifier = Classifier(rulebook: rulebook)
        let index = try #require(rulebook.rules.firstIndex { $0.id == "hurt-now" })
        #expect(classifier.evaluate("she is hurt tonight")[index].isMatch)
        #expect(!classifier.evaluate("she is hurt again")[index].isMatch)
        #expect(RulebookCheck.examples(rulebook).isEmpty)
    }

    @Test func unknownFragmentIsLocatedWithASuggestion() {
        let broken = Self.rules.replacingOccurrences(of: "\\F{now}", with: "\\F{nwo}")
        let messages = Fixture.diagnostics(Self.files(Self.base, rules: broken))
        #expect(messages.contains { $0.contains("unknown fragment 'nwo'") && $0.contains("did you mean 'now'?") && $0.contains(":4:") })
    }

    @Test func unusedFragmentIsAWarningAndCyclesAreErrors() throws {
        let extra = Self.base + "\n  - id: spare\n    pattern: 'x'\n"
        let rulebook = try Rulebook.load(Self.files(extra))
        #expect(rulebook.warnings.contains { $0.description.contains("fragment 'spare' is not used") })
        let cycle = Self.base.replacingOccurrences(of: "'\\b(?:he|she)\\b'", with: "'\\F{someone}'")
        let messages = Fixture.diagnostics(Self.files(cycle))
        #expect(messages.contains { $0.contains("includes itself") })
    }

    @Test func aBrokenFragmentIsReportedOnceNotAsACycle() {
        let broken = Self.base.replacingOccurrences(of: "'\\b(?:he|she)\\b'", with: "'(he|she'")
        let messages = Fixture.diagnostics(Self.files(broken))
        #expect(messages.contains { $0.contains("pattern does not compile") })
        #expect(!messages.contains { $0.contains("includes itself") })
        #expect(messages.filter { $0.hasPrefix("fragments/") }.count == 1, "\(messages)")
    }

    @Test func failingFragmentExampleIsReported() throws {
        let wrong = Self.base.replacingOccurrences(of: "ignores: [\"hello\"]", with: "ignores: [\"he said\"]")
        let rulebook = try Rulebook.load(Self.files(wrong))
        #expect(RulebookCheck.examples(rulebook).contains { $0.description.contains("fragment 'pronoun' should find nothing") })
    }

    @Test func explainShowsWhatEachFragmentFound() throws {
        let rulebook = try Rulebook.load(Self.files(Self.base))
        let explanation = Classifier(rulebook: rulebook).explain(Message(id: "e", text: "my dad is hurt now"))
        let clause = try #require(explanation.rules.first { $0.rule.id == "hurt-now" }?.clauses.first)
        #expect(clause.fragments.map(\.name) == ["someone", "now"])
        #expect(clause.fragments.map(\.found) == ["my dad", "now"])
    }
}
