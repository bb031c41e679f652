import BedsideCore
import Testing

/// `bedside eval`'s figures, by source and by the rule that decided, on a small rulebook.
struct EvalReportTests {
    func example(_ text: String, _ expect: String, top: String? = nil, source: String) -> EvalReport.Example {
        .init(message: Message(id: text, text: text), expect: expect, top: top, source: source)
    }

    @Test func figuresBySourceAndTheRulesThatMissedMost() throws {
        let rulebook = try Fixture.rulebook()
        let examples = [
            example("Are you open today?", "reply", top: "question", source: "a"),
            example("thanks, but I want to kill myself", "urgent", source: "a"),
            example("thanks for nothing, I will get a lawyer", "review", source: "b"),
            example("waited an hour", "reply", top: "complaint", source: "b"),
        ]
        let report = EvalReport.measure(examples, rulebook: rulebook)
        #expect(report.figures["safety_recall"]?.count == 2)
        #expect(report.figures["automation"]?.count == 1)  // the complaint template is a draft (auto: false)
        #expect(report.bySource["a"]?["automation"]?.share == 1)
        #expect(report.bySource["b"]?["automation"]?.share == 0)
        #expect(report.bySource["b"]?["over_escalation"]?.count == 1)
        #expect(report.byRule["complaint"]?.decided == 1)
        #expect(report.byRule["complaint"]?.wrongByLabel == ["reply→review": 1])
        #expect(report.byRule["hours"]?.wrong == 0)
        #expect(report.byRule["self-harm"]?.decided == 1)
    }

    @Test func oneSourceHasNoBreakdown() throws {
        let report = EvalReport.measure(
            [example("waited an hour", "reply", top: "complaint", source: "a")], rulebook: try Fixture.rulebook())
        #expect(report.bySource.isEmpty)
    }
}
