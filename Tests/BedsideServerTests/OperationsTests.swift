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
}
