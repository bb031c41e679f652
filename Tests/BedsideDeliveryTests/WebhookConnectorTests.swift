import BedsideCore
import BedsideDelivery
import BedsideStore
import Foundation
import Testing

struct WebhookConnectorTests {
    let message = Message(
        id: "fb_123", text: "What time do you open on Saturday?", author: "jane_d", platform: "facebook", thread: "post_9")

    func deliverer(_ store: MemoryReviewStore, _ standIn: StandIn, attempts: Int = 3, timeout: TimeInterval = 5) throws -> Deliverer<
        MemoryReviewStore
    > {
        let connector = try WebhookConnector(url: standIn.url("/hook"), secret: vectorSecret, client: CurlClient(), timeout: timeout)
        return Deliverer(store: store, connector: connector, retry: quickRetry(attempts: attempts), lease: 30)
    }

    @Test func deliversASignedReplyThatThePythonPackageVerifies() async throws {
        let standIn = try StandIn(routes: ["/hook": [["status": 200]]], webhookSecret: vectorSecret)
        let store = try await storeWithReplies([message])
        let entry = try await onlyEntry(store)

        let report = try await deliverer(store, standIn).drainOnce()

        #expect(report == DeliveryReport(delivered: 1))
        #expect(try await onlyEntry(store).status == .sent)
        let requests = standIn.requests()
        try #require(requests.count == 1)
        let request = requests[0]
        #expect(request.verified == true, "standardwebhooks rejected the signature: \(request.verifyError ?? "")")
        #expect(request.headers["webhook-id"] == entry.idempotencyKey)
        #expect(request.headers["idempotency-key"] == entry.idempotencyKey)
        let body = try #require(request.json)
        #expect(body["message_id"] as? String == "fb_123")
        #expect(body["text"] as? String == entry.text)
        #expect(body["platform"] as? String == "facebook")
        #expect(body["thread"] as? String == "post_9")
        #expect(body["idempotency_key"] as? String == entry.idempotencyKey)
    }

    @Test func retriesA500AndDeliversOnceWithTheSameKey() async throws {
        let standIn = try StandIn(routes: ["/hook": [["status": 500], ["status": 200]]], webhookSecret: vectorSecret)
        let store = try await storeWithReplies([message])
        let deliverer = try deliverer(store, standIn)

        let first = try await deliverer.drainOnce()
        #expect(first == DeliveryReport(retrying: 1))
        #expect(try await onlyEntry(store).status == .pending)
        let total = try await drainUntilSettled(deliverer, store: store)

        #expect(total == DeliveryReport(delivered: 1))
        let entry = try await onlyEntry(store)
        #expect(entry.status == .sent)
        #expect(entry.attempts == 1)
        let requests = standIn.requests()
        #expect(requests.map(\.status) == [500, 200])
        #expect(Set(requests.map(\.key)) == [entry.idempotencyKey])
        #expect(requests.allSatisfy { $0.verified == true })
    }

    @Test func deadLettersAfterTheLastTimedOutAttempt() async throws {
        let standIn = try StandIn(routes: ["/hook": [["status": 200, "delay": 4]]])
        let store = try await storeWithReplies([message])
        let deliverer = try deliverer(store, standIn, attempts: 2, timeout: 0.5)

        let started = Date()
        let first = try await deliverer.drainOnce()
        #expect(Date().timeIntervalSince(started) < 3, "the timeout did not bound the request")
        #expect(first == DeliveryReport(retrying: 1))
        let total = try await drainUntilSettled(deliverer, store: store)

        #expect(total == DeliveryReport(deadLettered: 1))
        let entry = try await onlyEntry(store)
        #expect(entry.status == .failed)
        #expect(entry.attempts == 2)
        #expect(entry.lastError?.contains("timed out") == true)
        #expect(standIn.requests().count == 2)
    }

    @Test func deadLettersA400AtOnceWithoutTheReplyText() async throws {
        let standIn = try StandIn(routes: ["/hook": [["status": 400, "body": #"{"error":"bad"}"#]]])
        let store = try await storeWithReplies([message])
        let deliverer = try deliverer(store, standIn, attempts: 5)

        let report = try await deliverer.drainOnce()

        #expect(report == DeliveryReport(deadLettered: 1))
        let entry = try await onlyEntry(store)
        #expect(entry.status == .failed)
        #expect(entry.lastError?.contains("HTTP 400") == true)
        #expect(entry.lastError?.contains(entry.text) == false)
        #expect(entry.lastError?.contains("bad") == false)
        #expect(standIn.requests().count == 1)
    }

    @Test(arguments: [408, 429, 503])
    func retriesStatusesWorthRetrying(status: Int) async throws {
        let standIn = try StandIn(routes: ["/hook": [["status": status]]])
        let store = try await storeWithReplies([message])
        let report = try await deliverer(store, standIn, attempts: 5).drainOnce()
        #expect(report == DeliveryReport(retrying: 1))
        #expect(try await onlyEntry(store).lastError?.contains("HTTP \(status)") == true)
    }

    @Test func retriesARefusedConnection() async throws {
        let store = try await storeWithReplies([message])
        // Port 9 on loopback: nothing listens there.
        let connector = try WebhookConnector(
            url: URL(string: "http://127.0.0.1:9/hook")!, secret: vectorSecret, client: CurlClient(), timeout: 2)
        let report = try await Deliverer(store: store, connector: connector, retry: quickRetry(attempts: 3), lease: 30).drainOnce()
        #expect(report == DeliveryReport(retrying: 1))
        #expect(try await onlyEntry(store).lastError?.contains("127.0.0.1") == false)
    }
}
