import ArgumentParser
import BedsideCore
import BedsideStore
import Foundation

/// Where the review store is: `--store PATH|URL`, else `$BEDSIDE_STORE`, else `policy.store` in
/// the configuration (a relative path taken from the configuration's folder).
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The review store: a SQLite file (or sqlite: path) or a postgres:// URL. Default: $BEDSIDE_STORE, else policy.store in the configuration.",
            valueName: "path|url"))
    var store: String?

    /// The store these options name, or a usage error naming what is wrong (never the password).
    func location(configuration: Configuration) throws(ValidationError) -> StoreLocation {
        try StoreSelection.location(given: store, configuration: configuration)
    }

    /// The folder next to the store, where a file connector writes `outbox.jsonl`: the SQLite
    /// file's folder, or the configuration's for a PostgreSQL store.
    func folder(configuration: Configuration) -> String {
        StoreSelection.folder((try? location(configuration: configuration)) ?? .sqlite(path: ""), configuration: configuration)
    }

    /// Opens the store for a command, or prints why it cannot and exits with status 2.
    func open(configuration: Configuration, command: String) async throws -> any ReviewStore {
        try await StoreSelection.open(given: store, configuration: configuration, command: command)
    }
}

/// The one place every command opens its review store: a SQLite file or a PostgreSQL database.
enum StoreSelection {
    /// `given` (a `--store` value), else `$BEDSIDE_STORE`, else `policy.store` resolved next to the configuration.
    static func location(
        given: String?, configuration: Configuration, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ValidationError) -> StoreLocation {
        do {
            if let given { return try StoreLocation.parse(given, relativeTo: nil, environment: environment) }
            if let value = environment["BEDSIDE_STORE"], !value.isEmpty {
                return try StoreLocation.parse(value, relativeTo: nil, environment: environment)
            }
            let base = (configuration.path as NSString).deletingLastPathComponent
            return try StoreLocation.parse(configuration.policy.store, relativeTo: base.isEmpty ? nil : base, environment: environment)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// Where files kept beside the store go (see ``StoreOptions/folder(configuration:)``).
    static func folder(_ location: StoreLocation, configuration: Configuration) -> String {
        switch location {
        case .sqlite(let path) where path != ":memory:" && !path.isEmpty: return (path as NSString).deletingLastPathComponent
        default: return (configuration.path as NSString).deletingLastPathComponent
        }
    }

    /// Opens the store, or prints why it cannot (without a password) and exits with status 2.
    static func open(given: String?, configuration: Configuration, command: String) async throws -> any ReviewStore {
        do {
            return try await open(try location(given: given, configuration: configuration))
        } catch let error as ValidationError {
            StandardError.print("bedside \(command): \(error.message)")
        } catch {
            StandardError.print("bedside \(command): \(error.localizedDescription)")
        }
        throw ExitCode(2)
    }

    static func open(_ location: StoreLocation) async throws -> any ReviewStore {
        switch location {
        case .sqlite(let path): return try SQLiteReviewStore(path: path)
        case .postgres(let database): return try await PostgresReviewStore(database)
        }
    }

    /// Records a batch and waits for the commit, for `bedside run`, which decides line by line
    /// without suspending. SQLite commits on the calling thread; PostgreSQL's commit runs as a task
    /// while the caller's thread waits for it.
    static func synchronousRecorder(_ store: any ReviewStore) -> ([(decision: Decision, message: Message)]) throws -> [Recorded] {
        if let sqlite = store as? SQLiteReviewStore { return sqlite.recordBatchNow }
        return { items in
            let done = DispatchSemaphore(value: 0)
            let result = ResultBox()
            let batch = items.map { (decision: $0.decision, message: $0.message) }
            Task.detached {
                do { result.value = .success(try await store.recordBatch(batch)) } catch { result.value = .failure(error) }
                done.signal()
            }
            done.wait()
            return try result.value!.get()
        }
    }

    /// The answer of a task, handed to the thread waiting for it (written before the semaphore
    /// is signalled, read after the wait).
    private final class ResultBox: @unchecked Sendable {
        var value: Result<[Recorded], any Error>?
    }
}
