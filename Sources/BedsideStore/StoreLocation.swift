import Foundation

/// Where a review store lives: a SQLite file or a PostgreSQL database, as `policy.store`,
/// `--store` or `$BEDSIDE_STORE` give it.
///
/// A SQLite store is a path (`bedside.sqlite`, `sqlite:PATH`, `sqlite://PATH`, `file://PATH` or
/// `:memory:`); a PostgreSQL store is a `postgres://` or `postgresql://` URL. The password is best
/// kept out of the URL: `$PGPASSWORD`, or a file named by `$BEDSIDE_STORE_PASSWORD_FILE`.
public enum StoreLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// Reads a store setting; relative SQLite paths are taken from `base` (the configuration's folder) when given.
    public static func parse(
        _ value: String, relativeTo base: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(StoreLocationError) -> StoreLocation {
        if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            return .postgres(try PostgresLocation(url: value, environment: environment))
        }
        var path = value
        for scheme in ["sqlite://", "sqlite:", "file://"] where path.hasPrefix(scheme) {
            path = String(path.dropFirst(scheme.count))
            break
        }
        guard !path.isEmpty else { throw StoreLocationError("the store setting is empty; give a SQLite file path or a postgres:// URL") }
        if path == ":memory:" { return .sqlite(path: path) }
        if let base, !path.hasPrefix("/") { path = (base as NSString).appendingPathComponent(path) }
        return .sqlite(path: path)
    }

    /// What the store is, for messages: the path, or the URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let location): return location.description
        }
    }

    /// A store URL with its password replaced by `…`, for messages and logs.
    public static func redacted(_ value: String) -> String {
        guard let at = value.range(of: "@"), let scheme = value.range(of: "://"), scheme.upperBound < at.lowerBound else {
            return value
        }
        let credentials = value[scheme.upperBound..<at.lowerBound]
        guard let colon = credentials.firstIndex(of: ":") else { return value }
        return String(value[..<value.index(after: colon)]) + "…" + String(value[at.lowerBound...])
    }
}

/// A store setting that cannot be used; the message never holds a password.
public struct StoreLocationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, with any password replaced by `…`.
    public let message: String
    /// A problem described by `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// A PostgreSQL database: host and port (or a Unix socket folder), user, database, TLS mode, and a
/// password that is never printed.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// Whether to use TLS: never, when the server offers it, or always.
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    /// The server's host name or address.
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// A folder holding the server's socket (`?host=/var/run/postgresql`), used instead of TCP.
    public var socketFolder: String?
    /// The user to connect as.
    public var user: String
    /// The database holding Bedside's tables.
    public var database: String
    /// The password, never printed.
    public var password: String?
    /// The TLS mode (`sslmode`).
    public var tls: TLSMode

    /// Reads `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require&host=/socket/folder]`.
    /// The password comes from the URL, else `$PGPASSWORD`, else the file `$BEDSIDE_STORE_PASSWORD_FILE` names.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreLocationError) {
        let shown = StoreLocation.redacted(url)
        guard let parts = URLComponents(string: url) else {
            throw StoreLocationError("the store '\(shown)' is not a valid postgres:// URL")
        }
        var query: [String: String] = [:]
        for item in parts.queryItems ?? [] { query[item.name] = item.value ?? "" }
        for name in query.keys where !["sslmode", "host"].contains(name) {
            throw StoreLocationError("the store '\(shown)' has an unknown setting '\(name)'; known: sslmode, host")
        }
        socketFolder = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        host = parts.host.flatMap { $0.isEmpty ? nil : $0 } ?? query["host"] ?? "localhost"
        port = parts.port ?? 5432
        user = parts.user.flatMap { $0.removingPercentEncoding } ?? environment["PGUSER"] ?? "postgres"
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        database = path.isEmpty ? user : (path.removingPercentEncoding ?? path)
        guard let mode = TLSMode(rawValue: query["sslmode"] ?? "prefer") else {
            throw StoreLocationError("the store '\(shown)' has sslmode '\(query["sslmode"] ?? "")'; use disable, prefer or require")
        }
        tls = mode
        if let given = parts.password {
            password = given.removingPercentEncoding ?? given
        } else if let given = environment["PGPASSWORD"], !given.isEmpty {
            password = given
        } else if let file = environment["BEDSIDE_STORE_PASSWORD_FILE"], !file.isEmpty {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw StoreLocationError("cannot read the store password file \(file) (BEDSIDE_STORE_PASSWORD_FILE)")
            }
            password = String(decoding: contents, as: UTF8.self).trimmingCharacters(in: .newlines)
        } else {
            password = nil
        }
    }

    /// The database as a URL without the password.
    public var description: String {
        let server = socketFolder.map { "?host=\($0)" } ?? ""
        let address = socketFolder == nil ? "\(host):\(port)" : ""
        return "postgres://\(user)\(password == nil ? "" : ":…")@\(address)/\(database)\(server)"
    }
}

extension PostgresLocation: CustomDebugStringConvertible, CustomReflectable {
    /// The location without its password, for debug output too.
    public var debugDescription: String { description }
    /// A mirror that shows the location without its password, so `dump` never prints it.
    public var customMirror: Mirror { Mirror(self, children: ["url": description]) }
}
