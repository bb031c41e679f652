import BedsideCore
import BedsideDelivery
import BedsideStore
import Foundation
import Testing

struct MetaConnectorTests {
    @Test func repliesToEachPlatformAtItsGraphEndpoint() async throws {
        let standIn = try StandIn(routes: ["/v19.0/": [["status": 200, "body": #"{"id":"reply_1"}"#]]])
        let messages = [
            Message(id: "111_222", text: "Open on Saturday?", platform: "facebook", thread: "post_9"),
            Message(id: "17900000000000001", text: "Open on Sunday?", platform: "instagram", thread: "media_4"),
            Message(id: "m_abc", text: "Open today?", platform: "messenger", thread: "psid_7788"),
        ]
        let store = try await storeWithReplies(messages) { "Thanks, \($0.id) — please call us on 020 7946 0321." }
        let connector = MetaConnector(
            graphURL: standIn.url("/v19.0"), pageID: "4455", token: "page-token-xyz", client: CurlClient(), timeout: 5)

        let report = try await Deliverer(store: store, connector: connector, retry: quickRetry(attempts: 3), lease: 30).drainOnce()

        #expect(report == DeliveryReport(delivered: 3))
        let requests = standIn.requests().sorted { $0.path < $1.path }
        #expect(requests.map(\.path) == ["/v19.0/111_222/comments", "/v19.0/17900000000000001/replies", "/v19.0/4455/messages"])
        #expect(requests.allSatisfy { $0.method == "POST" && $0.headers["authorization"] == "Bearer page-token-xyz" })
        #expect(requests[0].json?["message"] as? String == "Thanks, 111_222 — please call us on 020 7946 0321.")
        #expect(requests[1].json?["message"] as? String == "Thanks, 17900000000000001 — please call us on 020 7946 0321.")
        let messenger = try #require(requests[2].json)
        #expect((messenger["recipient"] as? [String: Any])?["id"] as? String == "psid_7788")
        #expect(messenger["messaging_type"] as? String == "RESPONSE")
        #expect((messenger["message"] as? [String: Any])?["text"] as? String == "Thanks, m_abc — please call us on 020 7946 0321.")
        let responses = try await store.outbox(status: .sent)
        #expect(responses.count == 3)
    }

    @Test func replyToAnEditedCommentGoesToTheComment() throws {
        let connector = MetaConnector(
            graphURL: URL(string: "https://graph.example/v19.0")!, pageID: "4455", token: "t", client: CurlClient(), timeout: 5)
        let entry = OutboxEntry(
            idempotencyKey: "k", queueID: nil, messageID: "111_222@edit-9f86d081", text: "Thanks", platform: "facebook", thread: "post_9",
            kind: "reply", nextAttemptAt: Date(), createdAt: Date())
        let request = try connector.request(for: entry).get()
        #expect(request.url.absoluteString == "https://graph.example/v19.0/111_222/comments")
    }

    /// Each kind of event Bedside takes in from Meta, as MetaEvents records it, and where its reply goes.
    @Test(arguments: [
        ["111_222", "facebook", "111", "/v19.0/111_222/comments"],
        ["111_222@edit-9f86d081", "facebook", "111", "/v19.0/111_222/comments"],
        ["111_333", "facebook", "111_333", "/v19.0/111_333/comments"],
        ["111_444@mention", "facebook", "111_444", "/v19.0/111_444/comments"],
        ["17900000000000001", "instagram", "media_4", "/v19.0/17900000000000001/replies"],
        ["aWdfZAG1faXRlbToxOklHTWVzc2FnZA_1", "instagram", "direct:1789012345678901", "/v19.0/4455/messages"],
        ["m_abc", "messenger", "1423587017700999", "/v19.0/4455/messages"],
    ])
    func everyPlatformHasItsRoute(_ route: [String]) throws {
        let (messageID, platform, thread, path) = (route[0], route[1], route[2], route[3])
        let connector = MetaConnector(
            graphURL: URL(string: "https://graph.example/v19.0")!, pageID: "4455", token: "t", client: CurlClient(), timeout: 5)
        let entry = OutboxEntry(
            idempotencyKey: "k", queueID: nil, messageID: messageID, text: "Thanks", platform: platform, thread: thread,
            kind: "reply", nextAttemptAt: Date(), createdAt: Date())
        let request = try connector.request(for: entry).get()
        #expect(request.url.path == path)
        let body = try #require((try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any])
        if path.hasSuffix("/messages") {
            #expect((body["recipient"] as? [String: Any])?["id"] as? String == thread.replacingOccurrences(of: "direct:", with: ""))
            #expect((body["message"] as? [String: Any])?["text"] as? String == "Thanks")
        } else {
            #expect(body["message"] as? String == "Thanks")
        }
    }

    @Test func deadLettersAPlatformMetaCannotAnswer() async throws {
        let store = try await storeWithReplies([Message(id: "g_1", text: "Hours?", platform: "google")])
        let connector = MetaConnector(
            graphURL: URL(string: "http://127.0.0.1:9/v19.0")!, pageID: "4455", token: "t", client: CurlClient(), timeout: 1)
        let report = try await Deliverer(store: store, connector: connector, retry: quickRetry(attempts: 3), lease: 30).drainOnce()
        #expect(report == DeliveryReport(deadLettered: 1))
        #expect(try await onlyEntry(store).lastError?.contains("no Meta reply endpoint for platform 'google'") == true)
    }

    @Test func recordsGraphErrorCodesNotTheirProse() async throws {
        let body = #"{"error":{"message":"Thanks, g_1 leaked","type":"OAuthException","code":190,"error_subcode":463}}"#
        let standIn = try StandIn(routes: ["/": [["status": 401, "body": body]]])
        let store = try await storeWithReplies([Message(id: "c_1", text: "Hours?", platform: "facebook")])
        let connector = MetaConnector(graphURL: standIn.url("/v19.0"), pageID: nil, token: "t", client: CurlClient(), timeout: 5)
        let report = try await Deliverer(store: store, connector: connector, retry: quickRetry(attempts: 3), lease: 30).drainOnce()
        #expect(report == DeliveryReport(deadLettered: 1))
        let error = try #require(try await onlyEntry(store).lastError)
        #expect(error.contains("HTTP 401 (OAuthException code 190 subcode 463)"))
        #expect(!error.contains("leaked"))
    }
}
