import Foundation

/// Named vocabularies (`lists/NAME.txt`) that patterns include as `\L{NAME}` and the reply guard reads,
/// and the named fragments (`fragments/*.yaml`) that patterns include as `\F{NAME}`.
public struct WordLists: Sendable {
    /// Terms by list name, in file order, lowercased.
    public private(set) var terms: [String: [String]] = [:]
    /// Named pattern fragments (`fragments/*.yaml`) that patterns include as `\F{NAME}`.
    public internal(set) var fragments: [String: Fragment] = [:]

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

    /// A pattern with every `\L{list}` and `\F{fragment}` expanded, or the first unknown name.
    ///
    /// `insertions` maps offsets in the expanded pattern back to the source, for error columns.
    func expand(_ source: String) -> Result<ExpandedPattern, UnknownList> {
        guard source.contains("\\L{") || source.contains("\\F{") else {
            return .success(ExpandedPattern(text: source, source: source, insertions: []))
        }
        var out = ""
        var insertions: [ExpandedPattern.Insertion] = []
        var rest = Substring(source)
        while let range = Self.nextReference(in: rest) {
            let kind: UnknownList.Kind = rest[rest.index(after: range.lowerBound)] == "L" ? .list : .fragment
            out += rest[..<range.lowerBound]
            let offset = source.utf8.distance(from: source.startIndex, to: range.lowerBound)
            guard let close = rest[range.upperBound...].firstIndex(of: "}") else {
                return .failure(UnknownList(name: String(rest[range.upperBound...]), offset: offset, kind: kind))
            }
            let name = String(rest[range.upperBound..<close])
            let replacement = kind == .list ? alternation(name) : fragments[name].map { "(?:" + $0.expanded + ")" }
            guard let replacement else { return .failure(UnknownList(name: name, offset: offset, kind: kind)) }
            let sourceLength = source.utf8.distance(from: range.lowerBound, to: rest.index(after: close))
            insertions.append(.init(expandedOffset: out.utf8.count, expandedLength: replacement.utf8.count, sourceLength: sourceLength))
            out += replacement
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return .success(ExpandedPattern(text: out, source: source, insertions: insertions))
    }

    /// The next `\L{` or `\F{` in `text` that is not itself escaped (`\\L{` is a literal backslash).
    static func nextReference(in text: Substring) -> Range<Substring.Index>? {
        var i = text.startIndex
        while i < text.endIndex {
            guard text[i] == "\\" else { i = text.index(after: i); continue }
            let next = text.index(after: i)
            guard next < text.endIndex else { return nil }
            if text[next] == "L" || text[next] == "F" {
                let brace = text.index(after: next)
                if brace < text.endIndex, text[brace] == "{" { return i..<text.index(after: brace) }
            }
            i = text.index(after: next)  // skip the escaped character
        }
        return nil
    }

    /// The names a pattern refers to as `\F{name}`, in order of appearance.
    public static func fragmentNames(in source: String) -> [String] {
        var names: [String] = []
        var rest = Substring(source)
        while let range = nextReference(in: rest) {
            let isFragment = rest[rest.index(after: range.lowerBound)] == "F"
            guard let close = rest[range.upperBound...].firstIndex(of: "}") else { break }
            if isFragment { names.append(String(rest[range.upperBound..<close])) }
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// A `\L{name}` or `\F{name}` naming nothing known.
    struct UnknownList: Error {
        enum Kind { case list, fragment }
        let name: String
        let offset: Int
        var kind: Kind = .list
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
