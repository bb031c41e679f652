import Foundation
import Testing

/// `bedside run` end to end through the built binary, against README.md's "`bedside run`".
@Suite(.serialized)
struct RunCommandTests {
    @Test func decidesJSONAndPlainLinesInOrderSkippingBlankOnes() throws {
        let input = """
            {"id":"fb_1","text":"What time do you open on Saturday?","author":"jane_d"}
            Thank you so much, the whole team was lovely

            {"text":"I want to kill myself tonight"}
            """
        let result = try BedsideBinary.run(["run", "--no-store"], input: input + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.objects
        #expect(rows.map { $0["id"] as? String } == ["fb_1", "line-2", "line-4"])
        #expect(rows[0]["action"] as? String == "reply")
        #expect(rows[0]["category"] as? String == "question.hours")
        #expect((rows[0]["reply"] as? String)?.contains("jane_d") == true)
        #expect(rows[1]["action"] as? String == "reply")
        #expect(rows[2]["action"] as? String == "review")
        #expect(rows[2]["urgent"] as? Bool == true)
        #expect((rows[2]["reply"] as? String)?.contains("116 123") == true, "the holding reply signposts Samaritans")
        for row in rows {
            #expect(row.keys.contains("category") && row.keys.contains("matched") && row.keys.contains("urgent"))
        }
    }

    @Test func malformedLinesGetErrorObjectsAndExitOne() throws {
        let input = """
            {"id":"a","text":"Are you open on Sunday?"}
            {"id":"b","text": broken
            {"id":"c"}
            {"id":"d","text":42}
            {"id":"e","text":"Do you have parking?"}

            """
        let result = try BedsideBinary.run(["run", "--no-store"], input: input)
        #expect(result.status == 1)
        let rows = result.objects
        #expect(rows.map { $0["id"] as? String } == ["a", "line-2", "c", "d", "e"])
        #expect(rows.map { $0["action"] as? String } == ["reply", "error", "error", "error", "reply"])
        #expect(rows.map { $0["reason"] as? String } == [nil, "invalid-json", "missing-text", "invalid-text", nil])
        #expect((rows[1]["error"] as? String)?.hasPrefix("line 2: not valid JSON") == true)
        #expect(result.stderr.contains("line 2: not valid JSON"))
        #expect(result.stderr.contains("line 3: the message has no \"text\" field"))
    }

    @Test func lineOverOneMebibyteIsAnErrorAndTheStreamGoesOn() throws {
        var input = Data(#"{"id":"big","text":""#.utf8)
        input.append(Data(repeating: UInt8(ascii: "x"), count: 2 << 20))
        input.append(Data("\"}\n{\"id\":\"after\",\"text\":\"Are you open today?\"}\n".utf8))
        let result = try BedsideBinary.run(["run", "--no-store"], input: input)
        #expect(result.status == 1)
        let rows = result.objects
        #expect(rows.map { $0["id"] as? String } == ["big", "after"])
        #expect(rows[0]["reason"] as? String == "line-too-long")
        #expect(rows[1]["action"] as? String == "reply")
    }

    @Test func longStreamAnswersEveryLineInOrder() throws {
        // many read buffers' worth: every line answered once, in order, across buffer boundaries
        let count = 5_000
        let input =
            (0..<count).map { #"{"id":"m\#($0)","text":"Are you open on Saturday? \#(String(repeating: "x", count: $0 % 300))"}"# }
            .joined(separator: "\n") + "\n"
        let result = try BedsideBinary.run(["run", "--no-store"], input: input)
        #expect(result.status == 0, "\(result.stderr.prefix(300))")
        let ids = result.objects.map { $0["id"] as? String }
        #expect(ids.count == count)
        #expect(ids == (0..<count).map { "m\($0)" })
    }

    @Test func repeatedIdIsDecidedOnce() throws {
        let line = #"{"id":"x1","text":"Are you open today?"}"#
        let result = try BedsideBinary.run(["run", "--no-store"], input: line + "\n" + line + "\n")
        #expect(result.objects.map { $0["reason"] as? String } == [nil, "duplicate"])
    }

    @Test func configurationErrorsExitTwoWithLocatedDiagnostics() throws {
        let directory = try TemporaryDirectory()
        try "practice:\n  name: X\n  phone: '1'\n  regoin: UK\n".write(
            to: directory.url.appendingPathComponent("bedside.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("rules"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("responses"), withIntermediateDirectories: true)
        let result = try BedsideBinary.run(["run", "--no-store"], input: "hello\n", in: directory.url)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("bedside.yaml:4:3: error: unknown key 'regoin' in 'practice'; did you mean 'region'?"))
    }

    @Test func badFlagExitsTwo() throws {
        let result = try BedsideBinary.run(["run", "--no-such-flag"], input: "")
        #expect(result.status == 2)
        #expect(result.stderr.contains("--no-such-flag"))
    }

    @Test func checkPassesOnTheShippedFiles() throws {
        let result = try BedsideBinary.run(["check"], input: "")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("examples pass"))
    }

    @Test func explainNamesTheWinnerAndWhere() throws {
        let result = try BedsideBinary.run(["explain", "What time do you open on Saturday?"], input: "")
        #expect(result.status == 0)
        #expect(result.stdout.contains("decision:  reply"))
        #expect(result.stdout.contains("MATCH  hours"))
        #expect(result.stdout.contains("found \"open on Saturday\""))
        #expect(result.stdout.contains("why: Rule 'hours' wins"))
    }

    @Test func explainReadsStandardInput() throws {
        let result = try BedsideBinary.run(["explain", "-"], input: "i want to k1ll mys3lf\n")
        #expect(result.stdout.contains("decision:  review (URGENT)"))
        #expect(result.stdout.contains("de-obfuscated"))
    }
}

/// A directory removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
