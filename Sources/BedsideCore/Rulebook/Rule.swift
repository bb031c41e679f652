/// One rule of the rulebook: patterns that recognise a kind of message, and what to do with it.
public struct Rule: Sendable {
    /// How a rule sends a message to people.
    public enum Escalation: String, Sendable, CaseIterable {
        /// A person must decide.
        case review
        /// A person must decide now: someone may be in danger.
        case urgent
    }

    /// One pattern of a rule, with where it was written.
    public struct Clause: Sendable {
        /// The compiled pattern.
        public let pattern: Pattern
        /// Where the pattern is in its rules file.
        public let location: SourceLocation
    }

    /// The rule's id, unique in the rulebook.
    public let id: String
    /// Its category: `question.*`, `recommendation.*`, `complaint.*`, `risk.*` or `noise.*`.
    public let category: String
    /// One line for people reading the rulebook.
    public let description: String?
    /// Among rules that do not escalate, the highest priority wins (then file order).
    public let priority: Int
    /// Any of these may match.
    public let match: [Clause]
    /// Every one of these must also match.
    public let all: [Clause]
    /// None of these may match.
    public let unless: [Clause]
    /// The template answered with, or for an escalating rule the draft shown to staff.
    public let reply: String?
    /// Whether the rule sends the message to people, and how fast.
    public let escalate: Escalation?
    /// For urgent rules: a vetted template sent at once while a person is fetched.
    public let holdingReply: String?
    /// Texts this rule must match.
    public let exampleMatches: [String]
    /// Texts this rule must not match.
    public let exampleIgnores: [String]
    /// Where the rule starts in its file.
    public let location: SourceLocation

    /// Risk rules also see the de-obfuscated text (`k1ll mys3lf` → `kill myself`).
    public var seesDeobfuscatedText: Bool { category.hasPrefix("risk.") }
    /// Noise rules mean "ignore".
    public var isNoise: Bool { category.hasPrefix("noise.") }

    /// Category families a rule may belong to.
    public static let categoryFamilies = ["question", "recommendation", "complaint", "risk", "noise"]
}
