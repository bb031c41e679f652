import BedsideCore
import BedsideStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import BedsideServer

/// The smaller server items of issue 9 (item 14), on a live server.
struct ServerEdgeTests {
    /// A signature over `<ts>` does not sign `webhook-timestamp: 0<ts>`: the header is verified as sent.
    @Test func aPaddedTimestampIsRefused() async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            let body = Fixture.message(Fixture.hoursText, id: "ts_1")
            var headers = Fixture.signed(body, id: "msg_ts")
            let sent = try #require(headers[HTTPField.Name("webhook-timestamp")!])
            headers[HTTPField.Name("webhook-timestamp")!] = "0" + sent
            let response = try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .unauthorized)
            #expect(try await store.decision(for: "ts_1") == nil)
        }
    }

    @Test func commitTimesAreRecorded() async throws {
        try await Fixture.withServer(store: MemoryReviewStore()) { client in
            let body = Fixture.message(Fixture.hoursText, id: "cm_1")
            _ = try await client.execute(uri: "/v1/messages", method: .post, headers: Fixture.signed(body), body: ByteBuffer(string: body))
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            let count = metrics.split(separator: "\n").first { $0.hasPrefix("bedside_commit_seconds_count") }
            #expect(count.map { !$0.hasSuffix(" 0") } == true, "\(count ?? "no bedside_commit_seconds_count")")
        }
    }
}
