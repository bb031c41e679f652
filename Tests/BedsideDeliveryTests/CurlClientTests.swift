import BedsideDelivery
import Foundation
import Testing

/// The libcurl client against the local stand-in: what it sends, what it refuses, how it fails.
@Suite(.serialized)
struct CurlClientTests {
    @Test func sendsTheBodyAndHeadersAsGivenAndReadsTheAnswer() async throws {
        let standIn = try StandIn(routes: ["/hook": [["status": 202, "body": "accepted"]]])
        let body = Data(#"{"text":"héllo"}"#.utf8)
        let request = HTTPRequest(
            url: standIn.url("/hook"), headers: ["content-type": "application/json", "x-probe": "1"], body: body, timeout: 5)
        let client = CurlClient()
        for _ in 0..<3 {
            let response = try await client.send(request)
            #expect(response.status == 202)
            #expect(String(decoding: response.body, as: UTF8.self) == "accepted")
        }
        let logged = standIn.requests()
        #expect(logged.count == 3)
        #expect(logged.allSatisfy { $0.body == #"{"text":"héllo"}"# && $0.headers["x-probe"] == "1" && $0.headers["expect"] == nil })
    }

    @Test func aResponseOverTheLimitIsRefused() async throws {
        let standIn = try StandIn(routes: ["/big": [["status": 200, "body": String(repeating: "x", count: CurlClient.responseLimit + 1)]]])
        await #expect(throws: HTTPClientError.self) {
            try await CurlClient().send(HTTPRequest(url: standIn.url("/big"), body: Data(), timeout: 10))
        }
        do {
            _ = try await CurlClient().send(HTTPRequest(url: standIn.url("/big"), body: Data(), timeout: 10))
        } catch {
            #expect(error.description == "response larger than \(CurlClient.responseLimit) bytes")
        }
    }

    @Test func aRefusedConnectionAndAStrangeSchemeSayWhatHappenedWithoutTheURL() async throws {
        let secretPath = "/services/T000/B000/secretPathPart"
        for (url, expected) in [
            ("http://127.0.0.1:9\(secretPath)", "connection refused"), ("ftp://127.0.0.1\(secretPath)", "only http and https are allowed"),
        ] {
            do {
                _ = try await CurlClient().send(HTTPRequest(url: URL(string: url)!, body: Data("{}".utf8), timeout: 5))
                Issue.record("\(url) answered")
            } catch {
                #expect(error.description == expected)
                #expect(!error.description.contains("secretPathPart"))
            }
        }
    }

    @Test func aHeaderCannotCarryAnotherOne() async throws {
        let standIn = try StandIn(routes: ["/hook": [["status": 200]]])
        await #expect(throws: HTTPClientError.self) {
            try await CurlClient().send(HTTPRequest(url: standIn.url("/hook"), headers: ["x-a": "1\r\nx-b: 2"], body: Data(), timeout: 5))
        }
        #expect(standIn.requests().isEmpty)
    }
}
