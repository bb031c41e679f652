import ArgumentParser
import BedsideStore

extension Bedside.Queue {
    /// Approves an item with a text of one's own: `$EDITOR` on the draft, or `--reply TEXT`.
    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve an item with your own words: opens $EDITOR on the draft, or takes --reply TEXT.",
            discussion: """
                The same as `queue approve ID --edit` (or `--reply TEXT`): the text passes the reply guard, \
                is recorded as edited with the draft before it, and is queued for delivery.
                """
        )

        @OptionGroup var options: QueueOptions
        @OptionGroup var actor: ActorOption

        @Argument(help: ArgumentHelp("The queue id (q_…).", valueName: "id"))
        var id: String

        @Option(help: ArgumentHelp("Send this text (no editor).", valueName: "text"))
        var reply: String?

        @Option(help: ArgumentHelp("Send a text the reply guard refuses, for this recorded reason (admins only).", valueName: "reason"))
        var override: String?

        func run() async throws {
            try await Approve.approve(
                options: options, actor: actor, id: id, reply: reply, edit: reply == nil, override: override, command: "edit")
        }
    }
}
