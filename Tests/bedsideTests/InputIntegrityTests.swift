import Foundation
import Testing

/// What `bedside run` keeps is exactly what it decided on, and ids are what they claim to be,
/// through the built binary and a real SQLite file.
@Suite(.serialized)
struct InputIntegrityTests {
    @Test func nulCharactersInTextAndAuthorAreStoredWhole() throws {
        let workspace = try QueueWorkspace()
        let line =
            #"{"id":"nul_1","text":"Thanks for the lovely care today\u0000 I have taken 40 pills and want to die","author":"ev\u0000il","platform":"facebook","thread":"post_1"}"#
        let result = try workspace.bedside(["run"], input: line + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.objects.first?["urgent"] as? Bool == true)
        let item = try #require(try workspace.list().first)
        #expect(item["text"] as? String == "Thanks for the lovely care today\u{0} I have taken 40 pills and want to die")
        #expect(item["author"] as? String == "ev\u{0}il")
        let show = try workspace.bedside(["queue", "show", try #require(item["id"] as? String)])
        #expect(show.stdout.contains("I have taken 40 pills"))
        let outbox = try String(contentsOf: workspace.folder.appendingPathComponent("outbox.jsonl"), encoding: .utf8)
        let holding = try #require(
            outbox.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }.first)
        let text = try #require(holding["text"] as? String)
        #expect(text.contains("999") && text.hasSuffix("as soon as possible."), "the whole holding reply is sent: \(text)")
        #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }

    @Test(arguments: [#""z\u00002""#, #""z\u00003""#, #""a\u0007b""#, #""fb_\u202e1""#, #""x\ny""#])
    func idsWithControlCharactersGetAnErrorDecision(id: String) throws {
        let workspace = try QueueWorkspace()
        let result = try workspace.bedside(["run"], input: #"{"id":\#(id),"text":"Are you open on Saturday?"}"# + "\n")
        #expect(result.status == 1)
        let row = try #require(result.objects.first)
        #expect(row["action"] as? String == "error")
        #expect(row["reason"] as? String == "invalid-id")
        #expect(row["id"] as? String == "line-1")
        #expect((row["error"] as? String)?.contains("\"id\"") == true)
    }

    @Test(arguments: [
        ("true", false), ("false", false), ("1.5", false), ("1.0", false), ("[1]", false), ("{}", false), ("\"\"", false), ("7", true),
        ("-3", true),
    ])
    func idsAreStringsOrIntegers(id: String, valid: Bool) throws {
        let result = try BedsideBinary.run(["run", "--no-store"], input: #"{"id":\#(id),"text":"Are you open on Saturday?"}"# + "\n")
        let row = try #require(result.objects.first)
        if valid {
            #expect(row["action"] as? String == "reply")
            #expect(row["id"] as? String == id)
        } else {
            #expect(result.status == 1)
            #expect(row["action"] as? String == "error")
            #expect(row["reason"] as? String == "invalid-id")
            #expect((row["error"] as? String)?.contains("\"id\" must be a string or an integer") == true, "\(row)")
        }
    }

    @Test func trueAndOneAreDifferentMessages() throws {
        let workspace = try QueueWorkspace()
        let input = #"{"id":1,"text":"Are you open on Saturday?"}"# + "\n" + #"{"id":true,"text":"Are you open on Saturday?"}"# + "\n"
        let result = try workspace.bedside(["run"], input: input)
        #expect(result.objects.map { $0["action"] as? String } == ["reply", "error"])
    }

    /// One line a little over 1 MiB: refused whether standard input is a file or a pipe.
    @Test(arguments: [false, true])
    func theLineLimitIsTheSameFromAFileAndAPipe(piped: Bool) throws {
        var input = Data(#"{"id":"big","text":""#.utf8)
        input.append(Data(repeating: UInt8(ascii: "x"), count: (1 << 20) + (16 << 10)))
        input.append(Data("\"}\n{\"id\":\"after\",\"text\":\"Are you open today?\"}\n".utf8))
        let result =
            piped
            ? try BedsideBinary.runPiped(["run", "--no-store"], input: input) : try BedsideBinary.run(["run", "--no-store"], input: input)
        #expect(result.status == 1)
        #expect(result.objects.map { $0["reason"] as? String } == ["line-too-long", nil])
    }

    @Test(arguments: [false, true])
    func aLineOfExactlyTheLimitIsDecided(piped: Bool) throws {
        let head = #"{"id":"edge","text":"Are you open today? "#
        var input = Data(head.utf8)
        input.append(Data(repeating: UInt8(ascii: "x"), count: (1 << 20) - head.utf8.count - 2))
        input.append(Data("\"}\n".utf8))
        let result =
            piped
            ? try BedsideBinary.runPiped(["run", "--no-store"], input: input) : try BedsideBinary.run(["run", "--no-store"], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.objects.first?["action"] as? String == "reply")
    }
}

extension BedsideBinary {
    /// Runs `bedside ARGS` with `input` written into a pipe as it is read (not a file).
    static func runPiped(_ arguments: [String], input: Data) throws -> Result {
        let process = process(arguments, in: repositoryRoot)
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        nonisolated(unsafe) var errData = Data()
        let errReader = Thread { errData = stderr.fileHandleForReading.readDataToEndOfFile() }
        errReader.start()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while errReader.isExecuting || !errReader.isFinished { usleep(1000) }
        return Result(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
