/// The emergency and crisis lines a holding reply signposts, by region (README.md, "Writing a response").
public struct CrisisLines: Sendable, Hashable {
    /// Emergency services now (`999`, `911`, `112`).
    public var emergency: String
    /// Emotional support and crisis lines, as a phrase for a reply.
    public var support: String
    /// Urgent but not emergency advice, as a phrase for a reply.
    public var urgent: String

    /// Regions Bedside knows, as written in `bedside.yaml`'s `practice.region`.
    public static let regions: [String: CrisisLines] = [
        "UK": CrisisLines(
            emergency: "999",
            support: "Samaritans, free on 116 123 at any hour, text SHOUT to 85258, or call NHS 111 and choose option 2 for mental health",
            urgent: "NHS 111"
        ),
        "US": CrisisLines(
            emergency: "911",
            support: "the 988 Suicide & Crisis Lifeline (call or text 988)",
            urgent: "an urgent care center or a 24-hour nurse line"
        ),
        "EU": CrisisLines(
            emergency: "112",
            support: "the emotional support line on 116 123",
            urgent: "your local out-of-hours doctor service"
        ),
    ]

    /// The keys a practice may set in `practice.crisis`, as templates name them (`crisis.KEY`).
    public static let keys = ["emergency", "support", "urgent"]

    /// The line named `key` (one of ``keys``).
    subscript(key: String) -> String {
        get { key == "emergency" ? emergency : key == "support" ? support : urgent }
        set {
            switch key {
            case "emergency": emergency = newValue
            case "support": support = newValue
            default: urgent = newValue
            }
        }
    }

    /// The digits of every number these lines name, which a reply may contain.
    var numbers: [String] {
        [emergency, support, urgent].flatMap { Self.digitRuns(in: $0) }
    }

    static func digitRuns(in text: String) -> [String] {
        text.split(whereSeparator: { !$0.isNumber && $0 != " " }).map { $0.filter(\.isNumber) }.filter { !$0.isEmpty }
    }

    /// The values templates see as `crisis.*`.
    var templateValues: [String: String] {
        ["emergency": emergency, "support": support, "urgent": urgent]
    }
}
