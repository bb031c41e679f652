/// Splits a pattern into the alternatives a match must come from, so each can be filtered by its
/// own literals and run alone.
///
/// `A|B` matches a text exactly when `A` or `B` does, and so does a group spanning the whole
/// pattern, `(?:A|B)`. A pattern that names fragments (`\F{stroke-sign}|\F{allergy-sign}`) is
/// such a nest of alternatives; its branches differ in what they need (a face and a droop; a
/// swollen tongue), and a text seldom has what more than one needs.
///
/// Only constructs whose meaning stays inside their branch are split: a pattern with inline
/// options (`(?i)` applies to later branches), back-references, recursion, named or reset groups,
/// comments, `\Q…\E` or `\c` is kept whole.
enum Alternatives {
    /// The most branches a pattern is split into; beyond that it stays whole.
    static let limit = 512

    /// The alternatives of `pattern`, or `[pattern]` when it cannot be split or is one already.
    static func split(_ pattern: String) -> [String] {
        let scalars = Array(pattern.unicodeScalars)
        guard isSplittable(scalars) else { return [pattern] }
        var out: [ArraySlice<Unicode.Scalar>] = []
        guard expand(scalars[...], into: &out), out.count > 1, out.count <= limit else { return [pattern] }
        return out.map { slice in
            var s = ""
            s.unicodeScalars.append(contentsOf: slice)
            return s
        }
    }

    /// Whether every construct in the pattern keeps its meaning when a branch stands alone.
    static func isSplittable(_ s: [Unicode.Scalar]) -> Bool {
        var i = 0
        var inClass = false
        while i < s.count {
            let c = s[i]
            if c == "\\" {
                guard i + 1 < s.count else { return false }
                let e = s[i + 1]
                if "QEcgk123456789".unicodeScalars.contains(e) { return false }
                i += 2
                continue
            }
            if inClass {
                if c == "[", i + 1 < s.count, s[i + 1] == ":" { return false }  // a POSIX class inside a class
                if c == "]" { inClass = false }
                i += 1
                continue
            }
            if c == "[" {
                inClass = true
                // a leading ']' (or '^]') is a literal in the class
                if i + 1 < s.count, s[i + 1] == "]" { i += 1 }
                if i + 2 < s.count, s[i + 1] == "^", s[i + 2] == "]" { i += 2 }
                if i + 1 < s.count, s[i + 1] == "[", i + 2 < s.count, s[i + 2] == ":" { return false }
            } else if c == "(", i + 1 < s.count, s[i + 1] == "?" {
                // allowed: (?: (?= (?! (?<= (?<! (?>; everything else changes meaning beyond its branch
                guard i + 2 < s.count else { return false }
                let k = s[i + 2]
                switch k {
                case ":", "=", "!", ">": break
                case "<":
                    guard i + 3 < s.count, s[i + 3] == "=" || s[i + 3] == "!" else { return false }
                default: return false
                }
            } else if c == "(", i + 1 < s.count, s[i + 1] == "*" {
                return false  // (*VERB) and (*UTF) style settings
            }
            i += 1
        }
        return !inClass
    }

    /// Splits `s` at its top-level `|`, opens a group that spans a whole branch, and spreads a
    /// sequence over a group of alternatives inside it (`a(?:b|c)d` → `a(?:b)d`, `a(?:c)d`), recursively,
    /// while the pattern stays within ``limit`` pieces.
    private static func expand(_ s: ArraySlice<Unicode.Scalar>, into out: inout [ArraySlice<Unicode.Scalar>]) -> Bool {
        guard let branches = topLevelBranches(s) else { return false }
        if branches.count > 1 {
            for branch in branches {
                guard expand(branch, into: &out), out.count <= limit else { return false }
            }
            return true
        }
        if let inner = wholeGroup(s) { return expand(inner, into: &out) }
        for group in groups(in: s) {
            // only a group with a gap in it is worth spreading over: plain word alternatives are
            // cheap for PCRE2, and spreading over them only multiplies the pieces
            guard hasGap(s[group.content]), let inner = topLevelBranches(s[group.content]), inner.count > 1 else { continue }
            // try spreading over this group; if the pieces would pass the limit, try the next one
            var spread: [ArraySlice<Unicode.Scalar>] = []
            var fits = out.count + inner.count <= limit
            for branch in inner where fits {
                var piece = Array(s[s.startIndex..<group.open])
                piece += Array("(?:".unicodeScalars) + Array(unwrapped(branch)) + [")"]
                piece += Array(s[(group.close + 1)..<s.endIndex])
                var more: [ArraySlice<Unicode.Scalar>] = []
                guard expand(piece[...], into: &more) else { return false }
                spread += more
                fits = out.count + spread.count <= limit
            }
            if fits {
                out += spread
                return true
            }
        }
        out.append(s)
        return true
    }

    /// Whether `s` holds a bounded or unbounded gap of any characters (`.{0,60}`, `.*`, `.+`) or of words (`(?:\w+\W+){0,4}`).
    static func hasGap(_ s: ArraySlice<Unicode.Scalar>) -> Bool {
        var i = s.startIndex
        while i + 1 < s.endIndex {
            if s[i] == "\\" {
                i += 2
                continue
            }
            if s[i] == ".", "{*+".unicodeScalars.contains(s[i + 1]) { return true }
            if s[i] == ")", s[i + 1] == "{", i + 3 < s.endIndex, s[i + 2] == "0", s[i + 3] == "," { return true }
            i += 1
        }
        return false
    }

    /// `s` without the groups that wrap all of it.
    private static func unwrapped(_ s: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var s = s
        while let inner = wholeGroup(s) { s = inner }
        return s
    }

    /// The plain and non-capturing groups at depth zero of `s` that no quantifier follows: where
    /// each opens and closes, and its content.
    static func groups(in s: ArraySlice<Unicode.Scalar>) -> [(open: Int, close: Int, content: Range<Int>)] {
        guard let marks = syntax(s) else { return [] }
        var found: [(open: Int, close: Int, content: Range<Int>)] = []
        var depth = 0
        var opened = s.startIndex
        for (i, c) in marks where c != "|" {
            if c == "(" {
                if depth == 0 { opened = i }
                depth += 1
                continue
            }
            depth -= 1
            guard depth == 0 else { continue }
            let next = i + 1 < s.endIndex ? s[i + 1] : " "
            let quantified = "?*+{".unicodeScalars.contains(next)
            var start = opened + 1
            var plain = true
            if s[start] == "?" {
                if start + 1 < i, s[start + 1] == ":" { start += 2 } else { plain = false }
            }
            if plain, !quantified { found.append((opened, i, start..<i)) }
        }
        return found
    }

    /// The branches of `s` at depth zero, or nil when its brackets do not balance.
    static func topLevelBranches(_ s: ArraySlice<Unicode.Scalar>) -> [ArraySlice<Unicode.Scalar>]? {
        guard let marks = syntax(s) else { return nil }
        var branches: [ArraySlice<Unicode.Scalar>] = []
        var depth = 0
        var start = s.startIndex
        for (i, c) in marks {
            switch c {
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth < 0 { return nil }
            default:
                guard depth == 0 else { continue }
                branches.append(s[start..<i])
                start = i + 1
            }
        }
        guard depth == 0 else { return nil }
        branches.append(s[start..<s.endIndex])
        return branches
    }

    /// The inside of `s` when `s` is one plain or non-capturing group, `(…)` or `(?:…)`, with nothing after it.
    static func wholeGroup(_ s: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar>? {
        guard s.count >= 2, s.first == "(", s.last == ")" else { return nil }
        var open = s.startIndex + 1
        if s[open] == "?" {
            guard open + 1 < s.endIndex, s[open + 1] == ":" else { return nil }
            open += 2
        } else if s[open] == "*" {
            return nil
        }
        // the first '(' must close at the very end
        guard let marks = syntax(s) else { return nil }
        var depth = 0
        for (i, c) in marks where c != "|" {
            depth += c == "(" ? 1 : -1
            if depth == 0 { return i == s.endIndex - 1 ? s[open..<i] : nil }
        }
        return nil
    }

    /// The `(`, `)` and `|` of `s` that are syntax, with their indices: escaped characters and
    /// character classes are stepped over. Nil when a class never closes or an escape ends the text.
    static func syntax(_ s: ArraySlice<Unicode.Scalar>) -> [(index: Int, scalar: Unicode.Scalar)]? {
        var marks: [(index: Int, scalar: Unicode.Scalar)] = []
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "\\" {
                i += 2
                continue
            }
            if c == "[" {
                guard let end = classEnd(s, from: i) else { return nil }
                i = end + 1
                continue
            }
            if c == "(" || c == ")" || c == "|" { marks.append((i, c)) }
            i += 1
        }
        guard i == s.endIndex else { return nil }
        return marks
    }

    /// Where the class opened at `start` closes: a `]` first (or after `^`) is literal, escapes are skipped.
    static func classEnd(_ s: ArraySlice<Unicode.Scalar>, from start: Int) -> Int? {
        var i = start + 1
        if i < s.endIndex, s[i] == "^" { i += 1 }
        if i < s.endIndex, s[i] == "]" { i += 1 }
        while i < s.endIndex {
            if s[i] == "\\" {
                i += 2
                continue
            }
            if s[i] == "]" { return i }
            i += 1
        }
        return nil
    }
}
