/// Finds, for a PCRE2 pattern, a set of literal strings at least one of which every match must
/// contain. The prefilter looks for those literals in one pass; a pattern none of whose literals
/// occur cannot match and is never run.
///
/// The analysis is conservative: whenever a construct is not understood, the pattern gets no
/// requirement (`nil`) and is always run.
enum RequiredLiterals {
    /// The required literals of `pattern` (lowercased), or `nil` when it has none we can prove.
    static func of(_ pattern: String) -> Set<String>? {
        var parser = Parser(Array(pattern.unicodeScalars))
        guard let node = parser.parseAlternation(), parser.atEnd else { return nil }
        guard let set = node.requirement, !set.isEmpty, !set.contains("") else { return nil }
        return set
    }

    /// What a parsed piece of pattern tells us.
    struct Node {
        /// Literals one of which any match of this piece contains (nil: unknown).
        var requirement: Set<String>?
        /// When the piece matches exactly one of a small set of fixed strings (lowercased), that
        /// set, so neighbours can join into longer literals (`colou?r` → colour, color).
        var exact: Set<String>?
        /// Zero-width (an assertion): it neither consumes nor breaks a literal run.
        var zeroWidth = false
    }

    struct Unsupported: Error {}

    struct Parser {
        let s: [Unicode.Scalar]
        var i = 0

        init(_ s: [Unicode.Scalar]) { self.s = s }

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
            var union = Set<String>()
            for branch in branches {
                guard let requirement = branch.requirement else { return Node(requirement: nil, exact: exact) }
                union.formUnion(requirement)
            }
            return Node(requirement: union, exact: exact)
        }

        /// The most strings a joined set may hold before it is cut.
        static let limit = 4096

        /// A sequence: fixed parts join into longer literals; the most selective requirement wins.
        mutating func parseSequence() -> Node? {
            var best: Set<String>?
            var run: Set<String> = [""]
            var allExact = true
            func consider(_ candidate: Set<String>?) {
                guard let candidate, !candidate.isEmpty, !candidate.contains("") else { return }
                if best == nil || Self.score(candidate) > Self.score(best!) { best = candidate }
            }
            func join(_ exact: Set<String>) {
                if run.count * exact.count > Self.limit {
                    consider(run)
                    run = exact
                } else {
                    var next = Set<String>()
                    for a in run { for b in exact { next.insert(a + b) } }
                    run = next
                }
            }
            func breakRun() {
                consider(run)
                run = [""]
                allExact = false
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
                        breakRun()
                        continue
                    } else {
                        item = Node(requirement: item.requirement)
                    }
                }
                if item.zeroWidth { continue }
                if let exact = item.exact {
                    join(exact)
                } else {
                    breakRun()
                    consider(item.requirement)
                }
            }
            consider(run)
            return Node(requirement: best, exact: allExact ? run : nil)
        }

        static func score(_ set: Set<String>) -> Int {
            let shortest = set.map { $0.unicodeScalars.count }.min() ?? 0
            return shortest * 1000 - set.count
        }

        /// `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}` (with lazy `?` or possessive `+`): returns
        /// nil when there is none, `.some(nil)` when it cannot be read.
        mutating func parseQuantifier() -> (Int, Int?)?? {
            guard let c = peek() else { return nil }
            var result: (Int, Int?)
            switch c {
            case "?": result = (0, 1); i += 1
            case "*": result = (0, nil); i += 1
            case "+": result = (1, nil); i += 1
            case "{":
                var j = i + 1
                var digits = ""
                while let d = (j < s.count ? s[j] : nil), d.properties.numericType != nil, d.isASCII { digits.unicodeScalars.append(d); j += 1 }
                guard let minimum = Int(digits) else { return nil }  // a literal '{'
                var maximum: Int? = minimum
                if j < s.count, s[j] == "," {
                    j += 1
                    var more = ""
                    while let d = (j < s.count ? s[j] : nil), d.properties.numericType != nil, d.isASCII { more.unicodeScalars.append(d); j += 1 }
                    maximum = more.isEmpty ? nil : Int(more)
                }
                guard j < s.count, s[j] == "}" else { return nil }  // a literal '{'
                i = j + 1
                result = (minimum, maximum)
            default:
                return nil
            }
            if let next = peek(), next == "?" || next == "+" { i += 1 }
            return .some(result)
        }

        /// One atom: a literal character, an escape, a class, a group or an assertion.
        mutating func parseAtom() -> Node? {
            guard let c = peek() else { return nil }
            i += 1
            switch c {
            case "(": return parseGroup()
            case "[": return skipClass() ? Node(requirement: nil) : nil
            case ".": return Node(requirement: nil)
            case "^", "$": return Node(requirement: nil, zeroWidth: true)
            case "\\": return parseEscape()
            case "*", "+", "?", "{":
                if c == "{" { return literal(c) }
                return nil
            default: return literal(c)
            }
        }

        func literal(_ c: Unicode.Scalar) -> Node {
            // Non-ASCII letters fold to other code points under Unicode caselessness; the literal
            // scan folds ASCII only, so such a character is not a safe literal.
            if !c.isASCII, c.properties.changesWhenCaseMapped { return Node(requirement: nil) }
            let lower = c.isASCII ? String(Character(c)).lowercased() : String(Character(c))
            return Node(requirement: [lower], exact: [lower])
        }

        mutating func parseEscape() -> Node? {
            guard let e = peek() else { return nil }
            i += 1
            switch e {
            case "b", "B", "A", "z", "Z", "G", "K": return Node(requirement: nil, zeroWidth: true)
            case "w", "W", "d", "D", "s", "S", "h", "H", "v", "V", "R", "N", "X", "C": return Node(requirement: nil)
            case "n": return literal("\n")
            case "t": return literal("\t")
            case "r": return literal("\r")
            case "p", "P":
                if peek() == "{" {
                    while let c = peek(), c != "}" { i += 1 }
                    guard peek() == "}" else { return nil }
                    i += 1
                } else {
                    i += 1
                }
                return Node(requirement: nil)
            case "x":
                if peek() == "{" {
                    while let c = peek(), c != "}" { i += 1 }
                    guard peek() == "}" else { return nil }
                    i += 1
                } else {
                    i += min(2, s.count - i)
                }
                return Node(requirement: nil)
            case "Q", "E", "L", "l", "U", "u", "c", "o", "g", "k", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9":
                return nil
            default:
                guard !e.properties.isAlphabetic else { return nil }
                return literal(e)
            }
        }

        /// Skips `[...]`, honouring escapes, a leading `]` or `^]`, and POSIX `[:name:]`.
        mutating func skipClass() -> Bool {
            if peek() == "^" { i += 1 }
            if peek() == "]" { i += 1 }
            while let c = peek() {
                i += 1
                if c == "\\" { i += 1; continue }
                if c == "[", peek() == ":" {
                    while let d = peek(), d != "]" { i += 1 }
                    i += 1
                    continue
                }
                if c == "]" { return true }
            }
            return false
        }

        mutating func parseGroup() -> Node? {
            var lookaround = false
            if peek() == "?" {
                i += 1
                guard let k = peek() else { return nil }
                switch k {
                case ":", ">", "|": i += 1
                case "=", "!": i += 1; lookaround = true
                case "<":
                    if peek(1) == "=" || peek(1) == "!" {
                        i += 2
                        lookaround = true
                    } else {
                        while let c = peek(), c != ">" { i += 1 }
                        i += 1
                    }
                case "P":
                    guard peek(1) == "<" else { return nil }
                    while let c = peek(), c != ">" { i += 1 }
                    i += 1
                case "'":
                    i += 1
                    while let c = peek(), c != "'" { i += 1 }
                    i += 1
                case "#":
                    while let c = peek(), c != ")" { i += 1 }
                    i += 1
                    return Node(requirement: nil, zeroWidth: true)
                default:
                    // inline options: (?i) (?-i) (?i:...) — extended mode changes how the pattern reads
                    var flags = ""
                    while let c = peek(), c != ")", c != ":" { flags.unicodeScalars.append(c); i += 1 }
                    guard !flags.contains("x"), flags.allSatisfy({ "imsnU-J^".contains($0) }) else { return nil }
                    guard let end = peek() else { return nil }
                    i += 1
                    if end == ")" { return Node(requirement: nil, zeroWidth: true) }
                }
            }
            guard let inner = parseAlternation(), peek() == ")" else { return nil }
            i += 1
            if lookaround { return Node(requirement: nil, zeroWidth: true) }
            return inner
        }
    }
}
