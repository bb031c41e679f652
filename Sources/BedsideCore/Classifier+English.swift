import Foundation

extension Classifier {
    /// Whether most of the words of `text` are not English (fewer than 45% of its words are in
    /// `lists/english.txt`). Links, @handles and #tags are not counted; texts of fewer than three
    /// words, and rulebooks without an `english` list, are never judged.
    ///
    /// Most messages are plain ASCII and are counted byte by byte; any other text goes through
    /// Swift's `Character`s. Both count the same words (a test holds them equal).
    public func isMostlyNotEnglish(_ text: String) -> Bool {
        let english = rulebook.englishWords
        guard !english.isEmpty else { return false }
        var bytes = text
        let counts = bytes.withUTF8 { Self.isASCII($0) ? Self.englishCountsASCII($0, english) : nil } ?? Self.englishCounts(text, english)
        return counts.words >= 3 && Double(counts.known) < 0.45 * Double(counts.words)
    }

    /// The apostrophes trimmed from a word's ends.
    private static let apostrophes = CharacterSet(charactersIn: "'\u{2019}")

    /// Words, and how many of them are English, read as `Character`s (any text).
    static func englishCounts(_ text: String, _ english: Set<String>) -> (words: Int, known: Int) {
        var words = 0
        var known = 0
        for token in text.split(whereSeparator: \.isWhitespace) {
            if token.hasPrefix("http") || token.hasPrefix("@") || token.hasPrefix("#") || token.contains("://") { continue }
            for word in token.split(whereSeparator: { !$0.isLetter && $0 != "'" && $0 != "\u{2019}" }) {
                let plain = word.trimmingCharacters(in: Self.apostrophes)
                guard !plain.isEmpty else { continue }
                words += 1
                let lower = plain.lowercased()
                let key = lower.unicodeScalars.contains("\u{2019}") ? lower.replacingOccurrences(of: "\u{2019}", with: "'") : lower
                if english.contains(key) { known += 1 }
            }
        }
        return (words, known)
    }

    /// The same count on an all-ASCII text, without building `Character`s: whitespace is
    /// 0x09–0x0D and space (Unicode's White_Space within ASCII), letters are A–Z and a–z.
    static func englishCountsASCII(_ bytes: UnsafeBufferPointer<UInt8>, _ english: Set<String>) -> (words: Int, known: Int) {
        var words = 0
        var known = 0
        var word = [UInt8]()
        word.reserveCapacity(32)
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        let apostrophe = UInt8(ascii: "'")
        var i = 0
        let count = bytes.count
        while i < count {
            while i < count, isSpace(bytes[i]) { i += 1 }
            let start = i
            while i < count, !isSpace(bytes[i]) { i += 1 }
            guard i > start else { continue }
            let token = UnsafeBufferPointer(rebasing: bytes[start..<i])
            if Self.isLinkHandleOrTag(token) { continue }
            var j = 0
            while j < token.count {
                while j < token.count, !isLetter(token[j]), token[j] != apostrophe { j += 1 }
                var from = j
                while j < token.count, isLetter(token[j]) || token[j] == apostrophe { j += 1 }
                var to = j
                while from < to, token[from] == apostrophe { from += 1 }
                while to > from, token[to - 1] == apostrophe { to -= 1 }
                guard to > from else { continue }
                words += 1
                word.removeAll(keepingCapacity: true)
                for k in from..<to { word.append(isLetter(token[k]) ? token[k] | 0x20 : token[k]) }
                if english.contains(String(decoding: word, as: UTF8.self)) { known += 1 }
            }
        }
        return (words, known)
    }

    /// Whether every byte is ASCII.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var any: UInt8 = 0
        for b in bytes { any |= b }
        return any < 0x80
    }

    /// `http…`, `@…`, `#…` or anything holding `://`: not counted as words.
    private static func isLinkHandleOrTag(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        let first = token[0]
        if first == UInt8(ascii: "@") || first == UInt8(ascii: "#") { return true }
        if token.count >= 4, token[0] == 0x68, token[1] == 0x74, token[2] == 0x74, token[3] == 0x70 { return true }
        guard token.count >= 3 else { return false }
        for k in 0..<(token.count - 2) where token[k] == 0x3A && token[k + 1] == 0x2F && token[k + 2] == 0x2F { return true }
        return false
    }
}
