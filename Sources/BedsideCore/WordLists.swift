import Foundation

/// Named vocabularies (`lists/NAME.txt`) that patterns include as `\L{NAME}` and the reply guard reads.
public struct WordLists: Sendable {
    /// Terms by list name, in file order, lowercased.
    public private(set) var terms: [String: [String]] = [:]

    /// Creates lists from terms.
    public init(_ terms: [String: [String]] = [:]) {
        self.terms = terms
    }

    /// Parses one list file: one term a line, `#` starts a comment, blank lines ignored.
    static func parseTerms(_ text: String) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let term = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces).lowercased()
            if !term.isEmpty, seen.insert(term).inserted { result.append(term) }
        }
        return result
    }

    mutating func add(_ name: String, terms: [String]) {
        self.terms[name] = terms
    }

    /// The terms of a list as one non-capturing alternation, longest first so `co-codamol` beats `codamol`.
    public func alternation(_ name: String) -> String? {
        guard let list = terms[name], !list.isEmpty else { return nil }
        let parts = list.sorted { $0.count > $1.count }.map(Self.termPattern)
        return "(?:" + parts.joined(separator: "|") + ")"
    }

    /// A term as a pattern: metacharacters escaped, any run of spaces matching `\s+`.
    static func termPattern(_ term: String) -> String {
        let words = term.split(whereSeparator: \.isWhitespace).map { word in
            var out = ""
            for ch in word {
                if "\\^$.|?*+()[]{}-/#".contains(ch) { out.append("\\") }
                out.append(ch)
            }
            return out
        }
        return words.joined(separator: "\\s+")
    }

    /// A pattern with `\L{name}` expanded, or the name of the first unknown list.
    ///
    /// `segments` maps offsets in the expanded pattern back to the source, for error columns.
    func expand(_ source: String) -> Result<ExpandedPattern, UnknownList> {
        guard source.contains("\\L{") else { return .success(ExpandedPattern(text: source, source: source, insertions: [])) }
        var out = ""
        var insertions: [ExpandedPattern.Insertion] = []
        var rest = Substring(source)
        while let range = rest.range(of: "\\L{") {
            out += rest[..<range.lowerBound]
            guard let close = rest[range.upperBound...].firstIndex(of: "}") else {
                return .failure(UnknownList(name: String(rest[range.upperBound...]), offset: source.utf8.distance(from: source.startIndex, to: range.lowerBound)))
            }
            let name = String(rest[range.upperBound..<close])
            guard let alternation = alternation(name) else {
                return .failure(UnknownList(name: name, offset: source.utf8.distance(from: source.startIndex, to: range.lowerBound)))
            }
            let sourceLength = source.utf8.distance(from: range.lowerBound, to: rest.index(after: close))
            insertions.append(.init(expandedOffset: out.utf8.count, expandedLength: alternation.utf8.count, sourceLength: sourceLength))
            out += alternation
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return .success(ExpandedPattern(text: out, source: source, insertions: insertions))
    }

    /// A `\L{name}` naming no list.
    struct UnknownList: Error {
        let name: String
        let offset: Int
    }
}

/// A pattern after list expansion, able to map PCRE2 error offsets back to the source.
struct ExpandedPattern {
    struct Insertion {
        let expandedOffset: Int
        let expandedLength: Int
        let sourceLength: Int
    }

    let text: String
    let source: String
    let insertions: [Insertion]

    /// The source byte offset for an offset in the expanded text.
    func sourceOffset(_ offset: Int) -> Int {
        var shift = 0
        for insertion in insertions {
            if offset < insertion.expandedOffset { break }
            if offset < insertion.expandedOffset + insertion.expandedLength {
                return insertion.expandedOffset - shift
            }
            shift += insertion.expandedLength - insertion.sourceLength
        }
        return offset - shift
    }
}
