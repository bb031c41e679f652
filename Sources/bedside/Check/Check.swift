import ArgumentParser
import BedsideCore
import BedsideDelivery
import BedsideServer
import Foundation

extension Bedside {
    /// Validates configuration, rules and responses, and runs every rule's examples.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the configuration, rules and responses; run every rule's examples.",
            discussion: """
                Reports every problem at once as `path:line:column: error: message`: YAML syntax, unknown \
                keys, duplicate rule ids, patterns that do not compile, missing templates, templates that \
                use a variable outside author/practice.*/crisis.* or fail the reply guard, rule examples \
                that do not behave as written, and every section of the configuration (practice, policy, \
                delivery, server, tokens) with the environment's BEDSIDE_HOST, BEDSIDE_PORT and \
                BEDSIDE_LOG_LEVEL. Exit status 0 when all is well, 1 otherwise.

                An example of a replying rule must also be decided by that rule: when another rule wins it \
                (a higher priority, an escalation), that is an error; --allow-undecided makes it a warning \
                while a rulebook is being reworked.

                --json prints one object: ok, counts, every problem with its file, line and column, and the \
                settings serve and deliver would run with (secrets shown only as set or unset).

                Examples:
                  bedside check
                  bedside check --config /etc/bedside/bedside.yaml --json
                """
        )

        @OptionGroup var rulebook: RulebookOptions

        @Flag(name: .long, help: "Only warn when an example of a replying rule is decided by another rule (an error otherwise).")
        var allowUndecided = false

        @Flag(help: "Print the result as one JSON object.")
        var json = false

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            var report = CheckReport(config: rulebook.configPath)
            do {
                let loaded = try Rulebook.load(try rulebook.files())
                report.add(loaded.warnings)
                report.add(RulebookCheck.examples(loaded))
                report.add(RulebookCheck.undecidedExamples(loaded, severity: allowUndecided ? .warning : .error))
                report.count(loaded)
                let sections = Self.sections(loaded.configuration, environment: environment, into: &report)
                report.add(sections)
            } catch let error as RulebookFiles.ReadError {
                report.unreadable(error.description)
            } catch let error as LoadError {
                report.add(error.diagnostics)
            }
            if json {
                print(report.json())
            } else {
                for problem in report.diagnostics { StandardError.print(problem.description) }
                for line in report.unreadableFiles { StandardError.print(line) }
                if report.ok {
                    print(
                        "\(rulebook.configPath): ok: \(report.rules) rules, \(report.responses) responses, \(report.examples) examples pass, every response passes the reply guard"
                    )
                } else {
                    let count = report.errorCount
                    StandardError.print("bedside check: \(count) problem\(count == 1 ? "" : "s")")
                }
            }
            if !report.ok { throw ExitCode(1) }
        }

        /// Every section's validator beyond the rulebook's own (practice and policy load with it).
        static func sections(_ configuration: Configuration, environment: [String: String], into report: inout CheckReport) -> [Diagnostic]
        {
            var problems: [Diagnostic] = []
            do {
                report.delivery = try DeliverySettings.load(from: configuration)
            } catch {
                problems += error.diagnostics
            }
            do {
                report.server = try ServerSettings.load(from: configuration, environment: environment)
            } catch {
                problems += error.diagnostics
            }
            return problems
        }
    }
}
