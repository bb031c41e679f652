import ArgumentParser
import BedsideCore

/// "Did you mean" for a mistyped subcommand (`bedside serv`, `bedside queue lst`), which the
/// argument parser would otherwise report only as an unexpected argument.
enum CommandSuggestion {
    /// The message for the first word that should name a subcommand and names none, or `nil`.
    /// Only words in a subcommand's place are judged: the first word, and the word after a
    /// command that has subcommands and no arguments of its own.
    static func unknownSubcommand(in arguments: [String], of root: any ParsableCommand.Type) -> String? {
        var command = root
        var path = [root._commandName]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            if word.hasPrefix("-") || subcommands.isEmpty { return nil }
            let names = subcommands.map { $0._commandName } + ["help"]
            guard let next = subcommands.first(where: { $0._commandName == word }) else {
                if word == "help" { return nil }
                var message = "unknown command '\(word)' for '\(path.joined(separator: " "))'"
                if let guess = Suggestion.closest(to: word, in: names) { message += "; did you mean '\(guess)'?" }
                message += " (see '\(path.joined(separator: " ")) --help')"
                return message
            }
            command = next
            path.append(word)
        }
        return nil
    }
}
