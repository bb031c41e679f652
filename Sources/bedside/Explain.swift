import ArgumentParser
import BedsideCore
import Foundation

extension Bedside {
    /// Shows the decision for one message and how it was reached.
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the decision for one message, every rule tried, what matched where, and why.",
            discussion: """
                --all lists the rules that did not match too; --json prints the decision, the reasoning \
                and every rule tried as one JSON object. Exit status 0, or 2 when the message is empty or \
                the rulebook does not load.

                Examples:
                  bedside explain "What time do you open on Saturday?"
                  echo "Can I book a check-up?" | bedside explain -
                  bedside explain --all "thanks so much, lovely team"
                  bedside explain --json "my chest hurts" | jq .decision
                """
        )

        @OptionGroup var rulebook: RulebookOptions

        @Argument(help: ArgumentHelp("The message text, or - to read it from standard input.", valueName: "text"))
        var text: String

        @Option(help: "The author's handle (own accounts are ignored; replies greet the author).")
        var author: String?

        @Flag(help: "List every rule, including those that did not match.")
        var all = false

        @Flag(help: "Print the explanation as one JSON object.")
        var json = false

        func run() throws {
            let loaded = try rulebook.load()
            var body = text
            if text == "-" {
                body = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard !body.isEmpty else {
                StandardError.print("bedside explain: the message is empty")
                throw ExitCode(2)
            }
            let explanation = Classifier(rulebook: loaded).explain(Message(id: "explain", text: body, author: author))
            if json {
                print(ExplanationPrinter(explanation, showAll: all).json())
            } else {
                print(ExplanationPrinter(explanation, showAll: all).render())
            }
        }
    }
}

/// Formats an explanation for a terminal.
struct ExplanationPrinter {
    let explanation: Explanation
    let showAll: Bool

    init(_ explanation: Explanation, showAll: Bool) {
        self.explanation = explanation
        self.showAll = showAll
    }

    /// The rules listed: those that matched or stopped the engine, or whose `match` pattern found
    /// something; every rule with `--all`.
    var shownRules: [Explanation.RuleResult] {
        explanation.rules.filter { result in
            showAll || result.outcome != .notMatched || result.clauses.contains { $0.matchedText != nil && $0.kind == "match" }
        }
    }

    func render() -> String {
        let d = explanation.decision
        var lines: [String] = []
        lines.append("decision:  \(d.action.rawValue)\(d.urgent ? " (URGENT)" : "")")
        lines.append("category:  \(d.category ?? "none")")
        if let reason = d.reason { lines.append("reason:    \(reason)") }
        if let reply = d.reply { lines.append("reply:     \(reply)") }
        if let draft = d.draft { lines.append("draft:     \(draft)") }
        if let plain = explanation.deobfuscated { lines.append("risk rules also read: \"\(plain)\"") }
        lines.append("")
        lines.append("why: \(explanation.reasoning)")
        lines.append("")
        let matched = explanation.rules.filter { $0.outcome != .notMatched }
        lines.append("rules tried: \(explanation.rules.count), matched: \(matched.filter { $0.outcome.isMatch }.count)")
        for result in shownRules {
            let rule = result.rule
            let mark: String
            switch result.outcome {
            case .matched: mark = "MATCH  "
            case .notMatched: mark = "no     "
            case .failed: mark = "LIMIT  "
            }
            var header = "  \(mark)\(rule.id)  [\(rule.category)"
            if let escalate = rule.escalate {
                header += ", escalate: \(escalate.rawValue)"
            } else {
                header += ", priority \(rule.priority)"
            }
            header += "]  \(rule.location.path):\(rule.location.line)"
            lines.append(header)
            for clause in result.clauses where clause.matchedText != nil || clause.failure != nil {
                let found =
                    clause.failure.map { "engine stopped: \($0)" }
                    ?? "found \"\(clause.matchedText!)\"\(clause.inDeobfuscatedText ? " (in the de-obfuscated text)" : "")"
                lines.append("           \(clause.kind): \(clause.pattern)  →  \(found)")
                if !clause.fragments.isEmpty {
                    let parts = clause.fragments.map { "\\F{\($0.name)} " + ($0.found.map { "\"\($0)\"" } ?? "(nothing)") }
                    lines.append("             fragments: " + parts.joined(separator: ", "))
                }
            }
        }
        if !showAll { lines.append("  (rules that found nothing are hidden; --all lists them)") }
        return lines.joined(separator: "\n")
    }
}
