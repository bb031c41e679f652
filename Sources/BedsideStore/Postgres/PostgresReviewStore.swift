import BedsideCore
import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// The review store in a PostgreSQL database, shared by any number of `bedside serve`, `deliver`,
/// `run` and `queue` processes on any number of machines.
///
/// The database decides every race: a message id is recorded once (a unique key, `ON CONFLICT DO
/// NOTHING`), an item is approved once (its row is locked while it is re-read), an outbox entry
/// is claimed by one deliverer (`FOR UPDATE SKIP LOCKED`), and the audit trail refuses changes (a
/// trigger). Every method is one transaction; one that loses a deadlock or a serialization race
/// is run again from the start.
public final class PostgresReviewStore: ReviewStore {
    /// The database, without its password.
    public let location: PostgresLocation
    let client: PostgresClient
    let clock: @Sendable () -> Date
    private let running: Task<Void, Never>
    /// PostgresNIO logs statements with their arguments at debug level; those hold message text,
    /// so nothing of the driver is logged.
    static let quiet = Logger(label: "bedside.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Connects, brings the schema up to date (once, whichever instance gets there first) and
    /// keeps a pool of up to `connections` connections.
    ///
    /// - Parameter clock: the time recorded for changes (tests pass a fixed one).
    public init(_ location: PostgresLocation, connections: Int = 8, clock: @escaping @Sendable () -> Date = { Date() }) async throws {
        self.location = location
        self.clock = clock
        // One connection first, so a refused or unreachable database is reported at once and clearly
        // (a pool would keep retrying in the background).
        let configuration = try Self.connectionConfiguration(location)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: Self.quiet)
            do {
                try await PostgresSchema.migrate(connection)
            } catch {
                try? await connection.close()
                throw error
            }
            try? await connection.close()
        } catch let error as ReviewStoreError {
            throw error
        } catch let error as PSQLError {
            throw ReviewStoreError.unavailable("\(location): \(Self.describe(error))")
        } catch {
            // A socket error before any exchange with a server: refused, unreachable, timed out.
            throw ReviewStoreError.unavailable("\(location): cannot connect: \(error)")
        }
        var pool = try Self.clientConfiguration(location)
        pool.options.maximumConnections = connections
        let client = PostgresClient(configuration: pool, backgroundLogger: Self.quiet)
        self.client = client
        running = Task { await client.run() }
    }

    /// Closes the pool's connections. The store cannot be used afterwards.
    public func close() {
        running.cancel()
    }

    deinit { running.cancel() }

    // MARK: transactions

    /// Runs `body` in one transaction on a pooled connection; a deadlock or serialization failure
    /// rolls back and runs it again (up to five times).
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await client.withConnection { connection in
                    try await connection.query("BEGIN", logger: Self.quiet)
                    do {
                        let result = try await body(connection)
                        try await connection.query("COMMIT", logger: Self.quiet)
                        return result
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: Self.quiet)
                        throw error
                    }
                }
            } catch let error as PSQLError where Self.isRetryable(error) && attempt < 5 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(10 * attempt))
            } catch let error as ReviewStoreError {
                throw error
            } catch {
                throw ReviewStoreError.unavailable("\(location): \(Self.describe(error))")
            }
        }
    }

    /// Runs `body` on a pooled connection outside a transaction (a read of one statement).
    func read<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { try await body($0) }
        } catch let error as ReviewStoreError {
            throw error
        } catch {
            throw ReviewStoreError.unavailable("\(location): \(Self.describe(error))")
        }
    }

    /// Runs one statement, with no logging of its arguments.
    static func run(_ query: PostgresQuery, _ connection: PostgresConnection) async throws -> [PostgresRow] {
        var rows: [PostgresRow] = []
        for try await row in try await connection.query(query, logger: quiet) { rows.append(row) }
        return rows
    }

    /// Deadlock (`40P01`) or serialization failure (`40001`): nothing was changed, try again.
    static func isRetryable(_ error: PSQLError) -> Bool {
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }

    /// A database error for people: the server's message and code, never its detail (which can
    /// quote a row, and so message text) nor the statement's arguments.
    static func describe(_ error: any Error) -> String {
        if let error = error as? ReviewStoreError { return error.localizedDescription }
        guard let error = error as? PSQLError else { return String(describing: error) }
        switch error.code {
        case .server:
            let message = error.serverInfo?[.message] ?? "server error"
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return message + state
        case .connectionError:
            return "cannot connect" + (error.underlying.map { ": \(String(describing: $0))" } ?? "")
        case .authMechanismRequiresPassword:
            return "the server asks for a password; set $PGPASSWORD or $BEDSIDE_STORE_PASSWORD_FILE"
        case .sslUnsupported:
            return "the server does not offer TLS, and the URL says sslmode=require"
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return "the connection to the database was lost"
        default:
            return "database error: \(error.code)" + (error.underlying.map { ": \(String(describing: $0))" } ?? "")
        }
    }

    // MARK: configuration

    static func tls(_ mode: PostgresLocation.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    static func connectionConfiguration(_ location: PostgresLocation) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let folder = location.socketFolder {
            configuration = .init(
                unixSocketPath: "\(folder)/.s.PGSQL.\(location.port)", username: location.user, password: location.password,
                database: location.database)
        } else {
            configuration = .init(
                host: location.host, port: location.port, username: location.user, password: location.password,
                database: location.database, tls: try tls(location.tls))
        }
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    static func clientConfiguration(_ location: PostgresLocation) throws -> PostgresClient.Configuration {
        if let folder = location.socketFolder {
            return .init(
                unixSocketPath: "\(folder)/.s.PGSQL.\(location.port)", username: location.user, password: location.password,
                database: location.database)
        }
        let tls: PostgresClient.Configuration.TLS
        switch location.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        return .init(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: tls)
    }
}
