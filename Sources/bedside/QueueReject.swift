import ArgumentParser
import BedsideStore

extension Bedside.Queue {
    /// Closes an item without a reply.
    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close an item without a reply, saying why.")

        @OptionGroup var options: QueueOptions
        @OptionGroup var actor: ActorOption

        @Argument(help: ArgumentHelp("The queue id (q_…).", valueName: "id"))
        var id: String

        @Option(help: ArgumentHelp("Why no reply is sent (recorded in the audit trail).", valueName: "text"))
        var reason: String

        func run() async throws {
            let who = try actor.require("reject")
            let (_, store) = try await options.open("reject")
            let item = try await storeAction("reject") { try await store.reject(id, reason: reason, by: who) }
            print("\(item.id) rejected by \(who): \(reason)")
        }
    }
}
