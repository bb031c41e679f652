import ArgumentParser
import BedsideCore
import BedsideStore
import Foundation

/// Where the review store is: `--store PATH|URL`, else `policy.store` in the configuration,
/// resolved next to the configuration file.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The review store: a SQLite file (or sqlite:// URL). Default: policy.store in the configuration, next to it.",
            valueName: "path|url"))
    var store: String?

    /// The SQLite file to use, or a usage error naming what is wrong.
    func path(configuration: Configuration) throws(ValidationError) -> String {
        if let store { return try Self.sqlitePath(store, relativeTo: nil) }
        let base = (configuration.path as NSString).deletingLastPathComponent
        return try Self.sqlitePath(configuration.policy.store, relativeTo: base.isEmpty ? nil : base)
    }

    /// Reads a store setting: a path, `sqlite://PATH` or `file://PATH`; relative paths are taken
    /// from `base` (the configuration's folder) when given.
    static func sqlitePath(_ value: String, relativeTo base: String?) throws(ValidationError) -> String {
        var path = value
        for scheme in ["sqlite://", "sqlite:", "file://"] where path.hasPrefix(scheme) {
            path = String(path.dropFirst(scheme.count))
            break
        }
        if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            throw ValidationError(
                "the store '\(Self.redacted(value))' is PostgreSQL, which this build does not support yet; use a SQLite file path")
        }
        guard !path.isEmpty else { throw ValidationError("the store setting is empty; give a SQLite file path") }
        if path == ":memory:" { return path }
        if let base, !path.hasPrefix("/") { path = (base as NSString).appendingPathComponent(path) }
        return path
    }

    /// A URL without its password, for messages.
    static func redacted(_ value: String) -> String {
        guard var parts = URLComponents(string: value), parts.password != nil else { return value }
        parts.password = "…"
        return parts.string ?? "postgres://…"
    }

    /// Opens the store for a command, or prints why it cannot and exits with status 2.
    func open(configuration: Configuration, command: String) throws -> SQLiteReviewStore {
        do {
            return try SQLiteReviewStore(path: try path(configuration: configuration))
        } catch let error as ValidationError {
            StandardError.print("bedside \(command): \(error.message)")
        } catch {
            StandardError.print("bedside \(command): \(error.localizedDescription)")
        }
        throw ExitCode(2)
    }
}
