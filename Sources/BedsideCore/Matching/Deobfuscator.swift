import Foundation

/// Undoes the common ways people disguise words, so risk rules see `k1ll mys3lf` as `kill myself`.
///
/// Unicode NFKC (full-width and styled letters to plain ones), zero-width characters removed,
/// look-alike digits and symbols next to letters mapped to those letters, and spaced-out letters
/// (`s u i c i d e`, `k.i.l.l`) joined. Ordinary rules never see this form.
public enum Deobfuscator {
    static let leet: [Character: Character] = [
        "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "l", "€": "e",
    ]
    /// Symbols mapped only when letters stand on both sides (`su!cide`), never at a word's end (`help!`).
    static let innerOnly: Set<Character> = ["!", "|"]
    static let invisible: Set<Unicode.Scalar> = ["\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{00AD}", "\u{180E}"]

    /// The de-obfuscated text with the listed misspellings repaired, or `nil` when it would equal
    /// the input (the common, fast case).
    public static func deobfuscate(_ text: String, spellings: Spellings) -> String? {
        let plain = deobfuscate(text) ?? text
        let repaired = spellings.repair(plain) ?? plain
        return repaired == text ? nil : repaired
    }

    /// The de-obfuscated text, or `nil` when it would equal the input (the common, fast case).
    public static func deobfuscate(_ text: String) -> String? {
        guard mayNeedWork(text) else { return nil }
        var scalars = String.UnicodeScalarView()
        for scalar in text.precomposedStringWithCompatibilityMapping.unicodeScalars where !invisible.contains(scalar) {
            scalars.append(scalar)
        }
        var chars = Array(String(scalars))
        for i in chars.indices {
            guard let plain = leet[chars[i]] else { continue }
            let before = i > 0 && chars[i - 1].isLetter
            let after = i + 1 < chars.count && chars[i + 1].isLetter
            if innerOnly.contains(chars[i]) ? (before && after) : (before || after) { chars[i] = plain }
        }
        chars = joinSpacedLetters(chars)
        let result = String(chars)
        return result == text ? nil : result
    }

    /// Whether the text has anything the de-obfuscation could change: a non-ASCII byte, or a
    /// look-alike digit or symbol touching a letter.
    static func mayNeedWork(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var previousIsLetter = false
            var previousIsLeet = false
            for byte in bytes {
                if byte >= 0x80 { return true }
                let isLetter = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
                let isLeet = leetBytes.contains(byte)
                if (isLeet && previousIsLetter) || (isLetter && previousIsLeet) { return true }
                previousIsLetter = isLetter
                previousIsLeet = isLeet
            }
            return hasSpacedLetters(bytes)
        }
    }

    static let leetBytes: Set<UInt8> = Set("013457@$!|".utf8)

    /// True for four or more single letters separated by one space, dot, dash, underscore or star.
    static func hasSpacedLetters(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        return spacedRunLength(count: bytes.count, isLetter: { isLetter(bytes[$0]) }, isSeparator: { isSeparatorByte(bytes[$0]) }) != nil
    }

    static func isSeparatorByte(_ b: UInt8) -> Bool { b == 0x20 || b == 0x2E || b == 0x2D || b == 0x5F || b == 0x2A }

    /// The first run of `minimum` (default three) or more lone letters joined by single separators,
    /// as (start, end) indices.
    static func spacedRunLength(
        count: Int, from start: Int = 0, minimum: Int = 3, isLetter: (Int) -> Bool, isSeparator: (Int) -> Bool
    ) -> (Int, Int)? {
        func lone(_ i: Int) -> Bool { isLetter(i) && (i == 0 || !isLetter(i - 1)) && (i + 1 == count || !isLetter(i + 1)) }
        var i = start
        while i < count {
            if lone(i) {
                var end = i
                var letters = 1
                while end + 2 < count, isSeparator(end + 1), lone(end + 2) {
                    end += 2
                    letters += 1
                }
                if letters >= minimum { return (i, end) }
                i = end + 1
            } else {
                i += 1
            }
        }
        return nil
    }

    /// Joins spaced-out letters: `s u i c i d e` → `suicide`, `k m s` → `kms`. Once a text has such a
    /// run, two-letter runs are joined too, so `e n d i n g  i t` reads `ending it`.
    static func joinSpacedLetters(_ chars: [Character], minimum: Int = 3) -> [Character] {
        var out: [Character] = []
        var from = 0
        func isSeparator(_ c: Character) -> Bool { c == " " || c == "." || c == "-" || c == "_" || c == "*" }
        while let (start, end) = spacedRunLength(
            count: chars.count, from: from, minimum: minimum, isLetter: { chars[$0].isLetter }, isSeparator: { isSeparator(chars[$0]) })
        {
            out.append(contentsOf: chars[from..<start])
            out.append(contentsOf: stride(from: start, through: end, by: 2).map { chars[$0] })
            from = end + 1
        }
        out.append(contentsOf: chars[from...])
        if minimum > 2, from > 0 { return joinSpacedLetters(out, minimum: 2) }
        return out
    }
}
