import Foundation

/// Runs the built `bedside` executable, as a user would.
enum BedsideBinary {
    /// The executable: `$BEDSIDE_BINARY`, else the one built beside this test bundle.
    static let url: URL = {
        if let path = ProcessInfo.processInfo.environment["BEDSIDE_BINARY"] { return URL(fileURLWithPath: path) }
        var candidates = CommandLine.arguments.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
        if let bundle = Bundle.main.executableURL { candidates.append(bundle.deletingLastPathComponent()) }
        candidates += CommandLine.arguments.filter { $0.contains(".xctest") }.map {
            URL(fileURLWithPath: String($0.prefix(upTo: $0.range(of: ".xctest")!.upperBound))).deletingLastPathComponent()
        }
        for directory in candidates {
            let url = directory.appendingPathComponent("bedside")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return repositoryRoot.appendingPathComponent(".build/debug/bedside")
    }()

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// Standard output as JSON objects, one a line.
        var objects: [[String: Any]] {
            stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
    }

    /// A process for `bedside ARGS` in `directory`, without `$BEDSIDE_CONFIG`.
    static func process(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "BEDSIDE_CONFIG")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        return process
    }

    /// Runs `bedside ARGS` in `directory` with `input` on stdin.
    static func run(_ arguments: [String], input: Data = Data(), in directory: URL = repositoryRoot, environment: [String: String] = [:])
        throws -> Result
    {
        let process = process(arguments, in: directory, environment: environment)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inURL = scratch.appendingPathComponent("in"), errURL = scratch.appendingPathComponent("err")
        try input.write(to: inURL)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let stdout = Pipe()
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let err = (try? Data(contentsOf: errURL)) ?? Data()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    static func run(_ arguments: [String], input: String, in directory: URL = repositoryRoot) throws -> Result {
        try run(arguments, input: Data(input.utf8), in: directory)
    }
}
