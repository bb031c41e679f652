/// How ``RequiredLiterals/Parser`` reads single atoms: literals, escapes, classes, groups and quantifiers.
extension RequiredLiterals.Parser {
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
            while let d = (j < s.count ? s[j] : nil), d.properties.numericType != nil, d.isASCII {
                digits.unicodeScalars.append(d); j += 1
            }
            guard let minimum = Int(digits) else { return nil }  // a literal '{'
            var maximum: Int? = minimum
            if j < s.count, s[j] == "," {
                j += 1
                var more = ""
                while let d = (j < s.count ? s[j] : nil), d.properties.numericType != nil, d.isASCII {
                    more.unicodeScalars.append(d); j += 1
                }
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
    mutating func parseAtom() -> RequiredLiterals.Node? {
        guard let c = peek() else { return nil }
        i += 1
        switch c {
        case "(": return parseGroup()
        case "[": return skipClass() ? RequiredLiterals.Node(requirement: nil) : nil
        case ".": return RequiredLiterals.Node(requirement: nil)
        case "^", "$": return RequiredLiterals.Node(requirement: nil, zeroWidth: true)
        case "\\": return parseEscape()
        case "*", "+", "?", "{":
            if c == "{" { return literal(c) }
            return nil
        default: return literal(c)
        }
    }

    func literal(_ c: Unicode.Scalar) -> RequiredLiterals.Node {
        // Non-ASCII letters fold to other code points under Unicode caselessness; the literal
        // scan folds ASCII only, so such a character is not a safe literal.
        if !c.isASCII, c.properties.changesWhenCaseMapped { return RequiredLiterals.Node(requirement: nil) }
        let lower = c.isASCII ? String(Character(c)).lowercased() : String(Character(c))
        return RequiredLiterals.Node(
            requirement: RequiredLiterals.Requirement(literals: [lower], atStart: true, atEnd: true), exact: [lower])
    }

    mutating func parseEscape() -> RequiredLiterals.Node? {
        guard let e = peek() else { return nil }
        i += 1
        switch e {
        case "b": return RequiredLiterals.Node(requirement: nil, zeroWidth: true, isWordBoundary: true)
        case "B", "A", "z", "Z", "G", "K": return RequiredLiterals.Node(requirement: nil, zeroWidth: true)
        case "w", "W", "d", "D", "s", "S", "h", "H", "v", "V", "R", "N", "X", "C": return RequiredLiterals.Node(requirement: nil)
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
            return RequiredLiterals.Node(requirement: nil)
        case "x":
            if peek() == "{" {
                while let c = peek(), c != "}" { i += 1 }
                guard peek() == "}" else { return nil }
                i += 1
            } else {
                i += min(2, s.count - i)
            }
            return RequiredLiterals.Node(requirement: nil)
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

    mutating func parseGroup() -> RequiredLiterals.Node? {
        // i is just past the '('
        let open = i - 1
        guard let memo, let close = closes[open], close - open >= 24 else { return parseGroupText() }
        var key = ""
        key.unicodeScalars.append(contentsOf: s[open...close])
        if let known = memo.nodes[key] {
            i = close + 1
            return known
        }
        let node = parseGroupText()
        // remembered only when the group read exactly its own text
        if let node, i == close + 1 { memo.nodes[key] = node }
        return node
    }

    mutating func parseGroupText() -> RequiredLiterals.Node? {
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
                return RequiredLiterals.Node(requirement: nil, zeroWidth: true)
            default:
                // inline options: (?i) (?-i) (?i:...) — extended mode changes how the pattern reads
                var flags = ""
                while let c = peek(), c != ")", c != ":" { flags.unicodeScalars.append(c); i += 1 }
                guard !flags.contains("x"), flags.allSatisfy({ "imsnU-J^".contains($0) }) else { return nil }
                guard let end = peek() else { return nil }
                i += 1
                if end == ")" { return RequiredLiterals.Node(requirement: nil, zeroWidth: true) }
            }
        }
        guard let inner = parseAlternation(), peek() == ")" else { return nil }
        i += 1
        if lookaround { return RequiredLiterals.Node(requirement: nil, zeroWidth: true) }
        return inner
    }
}
