import ArgumentParser
import BedsideCore
import Foundation

/// Where the configuration, rules and responses are.
struct RulebookOptions: ParsableArguments {
    @Option(
        name: .long, help: ArgumentHelp("The practice configuration (default: $BEDSIDE_CONFIG, else ./bedside.yaml).", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The rules folder (default: rules/ next to the configuration).", valueName: "dir"))
    var rules: String?

    @Option(name: .long, help: ArgumentHelp("The responses folder (default: responses/ next to the configuration).", valueName: "dir"))
    var responses: String?

    /// The configuration path: `--config`, else `$BEDSIDE_CONFIG`, else `./bedside.yaml`.
    var configPath: String {
        if let config { return config }
        if let env = ProcessInfo.processInfo.environment[EnvironmentSetting.config], !env.isEmpty { return env }
        return "bedside.yaml"
    }

    /// Reads the files, or reports why they cannot be read.
    func files() throws(RulebookFiles.ReadError) -> RulebookFiles {
        try RulebookFiles.read(configuration: configPath, rulesDirectory: rules, responsesDirectory: responses)
    }

    /// Loads the rulebook, or prints every problem to stderr and exits with status 2.
    func load(usePrefilter: Bool = true, showWarnings: Bool = false) throws -> Rulebook {
        do {
            let rulebook = try Rulebook.load(try files(), usePrefilter: usePrefilter)
            if showWarnings { for warning in rulebook.warnings { StandardError.print(warning.description) } }
            return rulebook
        } catch let error as RulebookFiles.ReadError {
            StandardError.print(error.description)
        } catch let error as LoadError {
            for diagnostic in error.diagnostics { StandardError.print(diagnostic.description) }
            let count = error.diagnostics.filter { $0.severity == .error }.count
            StandardError.print("bedside: the rulebook did not load (\(count) error\(count == 1 ? "" : "s"))")
        }
        throw ExitCode(2)
    }
}

/// Writes to standard error, unbuffered.
enum StandardError {
    static func print(_ line: String) {
        let data = Array((line + "\n").utf8)
        data.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
    }
}
