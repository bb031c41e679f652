import ArgumentParser
import BedsideCore
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

            Start with:
              bedside check
              bedside explain "What time do you open on Saturday?"
              bedside run < messages.jsonl

            Exit status, the same in every command:
              0  done
              1  done, and something was found or refused (see the command's help)
              2  nothing was done: bad flags, configuration, store or input
            """,
        version: BedsideVersion.current,
        subcommands: [Run.self, Check.self, Explain.self, Queue.self, Eval.self, Bench.self, Serve.self, Token.self, Deliver.self]
    )

    /// Runs the command; a usage error (bad flags) exits with status 2, as README.md's "Exit status" says.
    static func main() async {
        if let unknown = CommandSuggestion.unknownSubcommand(in: Array(CommandLine.arguments.dropFirst()), of: Bedside.self) {
            StandardError.print("bedside: \(unknown)")
            Foundation.exit(2)
        }
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
