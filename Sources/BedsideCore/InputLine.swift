import Foundation

/// One line of `bedside run`'s input, read into a message or an explained error.
public enum InputLine {
    /// Lines longer than this are answered with an `error` and not decided.
    public static let maximumLength = 1 << 20

    /// Why a line could not be read as a message.
    public struct Problem: Error, Sendable, Equatable {
        /// The id to answer with (`line-N` unless the line named one).
        public var id: String
        /// Machine-readable cause (`invalid-json`, `missing-text`, …).
        public var reason: String
        /// For people: what was wrong, naming the line (never quoting the message text).
        public var explanation: String

        /// The `error` decision for this problem.
        public var decision: Decision { .failure(id: id, reason: reason, explanation: explanation) }
    }

    /// Reads one input line (without its newline). `number` is 1-based.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, number: Int) -> Result<Message, Problem> {
        let fallbackID = "line-\(number)"
        guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else {
            return .failure(Problem(id: fallbackID, reason: "empty", explanation: "line \(number): blank"))
        }
        guard bytes[first] == UInt8(ascii: "{") else {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                return .failure(Problem(id: fallbackID, reason: "invalid-utf8", explanation: "line \(number): not valid UTF-8 text"))
            }
            return .success(Message(id: fallbackID, text: text))
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(buffer: bytes), options: [])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return .failure(
                Problem(
                    id: fallbackID, reason: "invalid-json",
                    explanation: "line \(number): not valid JSON" + (detail.map { " (\($0))" } ?? "")))
        }
        guard let fields = object as? [String: Any] else {
            return .failure(Problem(id: fallbackID, reason: "invalid-json", explanation: "line \(number): a JSON line must be one object"))
        }
        var id = fallbackID
        if let value = fields["id"], !(value is NSNull) {
            switch messageID(value) {
            case .success(let valid): id = valid
            case .failure(let problem):
                return .failure(Problem(id: fallbackID, reason: "invalid-id", explanation: "line \(number): \(problem)"))
            }
        }
        guard let rawText = fields["text"], !(rawText is NSNull) else {
            return .failure(Problem(id: id, reason: "missing-text", explanation: "line \(number): the message has no \"text\" field"))
        }
        guard let text = rawText as? String else {
            return .failure(Problem(id: id, reason: "invalid-text", explanation: "line \(number): \"text\" must be a string"))
        }
        guard text.contains(where: { !$0.isWhitespace }) else {
            return .failure(Problem(id: id, reason: "empty-text", explanation: "line \(number): \"text\" is empty"))
        }
        func optional(_ key: String) -> String? {
            if let string = fields[key] as? String { return string }
            if let number = fields[key] as? NSNumber { return number.stringValue }
            return nil
        }
        return .success(
            Message(
                id: id, text: text, author: optional("author"), platform: optional("platform"), thread: optional("thread"),
                url: optional("url"), createdAt: optional("created_at"), channel: optional("channel")))
    }

    /// A message id as the input gave it: a non-empty string without control or formatting
    /// characters, or an integer. Anything else (`true`, `1.5`, an array) is refused, so no two
    /// different ids are ever stored, compared or shown as the same one.
    static func messageID(_ value: Any) -> Result<String, IDProblem> {
        if let string = value as? String {
            guard !string.isEmpty else { return .failure(IDProblem("\"id\" must be a string or an integer; it is empty")) }
            if let bad = string.unicodeScalars.first(where: InvisibleCharacters.isInvisible) {
                return .failure(
                    IDProblem(
                        "\"id\" must be a string or an integer without control characters; it holds U+\(String(format: "%04X", bad.value))")
                )
            }
            return .success(string)
        }
        if let number = value as? NSNumber, "iIsSlLqQ".contains(String(cString: number.objCType)) {
            return .success(number.stringValue)
        }
        return .failure(IDProblem("\"id\" must be a string or an integer"))
    }

    /// Why an id was refused.
    struct IDProblem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The problem for a line longer than ``maximumLength``, given its first bytes.
    public static func tooLong(prefix: UnsafeBufferPointer<UInt8>, length: Int, number: Int) -> Problem {
        Problem(
            id: salvageID(prefix) ?? "line-\(number)", reason: "line-too-long",
            explanation: "line \(number): \(length) bytes is longer than the limit of \(maximumLength) bytes (1 MiB); not decided")
    }

    /// The `"id": "…"` of a line that cannot be read whole, so its answer can still name it.
    static func salvageID(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let key = Array("\"id\"".utf8)
        var i = 0
        let n = bytes.count
        while i + key.count <= n {
            if bytes[i] == key[0], Array(bytes[i..<(i + key.count)]) == key {
                var j = i + key.count
                while j < n, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                guard j < n, bytes[j] == UInt8(ascii: ":") else { i += 1; continue }
                j += 1
                while j < n, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                guard j < n, bytes[j] == UInt8(ascii: "\"") else { return nil }
                let start = j + 1
                var end = start
                while end < n, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), end - start < 512 { end += 1 }
                guard end < n, bytes[end] == UInt8(ascii: "\""), end > start else { return nil }
                return String(validating: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            }
            i += 1
        }
        return nil
    }
}
