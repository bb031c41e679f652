import BedsideStore
import Foundation
import Testing

@testable import BedsideServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// SIGHUP reloads staff tokens: a removed token stops working and a new one works, without a
/// restart. A real `bedside serve`.
@Suite(.serialized)
struct TokenReloadTests {
    static let old = "bst_old-token-for-reload-test"
    static let new = "bst_new-token-for-reload-test"

    static func status(_ port: Int, token: String) async -> Int {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/queue")!)
        request.timeoutInterval = 5
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let response = try? await URLSession.shared.data(for: request)
        return (response?.1 as? HTTPURLResponse)?.statusCode ?? 0
    }

    static func write(_ tokens: [(String, String)], to config: URL, base: String) throws {
        let lines = tokens.map { "  - {name: \($0.0), role: reviewer, sha256: \(StaffToken.hash($0.1))}" }
        try (base + "\ntokens:\n" + lines.joined(separator: "\n") + "\n").write(to: config, atomically: true, encoding: .utf8)
    }

    @Test func sighupRevokesARemovedTokenAndAcceptsANewOne() async throws {
        let folder = try ServeProcess.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("bedside.yaml")
        let base = try String(contentsOf: config, encoding: .utf8)
        try Self.write([("sam", Self.old)], to: config, base: base)
        let server = try ServeProcess(folder: folder)
        #expect(await Self.status(server.port, token: Self.old) == 200)
        #expect(await Self.status(server.port, token: Self.new) == 401)

        try Self.write([("ana", Self.new)], to: config, base: base)
        server.signal(SIGHUP)
        await server.waitForLog("rulebook reloaded")
        #expect(await Self.status(server.port, token: Self.old) == 401, "\(server.stderr)")
        #expect(await Self.status(server.port, token: Self.new) == 200)

        #expect(!server.stderr.contains("take effect on restart"))

        // Server settings that need a restart are named, not silently ignored.
        try Self.write([("ana", Self.new)], to: config, base: base + "\nserver:\n  max_in_flight: 64\n")
        server.signal(SIGHUP)
        await server.waitForLog("rulebook reloaded", count: 2)
        #expect(server.stderr.contains(#""bedside.settings":"max_in_flight""#), "\(server.stderr)")

        // A tokens section that does not read keeps the tokens in force.
        try (base + "\ntokens:\n  - {name: bo, role: chief, sha256: 12}\n").write(to: config, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        await server.waitForLog("rulebook reload failed")
        #expect(server.stderr.contains("rulebook reload failed"))
        #expect(await Self.status(server.port, token: Self.new) == 200)
        server.signal(SIGTERM)
        #expect(server.wait() == 0)
    }
}
