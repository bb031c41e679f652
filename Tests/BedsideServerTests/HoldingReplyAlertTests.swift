import BedsideCore
import BedsideDelivery
import BedsideStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import BedsideServer

/// An urgent message whose holding reply the guard refuses: the decision says so and staff are told at once.
struct HoldingReplyAlertTests {
    /// Stands in for Slack's incoming webhook: keeps what was posted, answers 200 `ok`.
    final class SlackStandIn: BedsideDelivery.HTTPClient {
        let posted = Mutex<[String]>([])
        func send(_ request: BedsideDelivery.HTTPRequest) async throws(HTTPClientError) -> BedsideDelivery.HTTPResponse {
            posted.withLock { $0.append(String(decoding: request.body, as: UTF8.self)) }
            return BedsideDelivery.HTTPResponse(status: 200, body: Data("ok".utf8))
        }
    }

    @Test func aRefusedHoldingReplyIsRecordedAndStaffAreAlerted() async throws {
        let store = MemoryReviewStore()
        let slack = SlackStandIn()
        let notifier = SlackNotifier(
            webhookURL: URL(string: "https://hooks.slack.example/services/T/B/x")!, consoleURL: "https://bedside.example/review",
            client: slack, timeout: 5)
        let environment = ServerEnvironment(
            settings: Fixture.settings(), rulebook: Fixture.rulebook, store: store, slack: notifier, logger: Fixture.logger)
        // The message repeats the holding reply's own words: no rendering of it may be sent.
        let text = "I want to kill myself tonight. Don't tell me you don't have to face this alone."
        let body =
            #"{"object":"page","entry":[{"id":"105000000000001","time":1,"messaging":[{"sender":{"id":"1423587017700999"},"recipient":{"id":"105000000000001"},"timestamp":1764540000000,"message":{"mid":"m_refused","text":"\#(text)"}}]}]}"#
        try await buildApplication(environment).test(.live) { client in
            let response = try await client.execute(
                uri: "/v1/webhooks/meta", method: .post, headers: MetaWebhookTests.signed(body), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
        }
        let decision = try #require(try await store.decision(for: "m_refused"))
        #expect(decision.urgent)
        #expect(decision.reply == nil)
        #expect(decision.reason == Classifier.holdingReplyRefused)
        #expect(try await store.outbox(status: nil).isEmpty)
        let queueID = try #require(decision.queueID)
        var posted: [String] = []
        for _ in 0..<50 where posted.isEmpty {
            try await Task.sleep(for: .milliseconds(50))
            posted = slack.posted.withLock { $0 }
        }
        let alert = try #require(posted.first)
        #expect(alert.contains("URGENT"))
        #expect(alert.contains("holding reply could NOT be sent"))
        #expect(alert.contains(queueID))
        #expect(!alert.contains("kill myself"))
        #expect(!alert.contains("1423587017700999"))
    }
}
