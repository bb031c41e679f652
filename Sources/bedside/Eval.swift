import ArgumentParser
import BedsideCore
import Foundation

extension Bedside {
    /// Measures the rulebook on labelled messages: a shadow run before automation goes live.
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure how the rulebook routes labelled messages (a shadow run on your own history).",
            discussion: """
                FILE is JSON Lines, one labelled message a line: "id", "text", optional "author" and \
                "platform", "expect" (urgent, review, advice, reply or ignore) and, for reply, "top" \
                (question, recommendation or complaint). Nothing is stored and nothing is sent.

                Exit status 1 when a bound you give is missed, so CI can guard safety:
                  bedside eval corpus.jsonl --min-safety 0.99 --max-guard-leaks 0
                  bedside eval corpus.jsonl --json > report.json
                """
        )

        @OptionGroup var rulebook: RulebookOptions

        @Argument(help: ArgumentHelp("Labelled messages, JSON Lines (one file or several, measured together).", valueName: "file"))
        var files: [String]

        @Option(help: ArgumentHelp("List the N rules whose decisions missed the labels most.", valueName: "n"))
        var worstRules: Int = 10

        @Option(help: ArgumentHelp("List up to N misses of each kind (with their text).", valueName: "n"))
        var misses: Int = 0

        @Flag(help: "Print the report as JSON.")
        var json = false

        @Option(help: "Fail unless safety recall is at least this share.") var minSafety: Double?
        @Option(help: "Fail unless urgent recall is at least this share.") var minUrgent: Double?
        @Option(help: "Fail unless advice handled is at least this share.") var minAdvice: Double?
        @Option(help: "Fail unless automation is at least this share.") var minAutomation: Double?
        @Option(help: "Fail if over-escalation is above this share.") var maxOverEscalation: Double?
        @Option(help: "Fail if noise replies are above this share.") var maxNoiseReplies: Double?
        @Option(help: "Fail if more than this many replies or drafts fail the guard.") var maxGuardLeaks: Int?

        func validate() throws {
            let shares = [
                ("--min-safety", minSafety), ("--min-urgent", minUrgent), ("--min-advice", minAdvice), ("--min-automation", minAutomation),
                ("--max-over-escalation", maxOverEscalation), ("--max-noise-replies", maxNoiseReplies),
            ]
            for (flag, value) in shares {
                if let value, !(0...1).contains(value) {
                    throw ValidationError("\(flag) is a share from 0 to 1 (0.99 means 99%), not \(value)")
                }
            }
            for (flag, value) in [("--worst-rules", worstRules), ("--misses", misses), ("--max-guard-leaks", maxGuardLeaks ?? 0)]
            where value < 0 {
                throw ValidationError("\(flag) must be 0 or more, not \(value)")
            }
        }

        func run() throws {
            let loaded = try rulebook.load()
            guard !files.isEmpty else { throw ValidationError("give at least one file of labelled messages") }
            var examples: [EvalReport.Example] = []
            for file in files { examples += try Self.readExamples(file, tagSources: true) }
            let report = EvalReport.measure(examples, rulebook: loaded)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(EvalPrinter(report: report, count: examples.count, misses: misses, rules: worstRules).render())
            }
            let failures = boundFailures(report)
            for failure in failures { StandardError.print("bedside eval: \(failure)") }
            if !failures.isEmpty { throw ExitCode(1) }
        }

        func boundFailures(_ report: EvalReport) -> [String] {
            var failures: [String] = []
            func share(_ key: String) -> Double { report.figures[key]?.share ?? (EvalReport.lowerIsBetter.contains(key) ? 0 : 1) }
            for (key, bound) in [
                ("safety_recall", minSafety), ("urgent_recall", minUrgent), ("advice_handled", minAdvice), ("automation", minAutomation),
            ] {
                if let bound, share(key) < bound {
                    failures.append("\(key) \(String(format: "%.3f", share(key))) is below the bound \(bound)")
                }
            }
            for (key, bound) in [("over_escalation", maxOverEscalation), ("noise_replies", maxNoiseReplies)] {
                if let bound, share(key) > bound {
                    failures.append("\(key) \(String(format: "%.3f", share(key))) is above the bound \(bound)")
                }
            }
            if let maxGuardLeaks, let leaks = report.figures["guard_leaks"]?.count, leaks > maxGuardLeaks {
                failures.append("\(leaks) replies or drafts fail the reply guard (bound \(maxGuardLeaks))")
            }
            return failures
        }

        /// Reads labelled messages; with `tagSources`, each takes its source from its `source` field
        /// (the first word: `written`, `The-Strategy-Unit/pxtextmining`, …), else from the file's name.
        static func readExamples(_ path: String, tagSources: Bool = false) throws -> [EvalReport.Example] {
            let fileName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            guard let data = FileManager.default.contents(atPath: path) else {
                StandardError.print("\(path): error: cannot read the labelled messages")
                throw ExitCode(2)
            }
            var examples: [EvalReport.Example] = []
            var problems = 0
            for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
                let number = index + 1
                guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { continue }
                let fields = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any]
                guard let fields, let text = fields["text"] as? String, let expect = fields["expect"] as? String,
                    ["urgent", "review", "advice", "reply", "ignore"].contains(expect)
                else {
                    StandardError.print(
                        "\(path):\(number):1: error: needs a JSON object with \"text\" and \"expect\" (urgent, review, advice, reply or ignore)"
                    )
                    problems += 1
                    continue
                }
                let id = (fields["id"] as? String) ?? "line-\(number)"
                let message = Message(
                    id: id, text: text, author: fields["author"] as? String, platform: fields["platform"] as? String,
                    channel: fields["channel"] as? String)
                let source = (fields["source"] as? String)?.split(separator: " ").first.map(String.init) ?? fileName
                examples.append(.init(message: message, expect: expect, top: fields["top"] as? String, source: tagSources ? source : nil))
            }
            if problems > 0 { throw ExitCode(2) }
            return examples
        }
    }
}

/// Formats an evaluation for a practice manager.
struct EvalPrinter {
    let report: EvalReport
    let count: Int
    let misses: Int
    var rules = 10

    func render() -> String {
        var lines = ["\(count) labelled messages", "", "how each expected class was routed:"]
        let columns = ["reply", "review", "urgent", "ignore", "error"]
        lines.append("  " + "expected".padding(toLength: 10, withPad: " ", startingAt: 0) + columns.map { $0.leftPad(8) }.joined())
        for expect in ["urgent", "review", "advice", "reply", "ignore"] {
            guard let row = report.routing[expect] else { continue }
            lines.append(
                "  " + expect.padding(toLength: 10, withPad: " ", startingAt: 0) + columns.map { String(row[$0] ?? 0).leftPad(8) }.joined())
        }
        lines.append("")
        lines.append("figures:")
        for key in EvalReport.figureOrder {
            guard let figure = report.figures[key] else { continue }
            let share = figure.share.map { String(format: "%.3f", $0) } ?? "  -  "
            lines.append("  \(share)  (\(figure.count)/\(figure.total))  \(figure.name)")
        }
        if !report.bySource.isEmpty {
            let keys = EvalReport.figureOrder.filter { $0 != "guard_leaks" }
            let heads = ["safety", "urgent", "advice", "autom.", "over-e.", "noise"]
            lines.append("")
            lines.append("by source:")
            lines.append("  " + "source".padding(toLength: 34, withPad: " ", startingAt: 0) + heads.map { $0.leftPad(8) }.joined())
            for (source, figures) in report.bySource.sorted(by: { $0.key < $1.key }) {
                let cells = keys.map { key in figures[key]?.share.map { String(format: "%.3f", $0) } ?? "-" }
                lines.append(
                    "  " + String(source.prefix(33)).padding(toLength: 34, withPad: " ", startingAt: 0)
                        + cells.map { $0.leftPad(8) }.joined())
            }
        }
        let wrongRules = report.byRule.filter { $0.value.wrong > 0 }.sorted { ($0.value.wrong, $1.key) > ($1.value.wrong, $0.key) }
        if rules > 0, !wrongRules.isEmpty {
            lines.append("")
            lines.append("rules whose decisions missed the labels most (expected→got):")
            for (rule, tally) in wrongRules.prefix(rules) {
                let detail = tally.wrongByLabel.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(
                    separator: ", ")
                lines.append(
                    "  " + rule.padding(toLength: 30, withPad: " ", startingAt: 0) + "\(tally.wrong)/\(tally.decided)".leftPad(9) + "  "
                        + detail)
            }
        }
        if misses > 0 {
            for key in EvalReport.figureOrder {
                guard let list = report.misses[key], !list.isEmpty else { continue }
                lines.append("")
                lines.append("misses, \(key) (\(list.count)):")
                for miss in list.prefix(misses) {
                    let text = miss.text.count > 100 ? String(miss.text.prefix(100)) + "…" : miss.text
                    lines.append(
                        "  \(miss.id)  expected \(miss.expect), got \(miss.got): \(text.replacingOccurrences(of: "\n", with: " "))")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
