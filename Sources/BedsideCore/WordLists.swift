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

    /// The terms of a list as one pattern, built as a prefix tree (`a(?:spirin|moxicillin)`), so
    /// PCRE2 tries only the branches that fit the next character instead of every term in turn.
    /// Where one term extends another, the longer is tried first.
    public func alternation(_ name: String) -> String? {
        guard let list = terms[name], !list.isEmpty else { return nil }
        let trie = TermTrie()
        for term in list { trie.insert(Self.units(term)) }
        return "(?:" + trie.pattern() + ")"
    }

    /// A term as pattern units: each character escaped, each run of spaces `\s+`.
    static func units(_ term: String) -> [String] {
        var units: [String] = []
        var pendingSpace = false
        for ch in term {
            if ch.isWhitespace {
                pendingSpace = !units.isEmpty
                continue
            }
            if pendingSpace { units.append("\\s+"); pendingSpace = false }
            units.append("\\^$.|?*+()[]{}-/#".contains(ch) ? "\\" + String(ch) : String(ch))
        }
        return units
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

/// A prefix tree of pattern units, written out as nested non-capturing groups.
final class TermTrie {
    private var children: [String: TermTrie] = [:]
    private var order: [String] = []
    private var terminal = false

    func insert(_ units: [String]) {
        var node = self
        for unit in units {
            if let next = node.children[unit] {
                node = next
            } else {
                let next = TermTrie()
                node.children[unit] = next
                node.order.append(unit)
                node = next
            }
        }
        node.terminal = true
    }

    /// The pattern for everything below this node (not including the node's own unit).
    func pattern() -> String {
        let branches = order.sorted().map { unit in unit + children[unit]!.pattern() }
        if branches.isEmpty { return "" }
        if branches.count == 1, !terminal { return branches[0] }
        return "(?:" + branches.joined(separator: "|") + ")" + (terminal ? "?" : "")
    }
}
