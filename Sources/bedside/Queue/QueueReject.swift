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
            let (desk, reviewer, _, _) = try await options.desk("reject", actor: actor)
            let item = try await storeAction("reject") { try await desk.reject(id, reason: reason, by: reviewer) }
            print("\(item.id) rejected by \(reviewer.name): \(item.rejectReason ?? reason)")
        }
    }
}
