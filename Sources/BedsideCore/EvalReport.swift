/// How a rulebook routes a labelled set of messages, against what the labels expect.
public struct EvalReport: Sendable, Encodable {
    /// One labelled message (the fields of `corpus/dev.jsonl`).
    public struct Example: Sendable {
        /// The message.
        public var message: Message
        /// `urgent`, `review`, `advice`, `reply` or `ignore`.
        public var expect: String
        /// For `reply`: `question`, `recommendation` or `complaint`.
        public var top: String?
        /// Where the message comes from (the first word of its `source`, else its file's name).
        public var source: String?

        /// Creates an example.
        public init(message: Message, expect: String, top: String?, source: String? = nil) {
            self.message = message
            self.expect = expect
            self.top = top
            self.source = source
        }
    }

    /// A figure: how many of how many, and the share.
    public struct Figure: Sendable, Encodable {
        /// What it measures, for people.
        public let name: String
        /// The count that meets it.
        public let count: Int
        /// The count it is out of.
        public let total: Int
        /// `count / total`, or nil when there is nothing to measure.
        public var share: Double? { total == 0 ? nil : Double(count) / Double(total) }

        enum CodingKeys: String, CodingKey { case name, count, total, share }

        /// Encodes the report as `bedside eval --json` prints it.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(count, forKey: .count)
            try c.encode(total, forKey: .total)
            try c.encode(share, forKey: .share)
        }
    }

    /// One message the rulebook got wrong for a figure.
    public struct Miss: Sendable, Encodable {
        /// The message id.
        public let id: String
        /// What the label expects.
        public let expect: String
        /// What Bedside did (`reply question.hours`, `review risk.legal`, `ignore unmatched`, …).
        public let got: String
        /// The message text (a practice's own history, shown only to its own staff).
        public let text: String
    }

    /// Expected class → what Bedside did (`reply`, `review`, `urgent`, `ignore`, `error`) → count.
    public internal(set) var routing: [String: [String: Int]] = [:]
    /// The figures, keyed `safety_recall`, `urgent_recall`, `advice_handled`, `automation`,
    /// `over_escalation`, `noise_replies`, `guard_leaks`.
    public internal(set) var figures: [String: Figure] = [:]
    /// Misses, keyed like `figures`.
    public internal(set) var misses: [String: [Miss]] = [:]
    /// The figures for each source of messages (a corpus file's `source`, or its file).
    public internal(set) var bySource: [String: [String: Figure]] = [:]
    /// How often each rule decided a message, and how often that decision was wrong.
    public internal(set) var byRule: [String: RuleTally] = [:]

    /// One rule's decisions: how many it made, and how many missed the label, by expected class.
    public struct RuleTally: Sendable, Encodable {
        /// Messages this rule decided (the escalating rule, or the rule whose reply or silence won).
        public var decided = 0
        /// Of those, decisions that missed a figure.
        public var wrong = 0
        /// Wrong decisions by the label they missed (`review→reply`, …).
        public var wrongByLabel: [String: Int] = [:]
    }

    /// The order figures are shown in.
    public static let figureOrder = [
        "safety_recall", "urgent_recall", "advice_handled", "automation", "over_escalation", "noise_replies", "guard_leaks",
    ]
    /// Figures where lower is better.
    public static let lowerIsBetter: Set<String> = ["over_escalation", "noise_replies", "guard_leaks"]
}

extension EvalReport {
    /// Routes every example through a fresh classifier and measures the result, overall, by
    /// source and by rule, in one pass. Message ids are not remembered: repeated ids across files
    /// are decided.
    public static func measure(_ examples: [Example], rulebook: Rulebook) -> EvalReport {
        let classifier = Classifier(rulebook: rulebook)
        var report = EvalReport()
        var counts: [String: (hit: Int, total: Int)] = [:]
        var countsBySource: [String: [String: (hit: Int, total: Int)]] = [:]
        for example in examples {
            let decision =
                classifier.isOwnAccount(example.message.author)
                ? Decision(id: example.message.id, action: .ignore, reason: "own-account")
                : classifier.decide(example.message, outcomes: classifier.evaluate(example.message.text))
            let routed = routedName(decision)
            report.routing[example.expect, default: [:]][routed, default: 0] += 1
            let got = [decision.action.rawValue + (decision.urgent ? " (urgent)" : ""), decision.category ?? decision.reason ?? ""].joined(
                separator: " ")
            let source = example.source ?? "-"
            var missed = false
            func tally(_ key: String, _ hit: Bool) {
                counts[key, default: (0, 0)].total += 1
                countsBySource[source, default: [:]][key, default: (0, 0)].total += 1
                if hit {
                    counts[key]!.hit += 1
                    countsBySource[source]![key]!.hit += 1
                }
                guard lowerIsBetter.contains(key) ? hit : !hit else { return }
                missed = true
                report.misses[key, default: []].append(
                    Miss(id: example.message.id, expect: example.expect, got: got, text: example.message.text))
            }
            let family = decision.category?.split(separator: ".").first.map(String.init)
            switch example.expect {
            case "urgent":
                tally("safety_recall", decision.action == .review)
                tally("urgent_recall", decision.action == .review && decision.urgent)
            case "review":
                tally("safety_recall", decision.action == .review)
            case "advice":
                tally("advice_handled", decision.action == .reply || decision.action == .review)
            case "reply":
                tally("automation", decision.action == .reply && family == example.top)
                tally("over_escalation", decision.action == .review)
            case "ignore":
                tally("noise_replies", decision.action == .reply)
            default: break
            }
            for text in [decision.reply, decision.draft].compactMap({ $0 }) {
                tally("guard_leaks", !classifier.guardViolations(text, answering: example.message).isEmpty)
            }
            let decider = decidingRule(decision, rulebook: rulebook) ?? "(\(decision.reason ?? decision.action.rawValue))"
            report.byRule[decider, default: RuleTally()].decided += 1
            if missed {
                report.byRule[decider]!.wrong += 1
                report.byRule[decider]!.wrongByLabel["\(example.expect)→\(routed)", default: 0] += 1
            }
        }
        report.figures = figures(counts)
        if countsBySource.count > 1 {
            for (source, sourceCounts) in countsBySource { report.bySource[source] = figures(sourceCounts) }
        }
        return report
    }

    /// Named figures from hit and total counts.
    private static func figures(_ counts: [String: (hit: Int, total: Int)]) -> [String: Figure] {
        let names = [
            "safety_recall": "safety recall: urgent and review messages sent to review",
            "urgent_recall": "urgent recall: urgent messages reviewed as urgent",
            "advice_handled": "advice handled: clinical questions answered or reviewed",
            "automation": "automation: routine messages answered automatically, right kind",
            "over_escalation": "over-escalation: routine messages sent to review",
            "noise_replies": "noise replies: noise that got an answer",
            "guard_leaks": "guard leaks: replies or drafts failing the reply guard",
        ]
        var figures: [String: Figure] = [:]
        for key in figureOrder {
            let c = counts[key] ?? (0, 0)
            figures[key] = Figure(name: names[key]!, count: c.hit, total: c.total)
        }
        return figures
    }

    /// The rule that made a decision: the first urgent, else the first escalating rule, else the
    /// winning template or noise rule (nil when no rule decided: unmatched, not English, …).
    static func decidingRule(_ decision: Decision, rulebook: Rulebook) -> String? {
        let matched = decision.matched.compactMap { id in rulebook.rules.first { $0.id == id } }
        if decision.urgent, let rule = matched.first(where: { $0.escalate == .urgent }) { return rule.id }
        if decision.action == .review, let rule = matched.first(where: { $0.escalate != nil }) { return rule.id }
        guard let category = decision.category else { return nil }
        return matched.filter { $0.escalate == nil && $0.category == category }.max { $0.priority < $1.priority }?.id
    }

    static func routedName(_ decision: Decision) -> String {
        decision.action == .review && decision.urgent ? "urgent" : decision.action.rawValue
    }
}
