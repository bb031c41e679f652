import ArgumentParser
import Foundation

/// Bedside: answers what people post to and about a healthcare practice, safely.
@main
struct Bedside: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bedside",
        abstract: "Answer routine social media messages to a healthcare practice; route risky ones to people.",
        discussion: """
            Bedside matches each message against the rulebook (rules/*.yaml), answers routine ones with \
            vetted templates (responses/*.mustache), and sends everything risky to a review queue, urgent first.

            Start with `bedside check`, then try `bedside explain "What time do you open on Saturday?"` \
            and `bedside run < messages.jsonl`.
            """,
        subcommands: [Run.self, Check.self, Explain.self, Queue.self, Eval.self, Bench.self, Serve.self, Token.self, Deliver.self]
    )

    /// Runs the command; a usage error (bad flags) exits with status 2, as README.md's "Exit status" says.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
