import BedsideStore
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// A throw-away PostgreSQL server for the tests: a cluster made with `initdb` in a temporary
/// folder, started with `pg_ctl` on a free port of 127.0.0.1, and stopped (and its folder removed)
/// when the test process ends, even when it is killed. Each test gets a database of its own.
///
/// Where no server binary exists, tests that need one are skipped and say why; when
/// `$BEDSIDE_REQUIRE_POSTGRES` is set (CI sets it), they run and fail instead.
public actor TestPostgres {
    /// The one server for this test process.
    public static let shared = TestPostgres()

    /// The folder holding `initdb` and `pg_ctl`: `$BEDSIDE_POSTGRES_BIN`, else Debian's
    /// `/usr/lib/postgresql/VERSION/bin` (the newest), else nil.
    public static let binaries: String? = {
        let fm = FileManager.default
        if let given = ProcessInfo.processInfo.environment["BEDSIDE_POSTGRES_BIN"], !given.isEmpty { return given }
        let versions = (try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let bin = "/usr/lib/postgresql/\(version)/bin"
            if fm.isExecutableFile(atPath: "\(bin)/initdb") { return bin }
        }
        return nil
    }()

    /// Whether CI asked that PostgreSQL tests never be skipped.
    public static let required = !(ProcessInfo.processInfo.environment["BEDSIDE_REQUIRE_POSTGRES"] ?? "").isEmpty

    /// Whether PostgreSQL tests run here. When not, the reason is printed once.
    public static let available: Bool = {
        if binaries != nil || required { return true }
        FileHandle.standardError.write(
            Data("PostgreSQL store tests skipped: no initdb found (install Debian's postgresql, or set BEDSIDE_POSTGRES_BIN)\n".utf8))
        return false
    }()

    /// A running throw-away server.
    public struct Server: Sendable {
        /// Its port on 127.0.0.1.
        public let port: Int
        /// The temporary folder holding its data.
        public let folder: String
        /// The user tests connect as.
        public let user = "bedside"
    }

    private var server: Task<Server, any Error>?
    private var databases = 0

    /// The running server, started on first use.
    public func start() async throws -> Server {
        if let server { return try await server.value }
        let task = Task { try Self.launch() }
        server = task
        return try await task.value
    }

    /// A new, empty database on the server, as a store location.
    public func database() async throws -> PostgresLocation {
        let server = try await start()
        databases += 1
        let name = "bedside_\(databases)"
        try await Self.execute("CREATE DATABASE \(name)", database: "postgres", server: server)
        return try PostgresLocation(url: "postgres://\(server.user)@127.0.0.1:\(server.port)/\(name)?sslmode=disable", environment: [:])
    }

    /// Runs one SQL statement (for tests that go behind the store's back); returns the first column of each row as text.
    @discardableResult
    public static func execute(_ sql: String, in location: PostgresLocation) async throws -> [String?] {
        let server = try await shared.start()
        return try await execute(sql, database: location.database, server: server)
    }

    static func execute(_ sql: String, database: String, server: Server) async throws -> [String?] {
        let configuration = PostgresConnection.Configuration(
            host: "127.0.0.1", port: server.port, username: server.user, password: nil, database: database, tls: .disable)
        let logger = Logger(label: "test-postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            var out: [String?] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
                out.append(row.first.flatMap(Self.text))
            }
            try await connection.close()
            return out
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// A cell as text: text as it is, numbers in decimal.
    static func text(_ cell: PostgresCell) -> String? {
        if [.int2, .int4, .int8].contains(cell.dataType), let number = try? cell.decode(Int64.self) { return String(number) }
        if let text = try? cell.decode(String?.self) { return text }
        return cell.bytes.map { String(buffer: $0) }
    }

    // MARK: the cluster

    /// Makes and starts the cluster. `initdb` refuses to run as root, so as root the cluster
    /// belongs to the `postgres` user (Debian's package makes it) and its commands run as that user.
    static func launch() throws -> Server {
        guard let bin = binaries else {
            throw TestPostgresError("BEDSIDE_REQUIRE_POSTGRES is set but no initdb was found (install postgresql)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let owner = getuid() == 0 ? "postgres" : nil
        if let owner { try shell(["/bin/chown", owner, folder]) }
        let data = "\(folder)/data"
        try shell(as: owner, ["\(bin)/initdb", "-D", data, "-U", "bedside", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"])
        // A test server: durability comes from the processes under test, not from this disk.
        let settings = """
            listen_addresses = '127.0.0.1'
            unix_socket_directories = '\(folder)'
            max_connections = 300
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            """
        try (settings + "\n").appendLine(to: "\(data)/postgresql.conf")
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try freePort()
            do {
                try shell(
                    as: owner, ["\(bin)/pg_ctl", "-D", data, "-o", "-p \(port)", "-l", "\(folder)/server.log", "-w", "-t", "60", "start"])
                stopWhenDone(bin: bin, data: data, folder: folder, owner: owner)
                return Server(port: port, folder: folder)
            } catch {
                lastError = error
            }
        }
        throw lastError ?? TestPostgresError("the test server did not start")
    }

    /// Stops the server when this process ends: at exit, and by a watcher that also notices a killed process.
    static func stopWhenDone(bin: String, data: String, folder: String, owner: String?) {
        let stop = (owner.map { "runuser -u \($0) -- " } ?? "") + "'\(bin)/pg_ctl' -D '\(data)' -m immediate -w stop"
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(stop) >/dev/null 2>&1; rm -rf '\(folder)'"
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: "/bin/sh")
        watcher.arguments = ["-c", script]
        watcher.standardInput = FileHandle.nullDevice
        watcher.standardOutput = FileHandle.nullDevice
        watcher.standardError = FileHandle.nullDevice
        try? watcher.run()
        testServerStopCommand = stop
        atexit(stopTestServer)
    }

    /// A port nobody listens on now (the kernel's choice).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TestPostgresError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a command (as `user` when given) through `system(3)`, failing with its output when it
    /// fails. (Foundation's `Process` may miss the exit of a child whose own child, the server,
    /// outlives it; `system` waits for exactly its own.)
    static func shell(as user: String? = nil, _ arguments: [String]) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-pg-command-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let command = ((user.map { ["/usr/sbin/runuser", "-u", $0, "--"] } ?? []) + arguments).map(quoted).joined(separator: " ")
        let status = system("\(command) </dev/null >\(quoted(log.path)) 2>&1")
        guard status == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw TestPostgresError("\(arguments.joined(separator: " ")) failed (\(status)): \(text)")
        }
    }

    static func quoted(_ argument: String) -> String { "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

/// The command that stops the test server, run at exit.
nonisolated(unsafe) private var testServerStopCommand: String?

private func stopTestServer() {
    guard let stop = testServerStopCommand else { return }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", stop + " >/dev/null 2>&1"]
    try? process.run()
    process.waitUntilExit()
}

/// Why the throw-away server could not be started or used.
public struct TestPostgresError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}

extension String {
    func appendLine(to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(utf8))
    }
}
