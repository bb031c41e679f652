import ArgumentParser

extension Bedside {
    /// The review queue, for staff.
    struct Queue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work the review queue: list, show, approve, reject, assign; purge and stats.",
            discussion: """
                The acting person is a staff token (--token or $BEDSIDE_TOKEN, as configured under `tokens:`), \
                which carries their role, or --as NAME (or $BEDSIDE_REVIEWER), who acts as a reviewer; approve, \
                edit, reject, assign and purge refuse to act without one. Every approved text passes the reply \
                guard first; only an admin may override it. Acting on an item that is no longer pending exits 1 \
                and names who acted first. The same rules hold on the review API and the console.

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
