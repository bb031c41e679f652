import ArgumentParser
import BedsideStore
import Foundation

extension Bedside.Queue {
    /// Queue figures.
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pending items by category and age, urgent items, median time to a decision, the outbox.")

        @OptionGroup var options: QueueOptions

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() async throws {
            let (_, store) = try await options.open("stats")
            let stats = try await store.stats(now: Date())
            if json {
                print(String(decoding: try QueueFormat.encoder.encode(stats), as: UTF8.self))
                return
            }
            print(Self.render(stats))
        }

        static func render(_ s: QueueStats) -> String {
            let pending = s.byStatus["pending"] ?? 0
            var lines = ["pending: \(pending) (\(s.pendingUrgent) urgent)"]
            if let oldest = s.oldestPendingAge { lines[0] += ", oldest waiting \(QueueFormat.age(oldest))" }
            if pending > 0 {
                let a = s.pendingAge
                lines.append("  waiting: under 1h \(a.underOneHour), 1h-1d \(a.underOneDay), 1d-3d \(a.underThreeDays), 3d+ \(a.older)")
                var rows: [[String]] = []
                for (category, count) in s.pendingByCategory.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
                    rows.append(["   ", category, "\(count)"])
                }
                lines.append("  by category:")
                lines.append(QueueFormat.table(rows))
            }
            // What people decided (from the audit trail), then where their replies are now: an
            // approval delivered at once is still an approval.
            let decided = QueueStats.decisionActions.map { "\($0.rawValue) \(s.decided[$0.rawValue] ?? 0)" }
            lines.append("decided: " + decided.joined(separator: ", "))
            let waiting = (s.byStatus["approved"] ?? 0) + (s.byStatus["edited"] ?? 0)
            lines.append("approved replies: waiting \(waiting), sent \(s.byStatus["sent"] ?? 0), failed \(s.byStatus["failed"] ?? 0)")
            lines.append("median time to decision: \(s.medianTimeToDecision.map(QueueFormat.age) ?? "-")")
            lines.append("outbox: pending \(s.outbox["pending"] ?? 0), sent \(s.outbox["sent"] ?? 0), failed \(s.outbox["failed"] ?? 0)")
            let decisions = ["reply", "review", "ignore", "error"].map { "\($0) \(s.decisions[$0] ?? 0)" }
            lines.append("decisions recorded: " + decisions.joined(separator: ", "))
            return lines.joined(separator: "\n")
        }
    }
}
