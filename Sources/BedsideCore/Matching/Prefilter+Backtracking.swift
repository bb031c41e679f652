/// The shapes of pattern that may backtrack into the engine limit; such a pattern is kept whole and
/// always run, and `bedside check` warns of it.
extension Prefilter {
    /// A heuristic for catastrophic backtracking: a repeated group that itself contains an
    /// unbounded repeat, as in `(a+)+` or `(\w*\s)*`, or whose alternatives overlap, as in
    /// `(a|aa)+` or `(a|a?)+`. Possessive repeats (`*+`) are safe.
    static func mayBacktrack(_ pattern: String) -> Bool {
        let chars = Array(pattern)
        var stack: [Bool] = []  // per open group: does it contain an unbounded repeat?
        var starts: [Int] = []  // per open group: where it opens
        var i = 0
        var inClass = false
        func unboundedBrace(at j: Int) -> Bool {
            String(chars[j...].prefix(12)).range(of: #"^\{\d*,\}"#, options: .regularExpression) != nil
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\\" { i += 2; continue }
            if inClass { if c == "]" { inClass = false }; i += 1; continue }
            switch c {
            case "[": inClass = true
            case "(":
                stack.append(false)
                starts.append(i)
            case "+", "*":
                let possessiveMark = c == "+" && i > 0 && "*+?}".contains(chars[i - 1])
                if !stack.isEmpty, !possessiveMark { stack[stack.count - 1] = true }
            case "{":
                if unboundedBrace(at: i), !stack.isEmpty { stack[stack.count - 1] = true }
            case ")":
                let inner = stack.popLast() ?? false
                let start = starts.popLast() ?? i
                let next = i + 1 < chars.count ? chars[i + 1] : " "
                let possessive = i + 2 < chars.count && chars[i + 2] == "+"
                let repeated = !possessive && (next == "+" || next == "*" || (next == "{" && unboundedBrace(at: i + 1)))
                if inner && repeated { return true }
                if repeated, alternativesOverlap(Array(chars[(start + 1)..<i])) { return true }
                if inner, !stack.isEmpty { stack[stack.count - 1] = true }
            default: break
            }
            i += 1
        }
        return false
    }

    /// Whether a group's alternatives can match the same text in more than one way: one may be
    /// empty, or two begin with the same atom (`a|aa`, `a|a?`, `\w+x|\w`).
    static func alternativesOverlap(_ body: [Character]) -> Bool {
        var body = body[...]
        if body.first == "?" {
            // (?:…) and (?i:…) hold alternatives; lookarounds and other constructs are left alone
            guard let colon = body.firstIndex(of: ":"), body[body.index(after: body.startIndex)..<colon].allSatisfy(\.isLetter) else {
                return false
            }
            body = body[body.index(after: colon)...]
        }
        var alternatives: [[String]] = [[]]  // each alternative as its atoms, quantifiers attached
        var depth = 0
        var i = body.startIndex
        while i < body.endIndex {
            var atom = String(body[i])
            if body[i] == "\\", body.index(after: i) < body.endIndex {
                i = body.index(after: i)
                atom.append(body[i])
            } else if body[i] == "[" {
                while body.index(after: i) < body.endIndex, body[i] != "]" || atom.count == 1 {
                    i = body.index(after: i)
                    atom.append(body[i])
                    if body[i] == "\\", body.index(after: i) < body.endIndex { i = body.index(after: i); atom.append(body[i]) }
                }
            } else if body[i] == "(" {
                depth += 1
            } else if body[i] == ")" {
                depth -= 1
            } else if body[i] == "|", depth == 0 {
                alternatives.append([])
                i = body.index(after: i)
                continue
            }
            if depth == 0, atom.count == 1, "?*+{".contains(atom), var last = alternatives[alternatives.count - 1].popLast() {
                last += atom
                alternatives[alternatives.count - 1].append(last)
            } else {
                alternatives[alternatives.count - 1].append(atom)
            }
            i = body.index(after: i)
        }
        guard alternatives.count > 1 else { return false }
        func optional(_ atom: String) -> Bool { atom.hasSuffix("?") || atom.hasSuffix("*") || atom.hasSuffix("{0,}") }
        func bare(_ atom: String) -> String {
            var atom = atom.lowercased()
            while let last = atom.last, "?*+".contains(last), atom.count > 1 { atom.removeLast() }
            return atom
        }
        var firsts = Set<String>()
        for alternative in alternatives {
            if alternative.allSatisfy(optional) { return true }
            guard let first = alternative.first.map(bare), first != "(" else { continue }
            if !firsts.insert(first).inserted { return true }
        }
        return false
    }
}
