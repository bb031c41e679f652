import ArgumentParser
import BedsideCore
import BedsideDelivery

extension Bedside {
    /// Validates configuration, rules and responses, and runs every rule's examples.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the configuration, rules and responses; run every rule's examples.",
            discussion: """
                Reports every problem at once as `path:line:column: error: message`: YAML syntax, unknown \
                keys, duplicate rule ids, patterns that do not compile, missing templates, templates that \
                use a variable outside author/practice.*/crisis.* or fail the reply guard, rule examples \
                that do not behave as written, and the delivery settings. Exit status 0 when all is well, 1 otherwise.

                An example of a replying rule must also be decided by that rule: when another rule wins it \
                (a higher priority, an escalation), that is an error; --allow-undecided makes it a warning \
                while a rulebook is being reworked.
                """
        )

        @OptionGroup var rulebook: RulebookOptions

        @Flag(name: .long, help: "Only warn when an example of a replying rule is decided by another rule (an error otherwise).")
        var allowUndecided = false

        func run() throws {
            let loaded: Rulebook
            do {
                loaded = try rulebook.load(showWarnings: true)
            } catch {
                throw ExitCode(1)
            }
            var problems = RulebookCheck.examples(loaded)
            let undecided = RulebookCheck.undecidedExamples(loaded, severity: allowUndecided ? .warning : .error)
            if allowUndecided { for warning in undecided { StandardError.print(warning.description) } } else { problems += undecided }
            do {
                _ = try DeliverySettings.load(from: loaded.configuration)
            } catch {
                problems += error.diagnostics.filter { $0.severity == .error }
            }
            for problem in problems { StandardError.print(problem.description) }
            let examples = loaded.rules.reduce(0) { $0 + $1.exampleMatches.count + $1.exampleIgnores.count }
            if problems.isEmpty {
                print("\(rulebook.configPath): ok: \(loaded.rules.count) rules, \(loaded.templates.count) responses, \(examples) examples pass, every response passes the reply guard")
            } else {
                StandardError.print("bedside: \(problems.count) problem\(problems.count == 1 ? "" : "s") (rule examples and delivery settings)")
                throw ExitCode(1)
            }
        }
    }
}
