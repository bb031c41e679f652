import BedsideCore
import BedsideStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BedsideServer

struct OperationsTests {
    @Test func healthAndMetricsWithoutPersonalData() async throws {
        try await Fixture.withServer(store: MemoryReviewStore()) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            let version = try #require(
                (try JSONSerialization.jsonObject(with: Data(String(buffer: health.body).utf8)) as? [String: String])?["rulebook"])
            #expect(version.count == 12 && version.allSatisfy(\.isHexDigit))
            let body = Fixture.message("Secret Symptom Words: " + Fixture.hoursText, id: "m_1", author: "Jane Private")
            _ = try await client.execute(uri: "/v1/messages", method: .post, headers: Fixture.signed(body), body: ByteBuffer(string: body))
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            let text = String(buffer: metrics.body)
            #expect(text.contains("bedside_messages_total{"))
            #expect(text.contains("bedside_decision_seconds_bucket"))
            #expect(text.contains("bedside_queue_pending"))
            #expect(text.contains(#"bedside_rulebook_info{version="\#(version)"} 1"#))
            #expect(!text.contains("Secret") && !text.contains("Jane") && !text.contains("m_1"))
        }
    }

    @Test func headHealthzAnswersWithoutABody() async throws {
        try await Fixture.withServer(store: MemoryReviewStore()) { client in
            let head = try await client.execute(uri: "/healthz", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
        }
    }

    /// Each metric family name in the exposition, and whether it has `# HELP` and `# TYPE`.
    static func families(_ text: String) -> (names: Set<String>, help: Set<String>, type: Set<String>) {
        var names = Set<String>(), help = Set<String>(), type = Set<String>()
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            if line.hasPrefix("# HELP "), words.count > 3 {
                help.insert(String(words[2]))
            } else if line.hasPrefix("# TYPE "), words.count > 2 {
                type.insert(String(words[2]))
            } else if !line.hasPrefix("#"), let name = words.first?.split(separator: "{").first {
                var family = String(name)
                for suffix in ["_bucket", "_sum", "_count"]
                where family.hasSuffix(suffix) && type.contains(String(family.dropLast(suffix.count))) {
                    family = String(family.dropLast(suffix.count))
                }
                names.insert(family)
            }
        }
        return (names, help, type)
    }

    @Test func everyMetricHasHelpAndTheBuildIsNamed() async throws {
        try await Fixture.withServer(store: MemoryReviewStore()) { client in
            let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            let families = Self.families(text)
            #expect(families.names.count >= 10, "\(families.names)")
            for name in families.names { #expect(families.help.contains(name), "no # HELP for \(name)") }
            #expect(text.contains(#"bedside_build_info{version="\#(BedsideVersion.current)"} 1.0"#), "\(text)")
        }
    }

    /// Before any message arrives, the series an alert watches already exist at zero: every
    /// category the rulebook can escalate, every rejection reason, every delivery outcome.
    @Test func labelSetsExistFromTheStart() async throws {
        try await Fixture.withServer(store: MemoryReviewStore()) { client in
            let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            let lines = Set(text.split(separator: "\n").map(String.init))
            let urgentCategories = Set(Fixture.rulebook.rules.filter { $0.escalate == .urgent }.map(\.category))
            #expect(!urgentCategories.isEmpty)
            for category in urgentCategories {
                let series = #"bedside_messages_total{action="review",category="\#(category)",source="messages",new="true"} 0"#
                #expect(lines.contains(series), "missing \(series)")
            }
            for line in [
                #"bedside_rejected_total{reason="bad-signature",endpoint="messages"} 0"#,
                #"bedside_deliveries_total{outcome="dead_lettered"} 0"#,
                #"bedside_reloads_total{result="failed"} 0"#,
                #"bedside_queue_pending{urgency="urgent"} 0.0"#,
                "bedside_urgent_oldest_seconds 0.0",
            ] {
                #expect(lines.contains(line), "missing \(line)")
            }
        }
    }

    /// A text the shipped rulebook marks urgent.
    static var urgentText: String {
        let classifier = Classifier(rulebook: Fixture.rulebook)
        for rule in Fixture.rulebook.rules where rule.escalate == .urgent {
            for text in rule.exampleMatches where classifier.decide(Message(id: UUID().uuidString, text: text)).urgent { return text }
        }
        fatalError("no urgent example in the shipped rulebook")
    }

    /// The age of the oldest pending urgent item, so an alert fires while a crisis waits.
    @Test func theOldestUrgentItemsAgeIsReported() async throws {
        // The store records everything an hour and a half ago.
        let store = MemoryReviewStore(clock: { Date().addingTimeInterval(-5400) })
        try await Fixture.withServer(store: store) { client in
            let body = Fixture.message(Self.urgentText, id: "u_1")
            let posted = try await client.execute(
                uri: "/v1/messages", method: .post, headers: Fixture.signed(body), body: ByteBuffer(string: body))
            #expect(Fixture.json(posted.body)["urgent"] as? Bool == true)
            let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            let line = text.split(separator: "\n").first { $0.hasPrefix("bedside_urgent_oldest_seconds ") }
            let seconds = line.flatMap { Double($0.split(separator: " ")[1]) }
            #expect(seconds.map { $0 >= 5400 && $0 < 5400 + 600 } == true, "\(line ?? "no bedside_urgent_oldest_seconds")")
            #expect(text.contains(#"bedside_queue_pending{urgency="urgent"} 1.0"#))
        }
    }
}
