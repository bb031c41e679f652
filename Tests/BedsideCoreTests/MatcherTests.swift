import BedsideCore
import Testing

struct MatcherTests {
    @Test func catastrophicBacktrackingHitsTheLimitFast() throws {
        let pattern = try Pattern("(a+)+$")
        let outcome = Matcher().match(pattern, in: String(repeating: "a", count: 30) + "b")
        guard case .failed(let code, _) = outcome else {
            Issue.record("expected an engine limit, got \(outcome)")
            return
        }
        #expect(code == -47 || code == -53 || code == -46)
    }

    @Test func limitHitRoutesToReviewNeverNoMatch() throws {
        let rules = """
            rules:
              - id: runaway
                category: question.other
                match: ['(a+)+$']
                reply: hours
                examples: {matches: ["aa"], ignores: ["b"]}
            """
        let classifier = Classifier(rulebook: try Fixture.rulebook(rules: rules))
        let decision = classifier.decide(Message(id: "1", text: String(repeating: "a", count: 30) + "b"))
        #expect(decision.action == .review)
        #expect(decision.reason == "engine-limit")
        // `bedside check` warns about the nested repeat, naming the pattern
        #expect(
            classifier.rulebook.warnings.map(\.description) == [
                "rules/test.yaml:4:13: warning: pattern '(a+)+$' repeats a group that can match the same text in several ways (nested unbounded repeats or overlapping alternatives) and may backtrack for a long time; such matches hit the engine limit and go to review"
            ])
    }

    /// `bedside check` warns on every shape of catastrophic backtracking it knows, not only `(a+)+`.
    @Test(arguments: [
        (#"(a+)+$"#, true), (#"(a|aa)+$"#, true), (#"^(a|a?)+$"#, true), (#"(\w*\s)*x"#, true), (#"(?:ab|a)*c"#, true),
        (#"(\s|,)+"#, false), (#"(a|b)+c"#, false), (#"(?:ab|cd)+"#, false), (#"a+b+"#, false), (#"(?=a|aa)b"#, false),
        (#"(a|aa)++"#, false),
    ])
    func backtrackingShapesAreWarnedAbout(pattern: String, warned: Bool) throws {
        let rules = """
            rules:
              - id: shape
                category: question.other
                match: ['\(pattern)']
                reply: hours
                examples: {matches: ["x"], ignores: ["y"]}
            """
        let warnings = try Fixture.rulebook(rules: rules).warnings.map(\.description)
        #expect(warnings.contains { $0.contains("may backtrack") } == warned, "\(pattern): \(warnings)")
    }

    @Test func matchesAreCaselessAndUnicodeAware() throws {
        let matcher = Matcher()
        #expect(matcher.match(try Pattern(#"\bcafé\b"#), in: "CAFÉ open?") == .match(0..<5))
        // with UCP, é is a word character, so \brude\b does not fire inside "érude"
        #expect(matcher.match(try Pattern(#"\brude\b"#), in: "érude") == .noMatch)
        #expect(matcher.match(try Pattern(#"\brude\b"#), in: "so RUDE!") != .noMatch)
    }

    @Test func compileErrorCarriesOffset() {
        #expect(throws: Pattern.CompileError.self) { try Pattern("abc(") }
        do {
            _ = try Pattern("ab[c")
        } catch {
            #expect(error.offset == 4)
        }
    }

    @Test func emptyTextIsMatchable() throws {
        #expect(Matcher().match(try Pattern("^$"), in: "") == .match(0..<0))
    }
}
