import ArgumentParser
import BedsideCore
import BedsideStore
import Foundation

extension Bedside.Queue {
    /// Lists review items: pending first, urgent first, then oldest.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List review items: pending first, urgent first, then oldest.",
            discussion: """
                The table shows a short preview of each message, never all of it (`queue show` does). \
                --json prints a JSON array for scripts: every item with id, message_id, status, urgent, \
                category, draft, created_at and the rest.
                """
        )

        @OptionGroup var options: QueueOptions

        @Option(
            help: ArgumentHelp("Only items in this state: pending, approved, edited, rejected, sent, failed, or all.", valueName: "status"))
        var status: String = "all"

        @Option(help: ArgumentHelp("Only items whose category starts with this (risk, complaint.service, …).", valueName: "prefix"))
        var category: String?

        @Option(
            help: ArgumentHelp("Only items queued at least this long ago (30m, 2h, 3d).", valueName: "age"), transform: TimeSpan.argument)
        var olderThan: TimeSpan?

        @Flag(help: "Only urgent items.")
        var urgent = false

        @Option(help: ArgumentHelp("At most this many items.", valueName: "n"))
        var limit: Int?

        @Flag(help: "Print a JSON array instead of a table.")
        var json = false

        func validate() throws {
            if status != "all", ReviewItem.Status(rawValue: status) == nil {
                let known = ReviewItem.Status.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("unknown status '\(status)'; use one of \(known), or all")
            }
            if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more, not \(limit)") }
        }

        func run() async throws {
            let (_, store) = try await options.open("list")
            let now = Date()
            let filter = ReviewFilter(
                statuses: ReviewItem.Status(rawValue: status).map { [$0] }, categoryPrefix: category,
                olderThan: olderThan?.seconds, urgentOnly: urgent, limit: limit, now: now)
            let items = try await store.items(filter)
            if json {
                print(String(decoding: try QueueFormat.encoder.encode(items), as: UTF8.self))
                return
            }
            guard !items.isEmpty else {
                print("no review items\(status == "all" ? "" : " with status \(status)")")
                return
            }
            var rows = [["ID", "STATUS", "URGENT", "CATEGORY", "AGE", "ASSIGNEE", "MESSAGE"]]
            for item in items {
                rows.append([
                    item.id, item.status.rawValue, item.urgent ? "URGENT" : "", item.category ?? "-",
                    QueueFormat.age(now.timeIntervalSince(item.createdAt)), item.assignee ?? "-",
                    QueueFormat.preview(item.text, width: 40),
                ])
            }
            print(QueueFormat.table(rows))
            let pending = items.filter { $0.status == .pending }.count
            print("\n\(items.count) item\(items.count == 1 ? "" : "s"), \(pending) pending; `bedside queue show ID` for the whole message")
        }
    }
}
