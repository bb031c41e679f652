import BedsideCore
import Testing

/// One reading of durations for every flag and setting.
struct TimeSpanTests {
    @Test(arguments: [
        ("500ms", 0.5), ("45s", 45), ("30m", 1800), ("2h", 7200), ("3d", 259_200), ("1w", 604_800), ("1.5h", 5400), ("0s", 0),
        (" 90d ", 7_776_000),
    ])
    func readsANumberAndAUnit(text: String, seconds: Double) throws {
        #expect(try TimeSpan(parsing: text).seconds == seconds)
    }

    @Test(arguments: [
        ("2", "has no unit; write 2s, 2m, 2h or 2d"),
        ("", "is empty"),
        ("2y", "has an unknown unit 'y'"),
        ("-3d", "does not start with a number"),
        ("d", "does not start with a number"),
        ("1..2h", "does not start with a number"),
    ])
    func refusesAnythingElseSayingWhy(text: String, reason: String) {
        #expect(throws: TimeSpan.Problem(text: text, reason: reason)) { try TimeSpan(parsing: text) }
    }

    @Test func theMessageShowsWhatToWrite() {
        let problem = TimeSpan.Problem(text: "2", reason: "has no unit; write 2s, 2m, 2h or 2d")
        #expect(problem.description.hasPrefix("'2' has no unit; write 2s, 2m, 2h or 2d (a duration is a number and a unit"))
    }
}
