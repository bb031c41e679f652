import BedsideStore
import Foundation
import Testing

/// `bedside run` killed with SIGKILL in the middle of a long stream: every decision it printed is in
/// the store, and nothing is half-done.
@Suite(.serialized)
struct RunCrashTests {
    @Test func aKilledRunLosesNoPrintedDecisionAndLeavesNoHalfDoneItem() async throws {
        signal(SIGPIPE, SIG_IGN)
        let w = try QueueWorkspace()
        let process = Process()
        process.executableURL = BedsideBinary.url
        process.arguments = ["run", "--config", QueueWorkspace.config, "--store", w.store]
        process.currentDirectoryURL = w.folder
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()

        // A writer that keeps the input coming until the process dies (or 500k lines).
        let writeFD = stdin.fileHandleForWriting.fileDescriptor
        let writer = Thread {
            let texts = [
                ("What time do you open on Saturday?", "reply"),
                ("My solicitor will be in touch about what happened at my extraction", "review"),
                ("I want to kill myself tonight", "urgent"), ("lovely weather at the beach", "other"),
            ]
            for n in 0..<500_000 {
                let (text, _) = texts[n % texts.count]
                let line =
                    Array(#"{"id":"c_\#(n)","text":"\#(text)","author":"a\#(n)","platform":"facebook","thread":"t\#(n)"}"#.utf8) + [0x0A]
                var offset = 0
                while offset < line.count {
                    let written = line.withUnsafeBytes { write(writeFD, $0.baseAddress! + offset, $0.count - offset) }
                    if written < 0 { if errno == EINTR { continue }; return }
                    offset += written
                }
            }
            close(writeFD)
        }
        writer.start()

        // Read until enough decisions were printed, then kill it without warning.
        let reader = stdout.fileHandleForReading
        var printed = Data()
        while printed.count(where: { $0 == 0x0A }) < 5000 {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            printed.append(chunk)
        }
        kill(process.processIdentifier, SIGKILL)
        printed.append(reader.readDataToEndOfFile())
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run was killed, not finished")

        let lines = printed.split(separator: 0x0A)
        let complete = printed.last == 0x0A ? lines : lines.dropLast()
        #expect(complete.count >= 5000)
        let store = try SQLiteReviewStore(path: w.store)
        var reviews = 0
        for line in complete {
            let row = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            let id = try #require(row["id"] as? String)
            let stored = try #require(try await store.decision(for: id), "printed \(id) but the store does not have it")
            #expect(stored.action.rawValue == row["action"] as? String)
            #expect(stored.queueID == row["queue_id"] as? String)
            if let queueID = stored.queueID {
                reviews += 1
                #expect(try await store.item(queueID)?.messageID == id)
            }
        }
        #expect(reviews >= complete.count / 2 - 1)
        #expect(try await store.integrityProblems() == [])
        #expect(try await store.outbox(status: nil).count >= complete.count / 2 - 1, "replies and holding replies are in the outbox")
    }
}
