import ArgumentParser
import BedsideStore

extension Bedside.Queue {
    /// Hands a pending item to a person.
    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hand a pending item to a person (or take it: --to yourself).")

        @OptionGroup var options: QueueOptions
        @OptionGroup var actor: ActorOption

        @Argument(help: ArgumentHelp("The queue id (q_…).", valueName: "id"))
        var id: String

        @Option(help: ArgumentHelp("Who looks after it now.", valueName: "name"))
        var to: String

        func run() async throws {
            let who = try actor.require("assign")
            let (_, store) = try await options.open("assign")
            let item = try await storeAction("assign") { try await store.assign(id, to: to, by: who) }
            print("\(item.id) assigned to \(to) by \(who)")
        }
    }
}
