import BedsideCore
import BedsideDelivery
import BedsideStore
import Foundation
import Testing

struct SlackNotifierTests {
    @Test func notifiesWithALinkCategoryAndUrgencyButNeverTheMessageOrAuthor() async throws {
        let standIn = try StandIn(routes: ["/services/": [["status": 200, "body": "ok"]]])
        let store = MemoryReviewStore()
        let message = Message(id: "fb_9", text: "I took all my tablets and feel strange", author: "sam_writes", platform: "facebook")
        let decision = Decision(
            id: message.id, action: .review, category: "risk.adverse-reaction", urgent: true, matched: ["adverse"],
            reason: "risk.adverse-reaction")
        let recorded = try await store.record(decision, for: message)
        let queueID = try #require(recorded.decision.queueID)
        let item = try #require(try await store.item(queueID))
        var settings = DeliverySettings()
        settings.slack = .init(webhookURLEnv: "TEST_SLACK_URL", consoleURL: "https://bedside.example/review")
        let environment = ["TEST_SLACK_URL": standIn.url("/services/T0/B0/secret").absoluteString]
        let notifier = try #require(try Delivery.slackNotifier(settings, environment: environment))

        let outcome = await notifier.notifyNewItem(queueID: item.id, category: item.category, urgent: item.urgent)

        #expect(outcome == .delivered(response: "HTTP 200"))
        let requests = standIn.requests()
        try #require(requests.count == 1)
        let text = try #require(requests[0].json?["text"] as? String)
        #expect(requests[0].json?.count == 1)
        #expect(text.contains("<https://bedside.example/review/\(queueID)|\(queueID)>"))
        #expect(text.contains("risk.adverse-reaction"))
        #expect(text.contains("URGENT"))
        #expect(!requests[0].body.contains("tablets"))
        #expect(!requests[0].body.contains("sam_writes"))
        #expect(!requests[0].body.contains("fb_9"))
    }

    @Test func aMissingWebhookVariableNamesItWithoutAValue() {
        var settings = DeliverySettings()
        settings.slack = .init(webhookURLEnv: "TEST_SLACK_URL_MISSING")
        #expect(throws: ConnectorSetupError.self) { try Delivery.slackNotifier(settings, environment: [:]) }
        do {
            _ = try Delivery.slackNotifier(settings, environment: [:])
        } catch {
            #expect(error.description.contains("$TEST_SLACK_URL_MISSING is not set"))
        }
    }
}
