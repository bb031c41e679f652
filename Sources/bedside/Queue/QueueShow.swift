import ArgumentParser
import BedsideCore
import BedsideStore
import Foundation

extension Bedside.Queue {
    /// Shows one item: the message, why it was queued, the draft and the history.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one item: the message, why it was queued, the rules that matched, the draft, the history.",
            discussion: """
                --json prints one object for scripts: "item" (the fields of queue list --json), "history" \
                (the audit trail) and "deliveries". Exit status 1 when there is no such item.
                """)

        @OptionGroup var options: QueueOptions

        @Argument(help: ArgumentHelp("The queue id (q_…).", valueName: "id"))
        var id: String

        @Flag(help: "Print the item, its history and its deliveries as one JSON object.")
        var json = false

        /// What `--json` prints.
        struct Shown: Encodable {
            let item: ReviewItem
            let history: [AuditEntry]
            let deliveries: [DeliveryState]
        }

        func run() async throws {
            let (rulebook, store) = try await options.open("show")
            guard let item = try await store.item(id) else {
                StandardError.print("bedside queue show: \(ReviewStoreError.notFound(id: id).localizedDescription)")
                throw ExitCode(1)
            }
            let deliveries = try await store.deliveries(forItem: id).map(DeliveryState.init)
            let history = try await store.history(id)
            if json {
                let shown = Shown(item: item, history: history, deliveries: deliveries)
                print(String(decoding: try QueueFormat.encoder.encode(shown), as: UTF8.self))
                return
            }
            print(Self.render(item, history: history, deliveries: deliveries, timeZone: rulebook.configuration.practice.timeZone))
        }

        static func render(_ item: ReviewItem, history: [AuditEntry], deliveries: [DeliveryState] = [], timeZone: TimeZone) -> String {
            func time(_ date: Date) -> String { QueueFormat.time(date, in: timeZone) }
            var lines: [String] = []
            lines.append("\(item.id)  \(item.status.rawValue)\(item.urgent ? "  URGENT" : "")")
            var from = [item.platform, item.author.map { "by \($0)" }].compactMap { $0 }.joined(separator: " ")
            if from.isEmpty { from = "-" }
            lines.append("message:   \(item.messageID) (\(from))\(item.thread.map { ", thread \($0)" } ?? "")")
            if let url = item.url { lines.append("link:      \(url)") }
            lines.append("queued:    \(time(item.createdAt))")
            if let assignee = item.assignee { lines.append("assignee:  \(assignee)") }
            lines.append("")
            if let text = item.text {
                lines.append(contentsOf: text.split(separator: "\n", omittingEmptySubsequences: false).map { "  > \($0)" })
            } else {
                lines.append("  (message text purged \(item.purgedAt.map(time) ?? ""))")
            }
            lines.append("")
            lines.append("why:       \(item.reason ?? "-")\(item.category.map { " (category \($0))" } ?? "")")
            lines.append("rules:     \(item.matched.isEmpty ? "none matched" : item.matched.joined(separator: ", "))")
            if let holding = item.holdingReply {
                let state = deliveries.first { $0.kind == "holding" }?.summary ?? "not queued"
                lines.append("holding reply: \(state)")
                lines.append("           \(holding)")
            }
            lines.append("draft:     \(item.draft ?? "(none: write one with --reply or --edit)")")
            if let final = item.finalText, final != item.draft { lines.append("approved:  \(final)") }
            if let approved = deliveries.last(where: { $0.kind == "approved" }) { lines.append("reply:     \(approved.summary)") }
            if let reason = item.rejectReason { lines.append("rejected:  \(reason)") }
            lines.append("")
            lines.append("history:")
            for entry in history {
                var line = "  \(time(entry.at))  \(entry.actor)  \(entry.action.rawValue)"
                if let note = entry.note { line += ": \(note)" }
                lines.append(line)
                if entry.action == .edited {
                    if let before = entry.textBefore { lines.append("      before: \(before)") }
                    if let after = entry.textAfter { lines.append("      after:  \(after)") }
                }
                if let override = entry.override { lines.append("      override: \(override)") }
            }
            return lines.joined(separator: "\n")
        }
    }
}
