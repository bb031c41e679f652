import ArgumentParser
import BedsideCore
import BedsideServer
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

/// Who is acting, and in which role.
///
/// A staff token (`--token`, else `$BEDSIDE_TOKEN`: the token `bedside token new` printed, listed
/// under `tokens:` in bedside.yaml) names the person and gives their role, as on the review API.
/// Without one, `--as NAME` (else `$BEDSIDE_REVIEWER`) names a person who acts as a reviewer; a name
/// configured under `tokens:` must show its token, so nobody acts as another member of staff, or as
/// an admin, by typing a name. What each role may do is ``ReviewDesk``'s to decide.
struct ActorOption: ParsableArguments {
    @Option(name: .customLong("as"), help: ArgumentHelp("Who is acting, as a reviewer (default: $BEDSIDE_REVIEWER).", valueName: "name"))
    var name: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Act as the staff member this token belongs to, in their role (default: $BEDSIDE_TOKEN, which keeps it out of the process list).",
            valueName: "token"))
    var token: String?

    /// The reviewer, or a message and exit status 2 when nobody, or an unknown token, is given.
    func require(_ command: String, configuration: Configuration) throws -> Reviewer {
        let environment = ProcessInfo.processInfo.environment
        let named = (name ?? environment["BEDSIDE_REVIEWER"])?.trimmingCharacters(in: .whitespaces)
        let presented = (token ?? environment["BEDSIDE_TOKEN"])?.trimmingCharacters(in: .whitespaces)
        let tokens = try Self.tokens(configuration, command: command)
        func refuse(_ problem: String) -> ExitCode {
            StandardError.print("bedside queue \(command): \(problem); nothing was changed")
            return ExitCode(2)
        }
        if let presented, !presented.isEmpty {
            guard let staff = tokens.authenticate(presented) else {
                throw refuse("this token is not configured under 'tokens:' in \(configuration.path) (see `bedside token new`)")
            }
            if let named, !named.isEmpty, named != staff.name {
                throw refuse("the token belongs to \(staff.name), not \(named)")
            }
            return Reviewer(name: staff.name, role: staff.role)
        }
        guard let named, !named.isEmpty else {
            throw refuse("who is acting? Give --as NAME or set $BEDSIDE_REVIEWER (or $BEDSIDE_TOKEN for a configured member of staff)")
        }
        if tokens.tokens.contains(where: { $0.name == named }) {
            throw refuse("\(named) has a token under 'tokens:'; act as \(named) with --token or $BEDSIDE_TOKEN")
        }
        return Reviewer(name: named, role: .reviewer)
    }

    /// The staff tokens configured in bedside.yaml.
    static func tokens(_ configuration: Configuration, command: String) throws -> StaffTokens {
        do {
            return try ServerSettings.load(from: configuration).tokens
        } catch {
            for diagnostic in error.diagnostics { StandardError.print(diagnostic.description) }
            StandardError.print("bedside queue \(command): the configuration's tokens did not load; nothing was changed")
            throw ExitCode(2)
        }
    }
}

extension QueueOptions {
    /// Loads the rulebook, opens the store, and works out who acts; the desk every change goes through.
    func desk(_ command: String, actor: ActorOption) async throws -> (
        desk: ReviewDesk, reviewer: Reviewer, rulebook: Rulebook, store: any ReviewStore
    ) {
        let (rulebook, store) = try await open(command)
        let reviewer = try actor.require(command, configuration: rulebook.configuration)
        // A command checks one text: a classifier (not Sendable) for that check alone.
        let desk = ReviewDesk(store: store) { text, message in Classifier(rulebook: rulebook).guardViolations(text, answering: message) }
        return (desk, reviewer, rulebook, store)
    }
}

/// Runs a store call, turning a refusal (conflict, unknown item, a rule of the desk) into its
/// message and exit status 1.
func storeAction<T>(_ command: String, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ReviewStoreError {
        StandardError.print("bedside queue \(command): \(error.localizedDescription)")
        throw ExitCode(1)
    } catch let refusal as ReviewRefusal {
        if case .guardRefused(let id, _, let violations) = refusal {
            StandardError.print("bedside queue \(command): the reply guard refuses this text for item \(id):")
            for violation in violations { StandardError.print("  - \(violation.description)") }
            StandardError.print("nothing was queued; change the text, or (an admin) give --override REASON, recorded in the audit trail")
        } else {
            StandardError.print("bedside queue \(command): \(refusal.localizedDescription)")
        }
        throw ExitCode(1)
    }
}

extension TimeSpan {
    /// Reads a flag's value, with ``TimeSpan/Problem``'s explanation when it cannot.
    static func argument(_ text: String) throws -> TimeSpan {
        do {
            return try TimeSpan(parsing: text)
        } catch {
            throw ValidationError(error.description)
        }
    }
}

/// How times and ages are shown.
enum QueueFormat {
    /// A moment as staff read it: ISO 8601 in the practice's time zone, with its offset
    /// (`2026-07-01T15:30:00+01:00`; `…Z` in UTC). Stored times stay UTC; `--json` prints those.
    static func time(_ date: Date, in zone: TimeZone) -> String {
        if zone.identifier == "UTC" { return ReviewStoreError.timestamp(date) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return formatter.string(from: date)
    }

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
