import ArgumentParser
import BedsideCore
import BedsideDelivery
import BedsideStore
import Foundation

extension Bedside.Queue {
    /// Removes the message text of long-closed items.
    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the message text, author and link of items closed longer ago than an age.",
            discussion: """
                Closed means rejected, sent or failed. The writer's handle, and any run of their words, are \
                erased too from drafts, replies, decision and outbox rows, the audit entries' text and outbox.jsonl; \
                the events of the audit trail stay, and each purge is itself recorded.

                Example:
                  bedside queue purge --older-than 90d --as admin
                """
        )

        @OptionGroup var options: QueueOptions
        @OptionGroup var actor: ActorOption

        @Option(help: ArgumentHelp("Purge items closed at least this long ago (90d, 12w).", valueName: "age"), transform: TimeSpan.argument)
        var olderThan: TimeSpan

        func run() async throws {
            let (rulebook, store) = try await options.open("purge")
            let who = try actor.require("purge", configuration: rulebook.configuration).name
            let cutoff = Date().addingTimeInterval(-olderThan.seconds)
            // The writers of the items about to be purged, to erase them from outbox.jsonl as well.
            let closing = try await storeAction("purge") { try await store.items(ReviewFilter(statuses: [.rejected, .sent, .failed])) }
                .filter { $0.purgedAt == nil && $0.updatedAt < cutoff }
            let count = try await storeAction("purge") { try await store.purge(closedBefore: cutoff, by: who) }
            print(
                "purged the message text of \(count) item\(count == 1 ? "" : "s") closed before \(QueueFormat.time(cutoff, in: rulebook.configuration.practice.timeZone))"
            )
            var writers: [String: (handle: String?, text: String?)] = [:]
            for item in closing { writers[item.messageID] = (item.author, item.text) }
            let settings = (try? DeliverySettings.load(from: rulebook.configuration)) ?? DeliverySettings()
            let file = OutboxFileConnector(path: Delivery.outboxPath(settings, storeFolder: options.folder(rulebook)))
            do {
                let lines = try file.erase(writers) { PersonalData.erase($0, handle: $1, message: $2) ?? "" }
                if lines > 0 {
                    print("erased their writers from \(lines) line\(lines == 1 ? "" : "s") of \((file.path as NSString).lastPathComponent)")
                }
            } catch {
                StandardError.print("bedside queue purge: \(file.path): \(error); its lines about purged items still hold their writers")
                throw ExitCode(1)
            }
        }
    }
}
