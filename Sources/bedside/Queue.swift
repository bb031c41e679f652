import ArgumentParser

extension Bedside {
    /// The review queue, for staff.
    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work the review queue: list, show, approve, reject, assign; purge and stats.",
            discussion: """
                The acting person is --as NAME or $BEDSIDE_REVIEWER; approve, reject, assign and purge \
                refuse to act without one. Every approved text passes the reply guard first. Acting on an \
                item that is no longer pending exits 1 and names who acted first. `queue edit` is `queue approve --edit`.

                Examples:
                  bedside queue list --status pending
                  bedside queue show q_7k2m9xqd
                  bedside queue approve q_7k2m9xqd --as sam
                  bedside queue edit q_7k2m9xqd --as sam
                  bedside queue reject q_7k2m9xqd --as sam --reason "spam"
                """,
            subcommands: [List.self, Show.self, Approve.self, Edit.self, Reject.self, Assign.self, Purge.self, Stats.self]
        )
    }
}
