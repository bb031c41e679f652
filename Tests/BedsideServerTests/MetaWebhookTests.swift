import BedsideCore
import BedsideStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BedsideServer

struct MetaWebhookTests {
    static func signed(_ body: String, secret: String = Fixture.metaSecret) -> HTTPFields {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name("X-Hub-Signature-256")!] = "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
        return headers
    }

    static func feed(_ commentID: String, _ text: String, from: String = "user_1", verb: String = "add") -> String {
        #"{"field":"feed","value":{"item":"comment","verb":"\#(verb)","comment_id":"\#(commentID)","post_id":"page_1_post_9","message":"\#(text)","from":{"id":"\#(from)","name":"Jane"},"created_time":1700000000}}"#
    }

    static let delivery = """
        {"object":"page","entry":[
          {"id":"page_1","time":1700000000,"changes":[
            \(feed("c_1", Fixture.hoursText)),
            \(feed("c_own", "Thanks everyone!", from: "page_1")),
            \(feed("c_2", "gone", verb: "remove")),
            \(feed("c_1", "What time do you open on Sunday?", verb: "edited"))
          ]},
          {"id":"page_1","time":1700000001,"messaging":[
            {"sender":{"id":"psid_7"},"recipient":{"id":"page_1"},"timestamp":1700000001000,"message":{"mid":"m_1","text":"\(Fixture.hoursText)"}},
            {"sender":{"id":"page_1"},"recipient":{"id":"psid_7"},"timestamp":1700000002000,"message":{"mid":"m_2","text":"Our reply","is_echo":true}}
          ]}
        ]}
        """

    static let instagram = """
        {"object":"instagram","entry":[{"id":"ig_1","time":1700000000,"changes":[
          {"field":"comments","value":{"id":"igc_1","text":"\(Fixture.hoursText)","from":{"id":"ig_user","username":"jane.d"},"media":{"id":"media_5"}}},
          {"field":"comments","value":{"id":"igc_2","text":"Thanks all","from":{"id":"ig_1","username":"riverside"},"media":{"id":"media_5"}}}
        ]}]}
        """

    @Test func challengeEchoesOnlyForTheRightToken() async throws {
        try await Fixture.withServer(store: MemoryReviewStore()) { client in
            let ok = try await client.execute(
                uri: "/v1/webhooks/meta?hub.mode=subscribe&hub.verify_token=\(Fixture.verifyToken)&hub.challenge=1158201444", method: .get)
            #expect(ok.status == .ok)
            #expect(String(buffer: ok.body) == "1158201444")
            let bad = try await client.execute(
                uri: "/v1/webhooks/meta?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1", method: .get)
            #expect(bad.status == .forbidden)
            #expect(!String(buffer: bad.body).contains(Fixture.verifyToken))
        }
    }

    @Test func pageFeedAndMessengerAreMappedDecidedAndDeduplicated() async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            let body = Self.delivery
            let response = try await client.execute(
                uri: "/v1/webhooks/meta", method: .post, headers: Self.signed(body), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            let object = Fixture.json(response.body)
            #expect(object["received"] as? Int == 3)
            #expect(object["new"] as? Int == 3)
            #expect((object["skipped"] as? [String: Int]) == ["own": 1, "removed": 1, "echo": 1])
            #expect(try await store.decision(for: "c_1")?.action == .reply)
            #expect(try await store.decision(for: "m_1")?.action == .reply)
            #expect(try await store.decision(for: "c_own") == nil)
            #expect(try await store.decision(for: "m_2") == nil)
            let edit = MetaEvents.editID("c_1", text: "What time do you open on Sunday?")
            #expect(try await store.decision(for: edit) != nil)
            let outbox = try await store.outbox(status: nil)
            #expect(outbox.contains { $0.messageID == "c_1" && $0.platform == "facebook" && $0.thread == "page_1_post_9" })
            #expect(outbox.contains { $0.messageID == "m_1" && $0.platform == "messenger" && $0.thread == "psid_7" })
            // Meta retries: the same delivery again decides nothing new.
            let again = try await client.execute(
                uri: "/v1/webhooks/meta", method: .post, headers: Self.signed(body), body: ByteBuffer(string: body))
            #expect(Fixture.json(again.body)["new"] as? Int == 0)
            #expect(try await store.outbox(status: nil).count == outbox.count)
        }
    }

    @Test func instagramCommentsAreMappedAndOwnCommentsSkipped() async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            let body = Self.instagram
            let response = try await client.execute(
                uri: "/v1/webhooks/meta", method: .post, headers: Self.signed(body), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            #expect(Fixture.json(response.body)["new"] as? Int == 1)
            let outbox = try await store.outbox(status: nil)
            #expect(outbox.contains { $0.messageID == "igc_1" && $0.platform == "instagram" && $0.thread == "media_5" })
        }
    }

    @Test func largeBatchesAreOneCommit() async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            let changes = (0..<300).map { Self.feed("bulk_\($0)", Fixture.hoursText) }.joined(separator: ",")
            let body = #"{"object":"page","entry":[{"id":"page_1","time":1,"changes":[\#(changes)]}]}"#
            let response = try await client.execute(
                uri: "/v1/webhooks/meta", method: .post, headers: Self.signed(body), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            #expect(Fixture.json(response.body)["new"] as? Int == 300)
            #expect(try await store.decision(for: "bulk_299") != nil)
        }
    }

    @Test func unsignedOrMissignedDeliveriesAre401() async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            let body = Self.delivery
            let unsigned = try await client.execute(
                uri: "/v1/webhooks/meta", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
            #expect(unsigned.status == .unauthorized)
            let wrong = try await client.execute(
                uri: "/v1/webhooks/meta", method: .post, headers: Self.signed(body, secret: "other"), body: ByteBuffer(string: body))
            #expect(wrong.status == .unauthorized)
            #expect(Fixture.json(wrong.body)["error"] as? String == "bad-signature")
            // the signature covers the raw bytes: the same JSON re-spaced does not verify
            let respaced = body.replacingOccurrences(of: "\n", with: "")
            let moved = try await client.execute(
                uri: "/v1/webhooks/meta", method: .post, headers: Self.signed(body), body: ByteBuffer(string: respaced))
            #expect(moved.status == .unauthorized)
            #expect(try await store.decision(for: "c_1") == nil)
            let malformed = "{\"object\": 1}"
            let bad = try await client.execute(
                uri: "/v1/webhooks/meta", method: .post, headers: Self.signed(malformed), body: ByteBuffer(string: malformed))
            #expect(bad.status == .badRequest)
        }
    }
}
