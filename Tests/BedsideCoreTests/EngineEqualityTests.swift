import Foundation
import Testing

@testable import BedsideCore

/// The fast path gives exactly what the plain one gives: every rule's outcome with the literal
/// prefilter, and each pattern split into its alternatives, equals PCRE2's on the whole patterns
/// alone. Inputs: every corpus file (the check files only as opaque input: a failure names their
/// line, never their text) and generated near-misses.
struct EngineEqualityTests {
    /// A text to compare, and how to name it in a failure.
    struct Input {
        let text: String
        let label: String
    }

    static let corpusFiles = [
        "corpus/dev.jsonl", "corpus/real.jsonl", "corpus/written.jsonl", "corpus/check/real.jsonl", "corpus/check/written.jsonl",
    ]

    static func corpusTexts(_ path: String) throws -> [String] {
        let url = Fixture.repositoryRoot.appendingPathComponent(path)
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["text"] as? String
        }
    }

    /// Near-misses of one text that probe where ASCII and Unicode readings, or the engines, could part.
    static func variants(_ text: String) -> [String] {
        [
            text,
            text.uppercased(),
            text + "\n",
            text.replacingOccurrences(of: " ", with: "\r\n"),
            text.replacingOccurrences(of: " ", with: "\t").replacingOccurrences(of: ".", with: "\u{0B}"),
            text.split(separator: " ").map { "x" + $0 + "_" }.joined(separator: " "),
            text.split(separator: " ").map { "é" + $0 }.joined(separator: " "),
            text.replacingOccurrences(of: "i", with: "1").replacingOccurrences(of: "e", with: "3").replacingOccurrences(of: "a", with: "@"),
            text.replacingOccurrences(of: "k", with: "\u{212A}").replacingOccurrences(of: "s", with: "\u{017F}"),
            text.map { String($0) }.joined(separator: " "),
        ]
    }

    static func inputs() throws -> [Input] {
        var inputs: [Input] = []
        for path in corpusFiles {
            let hidden = path.contains("/check/")
            for (n, text) in try corpusTexts(path).enumerated() {
                for (v, variant) in variants(text).enumerated() {
                    inputs.append(Input(text: variant, label: hidden ? "\(path) line \(n + 1) variant \(v)" : variant))
                }
            }
        }
        return inputs
    }

    @Test func everyRuleMatchesExactlyAsPCRE2Alone() throws {
        let fast = Classifier(rulebook: try #require(PrefilterTests.rulebook))
        let exact = Classifier(rulebook: try #require(PrefilterTests.plainRulebook))
        #expect(fast.rulebook.hasPrefilter && !exact.rulebook.hasPrefilter)
        var compared = 0
        var matches = 0
        for input in try Self.inputs() {
            let a = fast.evaluate(input.text), b = exact.evaluate(input.text)
            #expect(a == b, "\(input.label)")
            compared += 1
            matches += b.filter(\.isMatch).count
        }
        #expect(compared > 25_000)
        // the comparison is worth something only if rules do match
        #expect(matches > compared)
    }

    @Test func englishCountIsTheSameByteWise() throws {
        let rulebook = try #require(PrefilterTests.rulebook)
        let english = rulebook.englishWords
        #expect(!english.isEmpty)
        var compared = 0
        for input in try Self.inputs() {
            var text = input.text
            guard let ascii = text.withUTF8({ Classifier.isASCII($0) ? Classifier.englishCountsASCII($0, english) : nil }) else { continue }
            let plain = Classifier.englishCounts(input.text, english)
            #expect(ascii.words == plain.words && ascii.known == plain.known, "\(input.label)")
            compared += 1
        }
        #expect(compared > 20_000)
    }

    @Test func splittingKeepsEveryBranchAndOnlyWhereMeaningStays() {
        #expect(Alternatives.split("a|b") == ["a", "b"])
        #expect(
            Alternatives.split(#"(?:\bchest\b.{0,60}\bpain\b|(?:arm|leg)\s+numb)"#) == [
                #"\bchest\b.{0,60}\bpain\b"#, #"(?:arm|leg)\s+numb"#,
            ])
        #expect(Alternatives.split(#"(a|b)"#) == ["a", "b"])
        #expect(Alternatives.split(#"[|(]x|y\|z"#) == ["[|(]x", #"y\|z"#])
        #expect(Alternatives.split(#"[]|]|q"#) == ["[]|]", "q"])
        // a group that does not span the whole branch, or is repeated, stays
        #expect(Alternatives.split(#"(a|b)c"#) == [#"(a|b)c"#])
        #expect(Alternatives.split(#"(?:a|b)+"#) == [#"(?:a|b)+"#])
        #expect(Alternatives.split(#"(a)|(b)"#) == ["a", "b"])
        // whatever reaches beyond its branch keeps the pattern whole
        for whole in [#"(?i)a|b"#, #"(a)\1|b"#, #"(?<n>a)|b"#, #"(?|a|b)"#, #"\Qa|b\E"#, #"(?#x|y)a"#, #"[[:alpha:]]|b"#, #"(*UCP)a|b"#] {
            #expect(Alternatives.split(whole) == [whole], "\(whole)")
        }
    }

    @Test func everyFixedPartOfASequenceIsRequired() throws {
        let needs = RequiredLiterals.conjunction(#"\bchest\b.{0,60}\b(?:pain|ache)\b"#)
        #expect(needs.map(\.literals) == [["chest"], ["pain", "ache"]])
        #expect(needs.allSatisfy { $0.wordStart && $0.wordEnd })
        // an optional part is not required; an alternation requires one of its branches' literals
        #expect(RequiredLiterals.conjunction(#"\bsore(?:\s+throat)?"#).map(\.literals) == [["sore"]])
        #expect(RequiredLiterals.conjunction(#"a\d+|b\d+"#).map(\.literals) == [["a", "b"]])
        #expect(RequiredLiterals.conjunction(#"\w+"#).isEmpty)
    }

    @Test func checkWarnsOfAPatternThatRunsOnEveryMessage() throws {
        let rules = """
            rules:
              - id: wordy
                category: question.other
                match: ['\\bopen\\b|\\w+\\s+\\d+', '\\bhours\\b', '^\\W+$']
                reply: hours
                examples: {matches: ["open today"], ignores: ["closed"]}
            """
        let rulebook = try Fixture.rulebook(rules: rules)
        let slow = rulebook.warnings.filter { $0.message.contains("makes matching slow") }
        #expect(slow.count == 1)
        #expect(slow.first?.message.contains(#"\w+\s+\d+"#) == true)
    }

    @Test func patternsThatMayBacktrackStayWholeAndFailClosed() throws {
        let rules = """
            rules:
              - id: runaway
                category: question.other
                match: ['(a+)+$|zzz']
                reply: hours
                examples: {matches: ["aa"], ignores: ["b"]}
            """
        let rulebook = try Fixture.rulebook(rules: rules)
        let prefilter = try #require(rulebook.prefilter)
        #expect(prefilter.units.count == 1)
        let decision = Classifier(rulebook: rulebook).decide(Message(id: "1", text: String(repeating: "a", count: 30) + "b"))
        #expect(decision.reason == "engine-limit")
    }
}
