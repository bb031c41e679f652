import BedsideCore
import Foundation

/// An explanation as one JSON object, for scripts: the decision as `run` prints it, the reasoning,
/// and the rules the terminal form lists (those that found something, or every rule with `--all`).
extension ExplanationPrinter {
    func json() -> String {
        let decision = (try? JSONSerialization.jsonObject(with: Data(explanation.decision.jsonLine.utf8))) ?? [:]
        var object: [String: Any] = [
            "decision": decision, "reasoning": explanation.reasoning, "rules_tried": explanation.rules.count,
            "rules": shownRules.map(Self.rule),
        ]
        if let plain = explanation.deobfuscated { object["deobfuscated"] = plain }
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func rule(_ result: Explanation.RuleResult) -> [String: Any] {
        let rule = result.rule
        var object: [String: Any] = [
            "id": rule.id, "category": rule.category, "priority": rule.priority,
            "file": rule.location.path, "line": rule.location.line,
            "clauses": result.clauses.filter { $0.matchedText != nil || $0.failure != nil }.map(clause),
        ]
        switch result.outcome {
        case .matched: object["outcome"] = "matched"
        case .notMatched: object["outcome"] = "not-matched"
        case .failed(let reason):
            object["outcome"] = "engine-limit"
            object["failure"] = reason
        }
        if let escalate = rule.escalate { object["escalate"] = escalate.rawValue }
        return object
    }

    static func clause(_ clause: Explanation.ClauseResult) -> [String: Any] {
        var object: [String: Any] = ["kind": clause.kind, "pattern": clause.pattern, "in_deobfuscated_text": clause.inDeobfuscatedText]
        if let found = clause.matchedText { object["found"] = found }
        if let failure = clause.failure { object["failure"] = failure }
        if !clause.fragments.isEmpty {
            object["fragments"] = clause.fragments.map { fragment -> [String: Any] in
                var entry: [String: Any] = ["name": fragment.name]
                if let found = fragment.found { entry["found"] = found }
                return entry
            }
        }
        return object
    }
}
