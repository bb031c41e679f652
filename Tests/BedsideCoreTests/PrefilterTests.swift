import Foundation
import Testing

@testable import BedsideCore

struct PrefilterTests {
    @Test(
        arguments: [
            (#"\bopen\b"#, ["open"]),
            (#"\b(open|close)s?\b"#, ["open", "opens", "close", "closes"]),
            (#"\bwhat\s+time\b"#, ["what"]),
            (#"\b(?:un)?alive\b"#, ["unalive", "alive"]),
            (#"\bkill(?:ing)?\s+my\s*self"#, ["self"]),
            (#"(?<!\bnot\s)\bsuicidal\b"#, ["suicidal"]),
            (#"\bcafé\b"#, ["caf"]),
            (#"\b\w+\b"#, nil),
            (#"a|\d+"#, nil),
            (#"(?x) open"#, nil),
            (#"colou?r"#, ["colour", "color"]),
            (#"(?:a(?:spirin|moxicillin)|ibuprofen(?:\s+gel)?)"#, ["aspirin", "amoxicillin", "ibuprofen"]),
            (#"ab+c"#, ["ab"]),
            (#"\d{1,2}\s*(am|pm)"#, ["am", "pm"]),
        ] as [(String, Set<String>?)])
    func findsRequiredLiterals(_ pattern: String, _ expected: Set<String>?) {
        #expect(RequiredLiterals.of(pattern) == expected, "\(pattern)")
    }

    @Test func keepsWordBoundariesBesideLiterals() throws {
        let open = try #require(RequiredLiterals.requirement(#"\bopen\b"#))
        #expect(open.wordStart && open.wordEnd)
        let list = try #require(RequiredLiterals.requirement(#"\b(?:rash|itch)\b"#))
        #expect(list.literals == ["rash", "itch"] && list.wordStart && list.wordEnd)
        // "throat" does not begin the branch, so the \b before the group says nothing about it
        let mixed = try #require(RequiredLiterals.requirement(#"\b(sore\s+throat|ear)\b"#))
        #expect(mixed.literals == ["throat", "ear"] && !mixed.wordStart && mixed.wordEnd)
        let bare = try #require(RequiredLiterals.requirement("open"))
        #expect(!bare.wordStart && !bare.wordEnd)
    }

    static let rulebook: Rulebook? = {
        let root = Fixture.repositoryRoot.path
        guard let files = try? RulebookFiles.read(configuration: root + "/bedside.yaml") else { return nil }
        return try? Rulebook.load(files, usePrefilter: true)
    }()

    static let plainRulebook: Rulebook? = {
        let root = Fixture.repositoryRoot.path
        guard let files = try? RulebookFiles.read(configuration: root + "/bedside.yaml") else { return nil }
        return try? Rulebook.load(files, usePrefilter: false)
    }()

    /// The corpus texts, and near misses: non-ASCII letters next to words, case changes,
    /// the Kelvin sign and long s (which fold to k and s), zero-width and curly punctuation.
    static func texts() throws -> [String] {
        let corpus = Fixture.repositoryRoot.appendingPathComponent("corpus/dev.jsonl")
        let lines = try String(contentsOf: corpus, encoding: .utf8).split(separator: "\n")
        var texts: [String] = []
        for line in lines {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let text = object["text"] as? String
            else { continue }
            texts.append(text)
            texts.append(text.uppercased())
            texts.append(text.split(separator: " ").map { "é" + $0 }.joined(separator: " "))
            texts.append(text.split(separator: " ").map { $0 + "ñ" }.joined(separator: " "))
            texts.append(text.split(separator: " ").map { "x" + $0 }.joined(separator: " "))
            texts.append(text.split(separator: " ").map { $0 + "_" }.joined(separator: " "))
            texts.append(text.replacingOccurrences(of: "k", with: "\u{212A}").replacingOccurrences(of: "s", with: "\u{017F}"))
            texts.append(text.replacingOccurrences(of: " ", with: "\u{200B} ").replacingOccurrences(of: "'", with: "’"))
            texts.append(text.replacingOccurrences(of: "i", with: "1").replacingOccurrences(of: "e", with: "3"))
        }
        return texts
    }

    @Test func prefilterNeverChangesARuleResult() throws {
        let fast = Classifier(rulebook: try #require(Self.rulebook))
        let exact = Classifier(rulebook: try #require(Self.plainRulebook))
        #expect(fast.rulebook.hasPrefilter && !exact.rulebook.hasPrefilter)
        var compared = 0
        for text in try Self.texts() {
            let a = fast.evaluate(text), b = exact.evaluate(text)
            #expect(a == b, "\(text)")
            compared += 1
        }
        #expect(compared > 3000)
    }

    @Test func prefilterRulesOutMostPatterns() throws {
        let rulebook = try #require(Self.rulebook)
        let prefilter = try #require(rulebook.prefilter)
        // most patterns carry a provable literal, so most texts skip most patterns
        #expect(prefilter.filteredCount * 10 >= prefilter.patterns.count * 8)
    }
}
