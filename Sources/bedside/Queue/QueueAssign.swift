import ArgumentParser
import BedsideStore

extension Bedside.Queue {
    /// Hands a pending item to a person.
    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hand a pending item to a person (or take it yourself: no --to).")

        @OptionGroup var options: QueueOptions
        @OptionGroup var actor: ActorOption

        @Argument(help: ArgumentHelp("The queue id (q_…).", valueName: "id"))
        var id: String

        @Option(help: ArgumentHelp("Who looks after it now (default: whoever is acting).", valueName: "name"))
        var to: String?

        func run() async throws {
            let (desk, reviewer, _, _) = try await options.desk("assign", actor: actor)
            let item = try await storeAction("assign") { try await desk.assign(id, to: to, by: reviewer) }
            print("\(item.id) assigned to \(item.assignee ?? reviewer.name) by \(reviewer.name)")
        }
    }
}
