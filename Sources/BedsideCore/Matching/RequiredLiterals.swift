/// Finds, for a PCRE2 pattern, a set of literal strings at least one of which every match must
/// contain. The prefilter looks for those literals in one pass; a pattern none of whose literals
/// occur cannot match and is never run.
///
/// The analysis is conservative: whenever a construct is not understood, the pattern gets no
/// requirement (`nil`) and is always run.
enum RequiredLiterals {
    /// Literals one of which every match contains, and whether the pattern puts a `\b` right
    /// before (`wordStart`) or right after (`wordEnd`) the literal.
    struct Requirement: Equatable {
        var literals: Set<String>
        var wordStart = false
        var wordEnd = false
        /// Each literal begins where the piece's match begins (so a `\b` before the piece is before it).
        var atStart = false
        /// Each literal ends where the piece's match ends.
        var atEnd = false
    }

    /// The required literals of `pattern` (lowercased), or `nil` when it has none we can prove.
    static func of(_ pattern: String) -> Set<String>? {
        requirement(pattern)?.literals
    }

    /// The requirement of `pattern`, with its word boundaries, or `nil` when none can be proved.
    static func requirement(_ pattern: String) -> Requirement? {
        var parser = Parser(Array(pattern.unicodeScalars))
        guard let node = parser.parseAlternation(), parser.atEnd else { return nil }
        guard let requirement = node.requirement, !requirement.literals.isEmpty, !requirement.literals.contains("") else { return nil }
        return requirement
    }

    /// Every requirement `pattern` proves, all of which any match meets: one per fixed part of a
    /// sequence, so `\bchest\b.{0,60}\bpain\b` needs "chest" *and* "pain". Empty when none can be proved.
    static func conjunction(_ pattern: String, memo: Memo? = nil) -> [Requirement] {
        var parser = Parser(Array(pattern.unicodeScalars), memo: memo)
        guard let node = parser.parseAlternation(), parser.atEnd else { return [] }
        return node.all.filter { !$0.literals.isEmpty && !$0.literals.contains("") }
    }

    /// What a parsed piece of pattern tells us.
    struct Node {
        /// Literals one of which any match of this piece contains (nil: unknown).
        var requirement: Requirement?
        /// Every requirement the piece proves (each met by any match); `requirement` is the most selective.
        var all: [Requirement] = []
        /// A requirement whose literals begin where the piece's match begins, so a fixed run
        /// before the piece joins them into longer literals (`a(?:bscess|cid\s+reflux)` → abscess, acid).
        var prefix: Requirement?
        /// When the piece matches exactly one of a small set of fixed strings (lowercased), that
        /// set, so neighbours can join into longer literals (`colou?r` → colour, color).
        var exact: Set<String>?
        /// Zero-width (an assertion): it neither consumes nor breaks a literal run.
        var zeroWidth = false
        /// The assertion is `\b`.
        var isWordBoundary = false

        init(requirement: Requirement?, exact: Set<String>? = nil, zeroWidth: Bool = false, isWordBoundary: Bool = false) {
            self.requirement = requirement
            self.all = requirement.map { [$0] } ?? []
            self.prefix = requirement?.atStart == true ? requirement : nil
            self.exact = exact
            self.zeroWidth = zeroWidth
            self.isWordBoundary = isWordBoundary
        }
    }

    /// What groups already analysed came to, by their text: a group's analysis depends on its
    /// text alone, and fragments put the same groups in many patterns.
    final class Memo {
        var nodes: [String: Node] = [:]
    }

    struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        let memo: Memo?
        /// Where the group opened at each index closes (when a memo is used).
        var closes: [Int: Int] = [:]

        init(_ s: [Unicode.Scalar], memo: Memo? = nil) {
            self.s = s
            self.memo = memo
            if memo != nil { closes = Self.matchingParentheses(s) }
        }

        /// The index of the `)` closing each `(`, skipping escapes and classes.
        static func matchingParentheses(_ s: [Unicode.Scalar]) -> [Int: Int] {
            var closes: [Int: Int] = [:]
            var stack: [Int] = []
            for (i, c) in Alternatives.syntax(s[...]) ?? [] where c != "|" {
                if c == "(" {
                    stack.append(i)
                } else if let open = stack.popLast() {
                    closes[open] = i
                }
            }
            return closes
        }

        var atEnd: Bool { i >= s.count }

        func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

        /// `a|b|c`: any branch may match, so the union of branch requirements (if each has one).
        mutating func parseAlternation() -> Node? {
            var branches: [Node] = []
            while true {
                guard let branch = parseSequence() else { return nil }
                branches.append(branch)
                if peek() == "|" { i += 1; continue }
                break
            }
            if branches.count == 1 { return branches[0] }
            var exact: Set<String>? = Set()
            for branch in branches {
                if let e = branch.exact, exact != nil { exact!.formUnion(e) } else { exact = nil }
            }
            if let exact, exact.count > Self.limit { return Node(requirement: nil) }
            var prefix: Requirement? = Requirement(literals: [], wordStart: true, atStart: true)
            for branch in branches {
                guard let p = branch.prefix, prefix != nil, prefix!.literals.count + p.literals.count <= Self.limit else {
                    prefix = nil
                    break
                }
                prefix!.literals.formUnion(p.literals)
                prefix!.wordStart = prefix!.wordStart && p.wordStart
            }
            var union = Requirement(literals: [], wordStart: true, wordEnd: true, atStart: true, atEnd: true)
            for branch in branches {
                guard let requirement = branch.requirement else {
                    var node = Node(requirement: nil, exact: exact)
                    node.prefix = prefix
                    if let prefix { node.all = [prefix] }
                    return node
                }
                union.literals.formUnion(requirement.literals)
                union.wordStart = union.wordStart && requirement.wordStart
                union.wordEnd = union.wordEnd && requirement.wordEnd
                union.atStart = union.atStart && requirement.atStart
                union.atEnd = union.atEnd && requirement.atEnd
            }
            var node = Node(requirement: union, exact: exact)
            node.prefix = prefix
            if let prefix, Self.score(prefix.literals) > Self.score(union.literals) {
                node.requirement = prefix
                node.all = [prefix]
            }
            return node
        }

        /// The most strings a joined set may hold before it is cut.
        static let limit = 4096

        /// A sequence: fixed parts join into longer literals; the most selective requirement wins.
        /// A `\b` right before or after a requirement's literals is kept with it, so the scan can check it.
        mutating func parseSequence() -> Node? {
            var candidates: [Requirement] = []
            var run: Set<String> = [""]
            var runWordStart = false
            var runAtStart = true
            var consumed = false
            var boundaryPending = false
            var open: [Int] = []  // the candidates whose literals end at the current position
            var allExact = true
            func flushRun(wordEnd: Bool, atEnd: Bool) {
                if run != [""] {
                    candidates.append(
                        Requirement(literals: run, wordStart: runWordStart, wordEnd: wordEnd, atStart: runAtStart, atEnd: atEnd))
                }
                run = [""]
            }
            func consume() {
                for k in open { candidates[k].atEnd = false }
                open = []
                consumed = true
            }
            func join(_ exact: Set<String>) {
                if run == [""] {
                    runWordStart = boundaryPending
                    runAtStart = !consumed
                }
                boundaryPending = false
                consume()
                if run.count * exact.count > Self.limit {
                    flushRun(wordEnd: false, atEnd: false)
                    run = exact
                    runWordStart = false
                    runAtStart = false
                } else {
                    var next = Set<String>()
                    for a in run { for b in exact { next.insert(a + b) } }
                    run = next
                }
            }
            while let c = peek(), c != "|", c != ")" {
                guard var item = parseAtom() else { return nil }
                if let quantifier = parseQuantifier() {
                    guard let (minimum, maximum) = quantifier else { return nil }
                    if item.zeroWidth { continue }
                    if let exact = item.exact, maximum == 1 {
                        item = Node(requirement: minimum == 0 ? nil : item.requirement, exact: minimum == 0 ? exact.union([""]) : exact)
                    } else if minimum == 0 {
                        item = Node(requirement: nil)
                    } else if let exact = item.exact {
                        // "ab+" still requires "ab": the first repetition joins the run, then it ends
                        join(exact)
                        flushRun(wordEnd: false, atEnd: false)
                        allExact = false
                        continue
                    } else {
                        // at least one repetition: everything it requires is still required
                        let all = item.all
                        item = Node(requirement: item.requirement)
                        item.all = all
                    }
                }
                if item.zeroWidth {
                    if item.isWordBoundary {
                        boundaryPending = true
                        if run == [""] { for k in open { candidates[k].wordEnd = true } }
                    }
                    continue
                }
                if let exact = item.exact {
                    join(exact)
                    continue
                }
                let runBefore = run
                let (runBeforeWordStart, runBeforeAtStart) = (runWordStart, runAtStart)
                flushRun(wordEnd: boundaryPending, atEnd: false)
                allExact = false
                if runBefore != [""], let prefix = item.prefix, runBefore.count * prefix.literals.count <= Self.limit {
                    // the run right before the piece and the literals it begins with are one literal
                    var joined = Set<String>()
                    for a in runBefore { for b in prefix.literals { joined.insert(a + b) } }
                    candidates.append(Requirement(literals: joined, wordStart: runBeforeWordStart, atStart: runBeforeAtStart))
                }
                let before = boundaryPending
                let startsHere = !consumed
                consume()
                boundaryPending = false
                for var requirement in item.all {
                    requirement.wordStart = requirement.wordStart || (before && requirement.atStart)
                    requirement.atStart = requirement.atStart && startsHere
                    candidates.append(requirement)
                    if requirement.atEnd { open.append(candidates.count - 1) }
                }
            }
            let finalRun = run
            flushRun(wordEnd: boundaryPending, atEnd: true)
            var best: Requirement?
            let edges = { (r: Requirement) in (r.wordStart ? 1 : 0) + (r.wordEnd ? 1 : 0) }
            for candidate in candidates where !candidate.literals.isEmpty && !candidate.literals.contains("") {
                guard let current = best else { best = candidate; continue }
                let (a, b) = (Self.score(candidate.literals), Self.score(current.literals))
                if a > b || (a == b && edges(candidate) > edges(current)) { best = candidate }
            }
            var node = Node(requirement: best, exact: allExact ? finalRun : nil)
            node.all = candidates.filter { !$0.literals.isEmpty && !$0.literals.contains("") }
            node.prefix = node.all.filter(\.atStart).max { Self.score($0.literals) < Self.score($1.literals) }
            return node
        }

        static func score(_ set: Set<String>) -> Int {
            let shortest = set.map { $0.unicodeScalars.count }.min() ?? 0
            return shortest * 1000 - set.count
        }
    }
}
