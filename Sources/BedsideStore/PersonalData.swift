import Foundation

/// What `queue purge` erases from everything it keeps besides the message itself: the writer's
/// handle, and any run of their words that a reply, draft or note repeated.
public enum PersonalData {
    /// Runs of this many consecutive words of the message are erased wherever they appear.
    static let runLength = 4
    /// What erased text is replaced with.
    public static let marker = "[removed]"

    /// `text` without the handle, without quoted excerpts (`("…")`, as the reply guard quotes the
    /// message), and without any run of ``runLength`` or more words of `message`.
    public static func erase(_ text: String?, handle: String?, message: String?) -> String? {
        guard var text, !text.isEmpty else { return text }
        text = text.replacingOccurrences(of: #"\s*\("[^"]*"\)"#, with: "", options: .regularExpression)
        if let handle, !handle.isEmpty {
            for variant in [handle, handle.hasPrefix("@") ? String(handle.dropFirst()) : handle] where !variant.isEmpty {
                let pattern = #"(?<![\p{L}\p{N}_])@?"# + NSRegularExpression.escapedPattern(for: variant) + #"(?![\p{L}\p{N}_])"#
                text = text.replacingOccurrences(of: pattern, with: marker, options: [.regularExpression, .caseInsensitive])
            }
        }
        if let message { text = eraseRuns(of: message, in: text) }
        return text
    }

    /// Replaces every stretch of `text` made of runs of ``runLength`` words found in `message`.
    static func eraseRuns(of message: String, in text: String) -> String {
        let source = words(message).map(\.word)
        guard source.count >= runLength else { return text }
        var grams = Set<[String]>()
        for i in 0...(source.count - runLength) { grams.insert(Array(source[i..<(i + runLength)])) }
        let found = words(text)
        guard found.count >= runLength else { return text }
        var covered = [Bool](repeating: false, count: found.count)
        for i in 0...(found.count - runLength) where grams.contains(found[i..<(i + runLength)].map(\.word)) {
            for j in i..<(i + runLength) { covered[j] = true }
        }
        var result = ""
        var cursor = text.startIndex
        var i = 0
        while i < found.count {
            guard covered[i] else { i += 1; continue }
            var j = i
            while j + 1 < found.count, covered[j + 1] { j += 1 }
            result += text[cursor..<found[i].range.lowerBound] + marker
            cursor = found[j].range.upperBound
            i = j + 1
        }
        return result + text[cursor...]
    }

    /// Lower-cased words (letters, digits, marks, apostrophes) and where they are.
    static func words(_ text: String) -> [(word: String, range: Range<String.Index>)] {
        var result: [(String, Range<String.Index>)] = []
        var start: String.Index?
        var index = text.startIndex
        func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "'" || c == "\u{2019}" }
        while index < text.endIndex {
            if isWordCharacter(text[index]) {
                if start == nil { start = index }
            } else if let begun = start {
                result.append((text[begun..<index].lowercased(), begun..<index))
                start = nil
            }
            index = text.index(after: index)
        }
        if let begun = start { result.append((text[begun..<text.endIndex].lowercased(), begun..<text.endIndex)) }
        return result
    }
}
