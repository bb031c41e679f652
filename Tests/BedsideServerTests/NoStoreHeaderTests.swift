import BedsideCore
import BedsideStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BedsideServer

/// Answers that carry patient text are never cached or sniffed, on a live server.
struct NoStoreHeaderTests {
    static func expectNoStore(_ response: TestResponse, _ what: String) {
        #expect(response.headers[.cacheControl] == "no-store", "\(what)")
        #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(what)")
    }

    @Test func messagesQueueAndItemAnswersAreNotStored() async throws {
        try await Fixture.withServer(store: MemoryReviewStore()) { client in
            let body = Fixture.message(Fixture.reviewText, id: "ns_1")
            let posted = try await client.execute(
                uri: "/v1/messages", method: .post, headers: Fixture.signed(body), body: ByteBuffer(string: body))
            #expect(posted.status == .ok)
            Self.expectNoStore(posted, "POST /v1/messages")
            let queueID = try #require(Fixture.json(posted.body)["queue_id"] as? String)
            let list = try await client.execute(uri: "/v1/queue", method: .get, headers: ReviewAPITests.bearer(Fixture.reviewerToken))
            #expect(list.status == .ok)
            Self.expectNoStore(list, "GET /v1/queue")
            let item = try await client.execute(
                uri: "/v1/queue/\(queueID)", method: .get, headers: ReviewAPITests.bearer(Fixture.reviewerToken))
            #expect(item.status == .ok)
            Self.expectNoStore(item, "GET /v1/queue/ID")
            let refused = try await client.execute(uri: "/v1/queue", method: .get)
            #expect(refused.status == .unauthorized)
            Self.expectNoStore(refused, "an error answer")
        }
    }
}
