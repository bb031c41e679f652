import Foundation

/// The Python stand-in server (standin.py) on 127.0.0.1: Meta, Slack or a webhook receiver, scripted.
final class StandIn: @unchecked Sendable {
    /// One request as the stand-in saw it.
    struct Request: Decodable {
        var time: Double
        var method: String
        var path: String
        var headers: [String: String]
        var body: String
        var key: String?
        var duplicate: Bool
        var status: Int
        var verified: Bool?
        var verifyError: String?

        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] }
    }

    let folder: URL
    let port: Int
    private let process: Process
    private let logURL: URL

    /// `routes`: path prefix → list of `{"status": N, "body": "…", "delay": seconds}`.
    init(routes: [String: [[String: Any]]], webhookSecret: String? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-standin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var script: [String: Any] = ["routes": routes]
        if let webhookSecret { script["webhook_secret"] = webhookSecret }
        let scriptURL = folder.appendingPathComponent("script.json")
        try JSONSerialization.data(withJSONObject: script).write(to: scriptURL)
        logURL = folder.appendingPathComponent("requests.jsonl")
        let portURL = folder.appendingPathComponent("port")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.scriptPath, "--script", scriptURL.path, "--log", logURL.path, "--port-file", portURL.path]
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        var found: Int?
        while Date() < deadline {
            if let text = try? String(contentsOf: portURL, encoding: .utf8), let value = Int(text) {
                found = value
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        guard let found else {
            process.terminate()
            throw StandInError(description: "the stand-in did not start")
        }
        port = found
    }

    deinit { stop() }

    static let scriptPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("standin.py").path

    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// Every request so far, in arrival order.
    func requests() -> [Request] {
        guard let data = try? Data(contentsOf: logURL) else { return [] }
        let decoder = JSONDecoder()
        return data.split(separator: 0x0A).compactMap { try? decoder.decode(Request.self, from: Data($0)) }
    }

    /// Ends the stand-in with SIGKILL: a child of Foundation's `Process` may inherit a mask that blocks SIGTERM.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

struct StandInError: Error, CustomStringConvertible {
    var description: String
}
