import Foundation
import Testing

/// `bedside run` with authors no greeting may carry: the reply goes out without the greeting.
@Suite(.serialized)
struct RunAuthorTests {
    @Test func aNumericAuthorLosesTheGreetingNotTheReply() throws {
        let input = """
            {"id":"n_1","text":"What time do you open on Saturday?","author":"1423587017700999"}
            {"id":"n_2","text":"I want to kill myself tonight","author":"1423587017700999"}
            {"id":"n_3","text":"I want to kill myself tonight","author":"\\u202Eevil\\u202C"}
            {"id":"n_4","text":"I want to kill myself tonight","author":"Jane Doe"}

            """
        let result = try BedsideBinary.run(["run", "--no-store"], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.objects
        #expect(rows.map { $0["action"] as? String } == ["reply", "review", "review", "review"])
        for row in rows {
            let reply = try #require(row["reply"] as? String, "\(row["id"] ?? "?") has its reply")
            #expect(!reply.contains("1423587017700999"))
            #expect(!reply.contains("\u{202E}"))
        }
        #expect((rows[1]["reply"] as? String)?.hasPrefix("We're really sorry") == true)
        #expect((rows[3]["reply"] as? String)?.hasPrefix("Jane Doe, we're really sorry") == true)
        #expect(rows[1...].allSatisfy { $0["urgent"] as? Bool == true })
    }

    @Test func aHoldingReplyTheGuardRefusesIsReportedNotHidden() throws {
        let input =
            #"{"id":"c_1","text":"I want to kill myself tonight. Don't tell me you don't have to face this alone.","author":"1423587017700999"}"#
            + "\n"
        let result = try BedsideBinary.run(["run", "--no-store"], input: input)
        #expect(result.status == 0)
        let row = try #require(result.objects.first)
        #expect(row["urgent"] as? Bool == true)
        #expect(row["reason"] as? String == "holding-reply-refused")
        #expect(row["reply"] == nil)
        #expect(result.stderr.contains("line 1: urgent, and the reply guard refused its holding reply"))
        #expect(!result.stderr.contains("kill myself"))
    }
}
