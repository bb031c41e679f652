import Foundation
import Testing

/// The smaller things a user meets at the command line, through the built binary.
@Suite(.serialized)
struct CommandEdgeTests {
    /// Runs a shell line with the binary as `$BEDSIDE`; returns its exit status and output.
    static func shell(_ line: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", line]
        process.currentDirectoryURL = BedsideBinary.repositoryRoot
        var environment = ProcessInfo.processInfo.environment
        environment["BEDSIDE"] = BedsideBinary.url.path
        environment.removeValue(forKey: "BEDSIDE_CONFIG")
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    @Test func aReaderThatLeavesEndsTheRunQuietly() throws {
        let result = try Self.shell(
            #"for i in $(seq 1 50000); do echo '{"text":"Are you open on Saturday?"}'; done | "$BEDSIDE" run --no-store | head -1 >/dev/null; echo "status ${PIPESTATUS[1]}""#
        )
        #expect(result.stdout == "status 0\n", "\(result.stderr)")
    }

    @Test func aClosedStandardInputIsAClearErrorWithStatusTwo() throws {
        let result = try Self.shell(#""$BEDSIDE" run --no-store <&-; echo "status $?""#)
        #expect(result.stdout.hasSuffix("status 2\n"), "\(result.stdout)")
        #expect(result.stderr.contains("bedside run: standard input is closed"))
        #expect(!result.stderr.contains("NSError") && !result.stderr.contains("Error Domain"))
    }

    @Test(arguments: [["--port", "99999"], ["--port", "-1"], ["--log-level", "verbose"]])
    func serveRefusesSettingsItCannotHonour(arguments: [String]) throws {
        let result = try BedsideBinary.run(["serve"] + arguments, input: "")
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(arguments[0]))
        #expect(!result.stdout.contains("listening"))
    }

    @Test func aStoreInMemoryWorksForOneRun() throws {
        let directory = try TemporaryDirectory()
        let config = BedsideBinary.repositoryRoot.appendingPathComponent("bedside.yaml").path
        let input =
            #"{"id":"m1","text":"My solicitor will be in touch about what happened at my extraction"}"# + "\n"
            + #"{"id":"m1","text":"My solicitor will be in touch about what happened at my extraction"}"# + "\n"
        let result = try BedsideBinary.run(["run", "--config", config, "--store", ":memory:"], input: Data(input.utf8), in: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.objects
        #expect(rows.count == 2)
        #expect((rows.first?["queue_id"] as? String)?.hasPrefix("q_") == true)
        #expect(rows.last?["reason"] as? String == "duplicate")
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent(":memory:").path))
    }
}
