import Foundation
import Testing

/// What an operator expects of a command-line tool (issue 10, item 9), through the built binary:
/// a version, suggestions for a mistyped command, examples that fit a terminal, range-checked
/// numbers, and one exit status per kind of failure.
@Suite(.serialized)
struct OperatorConventionTests {
    static let repository = BedsideBinary.repositoryRoot

    @Test func versionIsTheRelease() throws {
        let result = try BedsideBinary.run(["--version"])
        #expect(result.status == 0)
        let source = try String(
            contentsOf: Self.repository.appendingPathComponent("Sources/BedsideCore/BedsideVersion.swift"), encoding: .utf8)
        let release = try #require(source.firstMatch(of: /current = "([0-9]+\.[0-9]+\.[0-9]+)"/)?.1)
        #expect(result.stdout == "\(release)\n")
    }

    @Test(arguments: [
        (["serv"], "unknown command 'serv' for 'bedside'; did you mean 'serve'?"),
        (["chek", "--json"], "unknown command 'chek' for 'bedside'; did you mean 'check'?"),
        (["queue", "lst"], "unknown command 'lst' for 'bedside queue'; did you mean 'list'?"),
        (["token", "nwe", "sam"], "unknown command 'nwe' for 'bedside token'; did you mean 'new'?"),
    ])
    func aMistypedCommandSuggestsTheRightOne(arguments: [String], expected: String) throws {
        let result = try BedsideBinary.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func aMessageThatLooksLikeACommandIsStillAMessage() throws {
        let result = try BedsideBinary.run(["explain", "--config", "bedside.yaml", "serv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("decision:"))
    }

    static let commands: [[String]] = [
        [], ["run"], ["check"], ["explain"], ["eval"], ["bench"], ["serve"], ["deliver"], ["token", "new"],
        ["queue"], ["queue", "list"], ["queue", "show"], ["queue", "approve"], ["queue", "purge"], ["queue", "stats"],
    ]

    /// Every example line of every help text (a line that starts with a command) is whole on an
    /// 80-column terminal: it can be copied as it is.
    @Test(arguments: commands)
    func helpKeepsEachExampleOnOneLine(command: [String]) throws {
        func help(columns: Int) throws -> String {
            try BedsideBinary.run(["help"] + command, environment: ["COLUMNS": "\(columns)"]).stdout
        }
        let wide = try help(columns: 400), narrow = try help(columns: 80)
        let starts = ["bedside ", "echo ", "swift build", ".build/", "BEDSIDE_"]
        let examples = wide.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { line in starts.contains { line.hasPrefix($0) } }
        let lines = Set(narrow.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        for example in examples { #expect(lines.contains(example), "wrapped at 80 columns: \(example)") }
        for line in narrow.split(separator: "\n") {
            #expect(line.count <= 80 || !starts.contains { line.trimmingCharacters(in: .whitespaces).hasPrefix($0) }, "\(line)")
        }
    }

    @Test func theRootHelpDocumentsTheExitStatuses() throws {
        let help = try BedsideBinary.run(["--help"]).stdout
        #expect(help.contains("0  done"))
        #expect(help.contains("2  nothing was done"))
    }

    @Test(arguments: [
        (["eval", "corpus/dev.jsonl", "--min-safety", "99"], "--min-safety is a share from 0 to 1"),
        (["eval", "corpus/dev.jsonl", "--max-noise-replies=-0.1"], "--max-noise-replies is a share from 0 to 1"),
        (["eval", "corpus/dev.jsonl", "--worst-rules=-1"], "--worst-rules must be 0 or more"),
        (["queue", "list", "--limit", "0"], "--limit must be 1 or more, not 0"),
        (["deliver", "--interval", "0s"], "--interval must be above 0"),
        (["serve", "--port", "70000"], "--port must be between 0 and 65535"),
        (["bench", "corpus/dev.jsonl", "--messages", "0"], "--messages must be 1 or more"),
    ])
    func numericFlagsAreRangeChecked(arguments: [String], expected: String) throws {
        let result = try BedsideBinary.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    /// The same failure gives the same exit status in every command: a configuration that cannot
    /// be read stops every command that needs one with status 2 (`check` reports it as its
    /// finding, status 1, as README.md's "Exit status" section says).
    @Test(arguments: [
        ["run", "--no-store"], ["explain", "hello"], ["queue", "list"], ["queue", "stats"], ["eval", "corpus/dev.jsonl"],
        ["deliver"], ["serve", "--port", "0"],
    ])
    func aMissingConfigurationIsStatusTwoEverywhere(arguments: [String]) throws {
        let result = try BedsideBinary.run(arguments + ["--config", "/nonexistent/bedside.yaml"], input: "")
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("/nonexistent/bedside.yaml"), "\(result.stderr)")
    }

    @Test func checkReportsAnUnreadableConfigurationAsItsFinding() throws {
        let result = try BedsideBinary.run(["check", "--config", "/nonexistent/bedside.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/bedside.yaml: error: cannot read the configuration"))
    }

    @Test func anUnknownItemIsStatusOneInEveryQueueCommand() throws {
        let workspace = try QueueWorkspace()
        for arguments in [
            ["queue", "show", "q_missing"], ["queue", "approve", "q_missing", "--as", "sam"],
            ["queue", "reject", "q_missing", "--as", "sam", "--reason", "spam"],
        ] {
            let result = try workspace.bedside(arguments)
            #expect(result.status == 1, "\(arguments): \(result.stderr)")
        }
    }
}
