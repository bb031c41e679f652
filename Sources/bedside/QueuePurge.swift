import ArgumentParser
import BedsideStore
import Foundation

extension Bedside.Queue {
    /// Removes the message text of long-closed items.
    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the message text, author and link of items closed longer ago than an age.",
            discussion: """
                Closed means rejected, sent or failed. The decision, the item's status, its draft and the \
                audit trail stay; each purge is itself recorded. Example: bedside queue purge --older-than 90d --as admin
                """
        )

        @OptionGroup var options: QueueOptions
        @OptionGroup var actor: ActorOption

        @Option(help: ArgumentHelp("Purge items closed at least this long ago (90d, 12w).", valueName: "age"))
        var olderThan: Age

        func run() async throws {
            let who = try actor.require("purge")
            let (_, store) = try options.open("purge")
            let cutoff = Date().addingTimeInterval(-olderThan.seconds)
            let count = try await storeAction("purge") { try await store.purge(closedBefore: cutoff, by: who) }
            print("purged the message text of \(count) item\(count == 1 ? "" : "s") closed before \(QueueFormat.time(cutoff))")
        }
    }
}
