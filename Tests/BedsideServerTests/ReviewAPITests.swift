import BedsideCore
import BedsideStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BedsideServer

struct ReviewAPITests {
    static func bearer(_ token: String, json: Bool = false) -> HTTPFields {
        var fields: HTTPFields = [.authorization: "Bearer \(token)"]
        if json { fields[.contentType] = "application/json" }
        return fields
    }

    /// Posts a message that goes to review; returns its queue id.
    static func queue(_ client: any TestClientProtocol, id: String) async throws -> String {
        let body = Fixture.message(Fixture.reviewText, id: id)
        let response = try await client.execute(
            uri: "/v1/messages", method: .post, headers: Fixture.signed(body), body: ByteBuffer(string: body))
        return try #require(Fixture.json(response.body)["queue_id"] as? String)
    }

    @Test func tokensAreRequired() async throws {
        try await Fixture.withServer(store: MemoryReviewStore()) { client in
            let none = try await client.execute(uri: "/v1/queue", method: .get)
            #expect(none.status == .unauthorized)
            #expect(Fixture.json(none.body)["error"] as? String == "missing-token")
            let wrong = try await client.execute(uri: "/v1/queue", method: .get, headers: Self.bearer("bst_wrong"))
            #expect(wrong.status == .unauthorized)
            #expect(Fixture.json(wrong.body)["error"] as? String == "bad-token")
        }
    }

    @Test func listShowApproveThenConflict() async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            let id = try await Self.queue(client, id: "r_1")
            let list = try await client.execute(uri: "/v1/queue", method: .get, headers: Self.bearer(Fixture.reviewerToken))
            #expect(list.status == .ok)
            #expect(Fixture.jsonArray(list.body).map { $0["id"] as? String } == [id])
            let shown = try await client.execute(uri: "/v1/queue/\(id)", method: .get, headers: Self.bearer(Fixture.reviewerToken))
            #expect(shown.status == .ok)
            #expect((Fixture.json(shown.body)["history"] as? [Any])?.count == 1)
            let reply = #"{"reply": "Thank you for getting in touch. Please call us on 020 7946 0321 so we can help."}"#
            let approved = try await client.execute(
                uri: "/v1/queue/\(id)/approve", method: .post, headers: Self.bearer(Fixture.reviewerToken, json: true),
                body: ByteBuffer(string: reply))
            #expect(approved.status == .ok)
            let item = Fixture.json(approved.body)
            #expect(item["decided_by"] as? String == "sam")
            #expect(["approved", "edited"].contains(item["status"] as? String))
            let again = try await client.execute(
                uri: "/v1/queue/\(id)/reject", method: .post, headers: Self.bearer(Fixture.adminToken, json: true),
                body: ByteBuffer(string: #"{"reason":"dup"}"#))
            #expect(again.status == .conflict)
            #expect(Fixture.json(again.body)["error"] as? String == "conflict")
            #expect(try await store.outbox(status: nil).filter { $0.kind == "approved" }.count == 1)
            let missing = try await client.execute(
                uri: "/v1/queue/q_nothing/approve", method: .post, headers: Self.bearer(Fixture.reviewerToken))
            #expect(missing.status == .notFound)
        }
    }

    @Test func guardRefusalIs422AndOnlyAdminsOverride() async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            let id = try await Self.queue(client, id: "r_2")
            let risky =
                #"{"reply": "Sorry about your appointment and your treatment last week.", "override": "patient consented in writing"}"#
            let plain = #"{"reply": "Sorry about your appointment and your treatment last week."}"#
            let refused = try await client.execute(
                uri: "/v1/queue/\(id)/approve", method: .post, headers: Self.bearer(Fixture.reviewerToken, json: true),
                body: ByteBuffer(string: plain))
            #expect(refused.status == .unprocessableContent)
            let object = Fixture.json(refused.body)
            #expect(object["error"] as? String == "reply-guard")
            #expect(!((object["reasons"] as? [String]) ?? []).isEmpty)
            let reviewer = try await client.execute(
                uri: "/v1/queue/\(id)/approve", method: .post, headers: Self.bearer(Fixture.reviewerToken, json: true),
                body: ByteBuffer(string: risky))
            #expect(reviewer.status == .forbidden)
            let admin = try await client.execute(
                uri: "/v1/queue/\(id)/approve", method: .post, headers: Self.bearer(Fixture.adminToken, json: true),
                body: ByteBuffer(string: risky))
            #expect(admin.status == .ok)
            let history = try await store.history(id)
            #expect(history.last?.actor == "alex")
            #expect(history.last?.override == "patient consented in writing")
        }
    }

    @Test func rejectRecordsTheActor() async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            let id = try await Self.queue(client, id: "r_3")
            let rejected = try await client.execute(
                uri: "/v1/queue/\(id)/reject", method: .post, headers: Self.bearer(Fixture.reviewerToken, json: true),
                body: ByteBuffer(string: #"{"reason":"spam"}"#))
            #expect(rejected.status == .ok)
            #expect(try await store.item(id)?.status == .rejected)
            #expect(try await store.item(id)?.decidedBy == "sam")
        }
    }

    @Test func aRejectionWithoutAReasonIsRefusedAsOnTheCommandLine() async throws {
        let store = try Fixture.sqliteStore()
        try await Fixture.withServer(store: store) { client in
            let id = try await Self.queue(client, id: "r_4")
            for body in ["", #"{}"#, #"{"reason":"   "}"#] {
                let refused = try await client.execute(
                    uri: "/v1/queue/\(id)/reject", method: .post, headers: Self.bearer(Fixture.reviewerToken, json: true),
                    body: ByteBuffer(string: body))
                #expect(refused.status == .unprocessableContent, "\(body)")
                #expect(Fixture.json(refused.body)["error"] as? String == "reason-required")
            }
            #expect(try await store.item(id)?.status == .pending)
        }
    }

    @Test func assigningWorksFromTheAPI() async throws {
        let store = try Fixture.sqliteStore()
        try await Fixture.withServer(store: store) { client in
            let id = try await Self.queue(client, id: "r_5")
            let handed = try await client.execute(
                uri: "/v1/queue/\(id)/assign", method: .post, headers: Self.bearer(Fixture.reviewerToken, json: true),
                body: ByteBuffer(string: #"{"to":"alex"}"#))
            #expect(handed.status == .ok)
            #expect(Fixture.json(handed.body)["assignee"] as? String == "alex")
            let taken = try await client.execute(uri: "/v1/queue/\(id)/assign", method: .post, headers: Self.bearer(Fixture.adminToken))
            #expect(taken.status == .ok)
            #expect(try await store.item(id)?.assignee == "alex")
            let notes = try await store.history(id).filter { $0.action == .assigned }.map { "\($0.actor): \($0.note ?? "")" }
            #expect(notes == ["sam: to alex", "alex: from alex to alex"])
            let anonymous = try await client.execute(uri: "/v1/queue/\(id)/assign", method: .post)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func anOverrideIsAuditedAsCheckAndReasonWithoutTheWordsFound() async throws {
        let store = try Fixture.sqliteStore()
        try await Fixture.withServer(store: store) { client in
            let id = try await Self.queue(client, id: "r_6")
            let risky = #"{"reply": "Sorry about your appointment and your treatment last week.", "override": "agreed with the writer"}"#
            let admin = try await client.execute(
                uri: "/v1/queue/\(id)/approve", method: .post, headers: Self.bearer(Fixture.adminToken, json: true),
                body: ByteBuffer(string: risky))
            #expect(admin.status == .ok)
            let entry = try #require(try await store.history(id).last { $0.action == .edited })
            let note = try #require(entry.note)
            #expect(note.hasPrefix("reply guard: "))
            for finding in note.dropFirst("reply guard: ".count).components(separatedBy: "; ") {
                #expect(finding.wholeMatch(of: /[a-z0-9-]+: [^"(]+/) != nil, "\(finding)")
            }
        }
    }
}
