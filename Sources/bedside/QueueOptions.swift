import ArgumentParser
import BedsideCore
import BedsideStore
import Foundation

/// What every `bedside queue` subcommand takes: where the configuration and the store are.
struct QueueOptions: ParsableArguments {
    @OptionGroup var rulebook: RulebookOptions
    @OptionGroup var storage: StoreOptions

    /// Loads the rulebook and opens the store, or prints why not and exits with status 2.
    func open(_ command: String) async throws -> (Rulebook, any ReviewStore) {
        let loaded = try rulebook.load()
        return (loaded, try await storage.open(configuration: loaded.configuration, command: "queue \(command)"))
    }

    /// The folder beside the store (see ``StoreOptions/folder(configuration:)``).
    func folder(_ loaded: Rulebook) -> String { storage.folder(configuration: loaded.configuration) }
}

/// The person acting: `--as NAME`, else `$BEDSIDE_REVIEWER`.
struct ActorOption: ParsableArguments {
    @Option(name: .customLong("as"), help: ArgumentHelp("Who is acting (default: $BEDSIDE_REVIEWER).", valueName: "name"))
    var name: String?

    /// The actor's name, or a message and exit status 2 when there is none.
    func require(_ command: String) throws -> String {
        let given = name ?? ProcessInfo.processInfo.environment["BEDSIDE_REVIEWER"]
        guard let given, !given.trimmingCharacters(in: .whitespaces).isEmpty else {
            StandardError.print("bedside queue \(command): who is acting? Give --as NAME or set $BEDSIDE_REVIEWER; nothing was changed")
            throw ExitCode(2)
        }
        return given.trimmingCharacters(in: .whitespaces)
    }
}

/// Runs a store call, turning a refusal (conflict, unknown item) into its message and exit status 1.
func storeAction<T>(_ command: String, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ReviewStoreError {
        StandardError.print("bedside queue \(command): \(error.localizedDescription)")
        throw ExitCode(1)
    }
}

/// Ages as people write them: `90m`, `2h`, `3d`, `1w`, `45s`.
struct Age: ExpressibleByArgument, Sendable {
    let seconds: TimeInterval
    let text: String

    init?(argument: String) {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        guard let unit = argument.last.flatMap({ units[$0] }), let count = Double(argument.dropLast()), count >= 0 else { return nil }
        seconds = count * unit
        text = argument
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// How times and ages are shown.
enum QueueFormat {
    static func time(_ date: Date) -> String { ReviewStoreError.timestamp(date) }

    /// `45s`, `12m`, `3h`, `2d`.
    static func age(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" }
        return "\(s / 86_400)d"
    }

    /// The first words of a text on one line, at most `width` characters.
    static func preview(_ text: String?, width: Int) -> String {
        guard let text else { return "(purged)" }
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count <= width ? line : String(line.prefix(width - 1)) + "…"
    }

    /// Left-aligned columns separated by two spaces.
    static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = Array(repeating: 0, count: first.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// A JSON encoder for scripts: ISO 8601 dates, sorted keys, one value per call.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
