import BedsideCore
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A `bedside serve` subprocess over a copy of the shipped rulebook in a scratch folder.
final class ServeProcess: @unchecked Sendable {
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["BEDSIDE_BINARY"] { return URL(fileURLWithPath: path) }
        var candidates = CommandLine.arguments.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
        candidates += CommandLine.arguments.filter { $0.contains(".xctest") }.map {
            URL(fileURLWithPath: String($0.prefix(upTo: $0.range(of: ".xctest")!.upperBound))).deletingLastPathComponent()
        }
        for directory in candidates {
            let url = directory.appendingPathComponent("bedside")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return Fixture.repositoryRoot.appendingPathComponent(".build/debug/bedside")
    }()

    let folder: URL
    let process = Process()
    let stderrURL: URL
    private(set) var port = 0

    /// A scratch folder holding a copy of the shipped configuration, rules, responses, lists and guard.
    static func scratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["bedside.yaml", "guard.yaml", "rules", "responses", "lists", "fragments"] {
            let source = Fixture.repositoryRoot.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: source.path) {
                try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent(name))
            }
        }
        return folder
    }

    /// Starts the server and waits until it listens.
    init(folder: URL, store: String = "store.sqlite", arguments: [String] = [], environment extra: [String: String] = [:]) throws {
        self.folder = folder
        stderrURL = folder.appendingPathComponent("stderr-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = Self.binary
        process.arguments =
            [
                "serve", "--config", folder.appendingPathComponent("bedside.yaml").path, "--port", "0",
                "--store", folder.appendingPathComponent(store).path,
            ] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["BEDSIDE_WEBHOOK_SECRET"] = Fixture.secret
        environment.merge(extra) { $1 }
        process.environment = environment
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        // "listening on 127.0.0.1:PORT"
        var line = Data()
        let handle = stdout.fileHandleForReading
        while !line.contains(0x0A) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let portText = text.split(separator: ":").last?.trimmingCharacters(in: .whitespacesAndNewlines), let port = Int(portText)
        else {
            throw StartFailed(stderr: stderr)
        }
        self.port = port
    }

    struct StartFailed: Error, CustomStringConvertible {
        var stderr: String
        var description: String { "bedside serve did not start: \(stderr)" }
    }

    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Waits until the log holds `text` `count` times (a reload loads and checks the whole rulebook,
    /// which takes a while on a busy machine); false when it has not after `timeout` seconds.
    @discardableResult
    func waitForLog(_ text: String, count: Int = 1, timeout: TimeInterval = 20) async -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while stderr.components(separatedBy: text).count - 1 < count, Date() < end {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return stderr.components(separatedBy: text).count - 1 >= count
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// The rulebook version `GET /healthz` reports, or nil.
    func rulebookVersion() async -> String? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/healthz")!)
        request.cachePolicy = .reloadIgnoringLocalCacheData
        guard let (data, _) = try? await URLSession.shared.data(for: request),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: String]
        else { return nil }
        return object["rulebook"]
    }

    /// POSTs a signed message; returns the status and body (status 0 when the connection failed).
    func post(_ body: String, webhookID: String) async -> (Int, String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/messages")!)
        request.httpMethod = "POST"
        request.timeoutInterval = 5
        for field in Fixture.signed(body, id: webhookID) { request.setValue(field.value, forHTTPHeaderField: field.name.rawName) }
        request.httpBody = Data(body.utf8)
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        } catch {
            return (0, "")
        }
    }
}
