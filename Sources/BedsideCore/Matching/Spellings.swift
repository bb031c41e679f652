/// Misspellings of the words risk rules look for, undone before those rules read the text again.
///
/// People in distress and in a hurry type `sucidal`, `siezure` and `cant breth`; a rule written for
/// `suicidal` would miss them, and the message would wait as routine. `lists/spellings.txt` pairs
/// each misspelling with its word (`sucidal suicidal`), one pair a line. Like the de-obfuscated form,
/// the repaired text is read only by risk rules, and only when they did not match the text as written.
public struct Spellings: Sendable {
    /// Misspelling → correct word, both lowercase.
    let corrections: [String: String]
    /// FNV-1a hashes of the misspellings: a text is scanned once without building strings, and
    /// strings are built only when a word's hash is one of these.
    let hashes: Set<UInt64>

    /// No corrections: texts are never changed.
    public static let none = Spellings(corrections: [:])

    /// Corrections from misspelling to word; keys are matched case-insensitively.
    public init(corrections: [String: String]) {
        self.corrections = Dictionary(corrections.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.hashes = Set(self.corrections.keys.map { WordHashes.hashes($0).first ?? 0 })
    }

    /// Reads `misspelling correction` pairs from list terms; a line without exactly two words is
    /// returned as a problem rather than guessed at.
    static func parse(_ terms: [String]) -> (Spellings, problems: [String]) {
        var corrections: [String: String] = [:]
        var problems: [String] = []
        for term in terms {
            let words = term.split(whereSeparator: \.isWhitespace).map(String.init)
            guard words.count == 2, words[0] != words[1] else {
                problems.append(term)
                continue
            }
            corrections[words[0]] = words[1]
        }
        return (Spellings(corrections: corrections), problems)
    }

    /// The text with every listed misspelling replaced by its word, or `nil` when none occurs (the
    /// common case, decided by hashing the words in place).
    public func repair(_ text: String) -> String? {
        guard !hashes.isEmpty, WordHashes.containsWord(text, hashedIn: hashes) else { return nil }
        var result = ""
        var word = String.UnicodeScalarView()
        var changed = false
        func flush() {
            guard !word.isEmpty else { return }
            let original = String(word)
            if let fixed = corrections[original.lowercased()] {
                result += fixed
                changed = true
            } else {
                result += original
            }
            word = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            if WordHashes.isWordScalar(scalar) {
                word.append(scalar)
            } else {
                flush()
                result.unicodeScalars.append(scalar)
            }
        }
        flush()
        return changed ? result : nil
    }
}
