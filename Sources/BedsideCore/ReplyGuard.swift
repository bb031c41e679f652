/// Refuses outgoing text that could breach confidentiality or give clinical specifics.
///
/// Its lexicon is data (`guard.yaml` and `lists/`), which a practice extends without code.
public struct ReplyGuard: Sendable {
    /// One forbidden kind of content.
    public struct Check: Sendable {
        /// A short id (`patient-relationship`, `dose`, `drug`, …).
        public let id: String
        /// Why it is refused, for people.
        public let reason: String
        /// What finds it.
        public let patterns: [Pattern]
    }

    /// Why a text was refused.
    public struct Violation: Sendable, Hashable, CustomStringConvertible {
        /// The check that refused it.
        public let check: String
        /// Why, for people.
        public let reason: String
        /// The refused words of the outgoing text.
        public let excerpt: String

        /// A finding (checks outside the guard, such as a test's, make their own).
        public init(check: String, reason: String, excerpt: String) {
            self.check = check
            self.reason = reason
            self.excerpt = excerpt
        }

        /// What the reply guard found, as shown to staff.
        public var description: String { "\(reason) (\"\(excerpt)\")" }
    }

    /// The pattern and list checks.
    public let checks: [Check]
    /// Every check pattern as written (for finding the fragments they use).
    var patternSources: [String] { checks.flatMap { $0.patterns.map(\.source) } }
    /// A reply may not repeat this many consecutive words of the incoming message.
    public let copyWords: Int
    /// Phone-like digit runs a reply may contain: the practice's own and the crisis lines.
    let allowedNumbers: Set<String>
    /// Email addresses a reply may contain: the practice's own.
    let allowedEmails: Set<String>

    static let emailPattern = try! Pattern(#"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"#)
    static let numberPattern = try! Pattern(#"\+?\d[\d \-().]{5,}\d"#)

    /// Every reason `text` may not be sent in answer to `incoming` (empty: it may be sent).
    public func violations(in text: String, answering incoming: String? = nil, author: String? = nil, using matcher: Matcher) -> [Violation]
    {
        var found = contentViolations(in: text, author: author, using: matcher)
        if let incoming, let copied = Self.copiedRun(from: incoming, in: text, minimum: copyWords, ignoring: author) {
            found.append(copyViolation(copied))
        }
        return found
    }

    /// The checks that depend on the outgoing text alone (not on the message it answers).
    func contentViolations(in text: String, author: String?, using matcher: Matcher) -> [Violation] {
        var found: [Violation] = []
        for check in checks {
            for pattern in check.patterns {
                switch matcher.match(pattern, in: text) {
                case .noMatch: continue
                case .match(let range):
                    found.append(Violation(check: check.id, reason: check.reason, excerpt: Self.slice(text, range)))
                case .failed(_, let message):
                    found.append(Violation(check: check.id, reason: "the guard could not finish its check (\(message))", excerpt: ""))
                }
                break
            }
        }
        return found + personalData(in: text, author: author, using: matcher)
    }

    func copyViolation(_ copied: String) -> Violation {
        Violation(check: "copied-words", reason: "repeats \(copyWords) or more consecutive words of the message", excerpt: copied)
    }

    /// Hashes of every run of `copyWords` words of an outgoing text, leaving out runs made only of
    /// the author's own handle: what ``copies(_:from:)`` looks for in each incoming message.
    func gramHashes(of text: String, author: String?) -> Set<UInt64> {
        let words = WordHashes.hashes(text)
        guard words.count >= copyWords else { return [] }
        let authorWords = Set(author.map(WordHashes.hashes) ?? [])
        var grams = Set<UInt64>()
        for i in 0...(words.count - copyWords) where !words[i..<(i + copyWords)].allSatisfy(authorWords.contains) {
            grams.insert(WordHashes.gram(words, i, copyWords))
        }
        return grams
    }

    /// Whether `incoming` may share a run of `copyWords` words with the text whose grams are given
    /// (a hit is confirmed with the exact check).
    func mayCopy(_ incoming: String, grams: Set<UInt64>) -> Bool {
        guard !grams.isEmpty else { return false }
        let words = WordHashes.hashes(incoming)
        guard words.count >= copyWords else { return false }
        for i in 0...(words.count - copyWords) where grams.contains(WordHashes.gram(words, i, copyWords)) { return true }
        return false
    }

    private func personalData(in text: String, author: String?, using matcher: Matcher) -> [Violation] {
        var found: [Violation] = []
        for excerpt in Self.allMatches(Self.emailPattern, in: text, using: matcher) where !allowedEmails.contains(excerpt.lowercased()) {
            found.append(Violation(check: "personal-data", reason: "contains an email address other than the practice's", excerpt: excerpt))
        }
        for excerpt in Self.allMatches(Self.numberPattern, in: text, using: matcher) {
            let digits = excerpt.filter(\.isNumber)
            guard digits.count >= 7, !allowedNumbers.contains(where: { $0.hasSuffix(digits) || digits.hasSuffix($0) && $0.count >= 7 })
            else { continue }
            found.append(
                Violation(check: "personal-data", reason: "contains a phone or record number other than the practice's", excerpt: excerpt))
        }
        return found
    }

    static func slice(_ text: String, _ range: Range<Int>) -> String {
        let bytes = Array(text.utf8)
        let clamped = min(range.lowerBound, bytes.count)..<min(range.upperBound, bytes.count)
        return String(decoding: bytes[clamped], as: UTF8.self)
    }

    static func allMatches(_ pattern: Pattern, in text: String, using matcher: Matcher) -> [String] {
        var results: [String] = []
        var bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let outcome = bytes.withUnsafeBufferPointer { matcher.match(pattern, in: UnsafeBufferPointer(rebasing: $0[start...])) }
            guard case .match(let range) = outcome, !range.isEmpty else { break }
            results.append(String(decoding: bytes[(start + range.lowerBound)..<(start + range.upperBound)], as: UTF8.self))
            start += range.upperBound
        }
        bytes.removeAll()
        return results
    }

    /// Lowercased words: runs of letters, digits, marks and apostrophes.
    static func words(_ text: String) -> [String] { WordHashes.words(text) }

    /// The first run of `minimum` consecutive words of `incoming` that `text` repeats, if any.
    /// The author's own handle is not counted as copying.
    static func copiedRun(from incoming: String, in text: String, minimum: Int, ignoring author: String?) -> String? {
        guard minimum > 0 else { return nil }
        let source = words(incoming)
        guard source.count >= minimum else { return nil }
        var grams = Set<[String]>()
        for i in 0...(source.count - minimum) { grams.insert(Array(source[i..<(i + minimum)])) }
        let authorWords = Set(author.map(words) ?? [])
        let outgoing = words(text)
        guard outgoing.count >= minimum else { return nil }
        for i in 0...(outgoing.count - minimum) {
            let gram = Array(outgoing[i..<(i + minimum)])
            if grams.contains(gram), !gram.allSatisfy(authorWords.contains) { return gram.joined(separator: " ") }
        }
        return nil
    }
}
