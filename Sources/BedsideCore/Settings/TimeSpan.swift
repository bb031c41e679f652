import Foundation

/// A length of time as people write it, with its unit: `500ms`, `45s`, `30m`, `2h`, `3d`, `1w`.
///
/// The one reading of durations, for every flag (`--older-than`, `--interval`, `--lease`) and
/// every setting (`delivery.timeout`, `delivery.retry`). A bare number is refused rather than
/// guessed at: `--older-than 2` could mean two seconds or two days, and `queue purge` acting on the
/// wrong one erases what should have been kept.
public struct TimeSpan: Sendable, Hashable, CustomStringConvertible {
    /// The length in seconds.
    public let seconds: TimeInterval
    /// As it was written.
    public let text: String

    /// Units and their length in seconds, longest suffix first so `ms` is not read as `m`.
    static let units: [(suffix: String, seconds: Double)] = [
        ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400), ("w", 604_800),
    ]

    /// Reads `text`, or throws a ``Problem`` that says what is wrong and what to write instead.
    public init(parsing text: String) throws(Problem) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw Problem(text: text, reason: "is empty") }
        let split = trimmed.firstIndex { !($0.isNumber || $0 == ".") } ?? trimmed.endIndex
        let number = trimmed[..<split]
        let unit = trimmed[split...].trimmingCharacters(in: .whitespaces)
        guard let value = Double(number), value.isFinite else {
            throw Problem(text: text, reason: "does not start with a number")
        }
        guard !unit.isEmpty else {
            throw Problem(text: text, reason: "has no unit; write \(number)s, \(number)m, \(number)h or \(number)d")
        }
        guard let scale = Self.units.first(where: { $0.suffix == unit })?.seconds else {
            throw Problem(text: text, reason: "has an unknown unit '\(unit)'")
        }
        seconds = value * scale
        self.text = trimmed
    }

    /// A whole number of seconds (`5s`).
    public init(seconds: Int) {
        self.seconds = TimeInterval(seconds)
        text = "\(seconds)s"
    }

    /// The length as Swift's `Duration`.
    public var duration: Duration { .milliseconds(Int64((seconds * 1000).rounded())) }

    /// The duration as it was written.
    public var description: String { text }

    /// Why a duration could not be read.
    public struct Problem: Error, LocalizedError, CustomStringConvertible, Sendable, Equatable {
        /// What was written.
        public let text: String
        /// What is wrong with it.
        public let reason: String

        /// A problem with `text`.
        public init(text: String, reason: String) {
            self.text = text
            self.reason = reason
        }

        /// What was written and what is wrong with it.
        public var description: String {
            "'\(text)' \(reason) (a duration is a number and a unit: ms, s, m, h, d or w, as in 500ms, 10s, 30m, 2h, 3d, 1w)"
        }

        /// The same text, for Foundation's error reporting.
        public var errorDescription: String? { description }
    }
}
