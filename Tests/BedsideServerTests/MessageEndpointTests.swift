import BedsideCore
import BedsideDelivery
import BedsideStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BedsideServer

struct MessageEndpointTests {
    @Test func signedMessageIsAnsweredWithItsRecordedDecision() async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            let body = Fixture.message(Fixture.hoursText, id: "fb_1")
            let response = try await client.execute(
                uri: "/v1/messages", method: .post, headers: Fixture.signed(body), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let expected = Classifier(rulebook: Fixture.rulebook).decide(Message(id: "fb_1", text: Fixture.hoursText, platform: "facebook"))
            #expect(String(buffer: response.body) == expected.jsonLine)
            #expect(try await store.decision(for: "fb_1") == expected)
        }
    }

    @Test func reviewIsQueuedBeforeTheAnswer() async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            let body = Fixture.message(Fixture.reviewText, id: "fb_2")
            let response = try await client.execute(
                uri: "/v1/messages", method: .post, headers: Fixture.signed(body), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            let object = Fixture.json(response.body)
            #expect(object["action"] as? String == "review")
            let queueID = try #require(object["queue_id"] as? String)
            #expect(try await store.item(queueID)?.messageID == "fb_2")
        }
    }

    @Test func repeatedWebhookIDReturnsTheFirstDecisionAndRecordsNothingMore() async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            let body = Fixture.message(Fixture.reviewText)
            let headers = Fixture.signed(body, id: "msg_repeat")
            let first = try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: body))
            let second = try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(first.status == .ok && second.status == .ok)
            #expect(String(buffer: first.body) == String(buffer: second.body))
            #expect(Fixture.json(first.body)["id"] as? String == "msg_repeat")
            #expect(try await store.items(ReviewFilter()).count == 1)
            #expect(try await store.outbox(status: nil).count <= 1)
        }
    }

    @Test func concurrentDeliveriesAreEachRecordedOnce() async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        let body = Fixture.message(i % 2 == 0 ? Fixture.hoursText : Fixture.reviewText, id: "c_\(i % 20)")
                        let response = try await client.execute(
                            uri: "/v1/messages", method: .post, headers: Fixture.signed(body, id: "wh_\(i % 20)"),
                            body: ByteBuffer(string: body))
                        #expect(response.status == .ok)
                    }
                }
                try await group.waitForAll()
            }
            for i in 0..<20 { #expect(try await store.decision(for: "c_\(i)") != nil) }
        }
    }

    @Test func pythonStandardWebhooksSignatureIsAccepted() async throws {
        try await Fixture.withServer(store: MemoryReviewStore()) { client in
            let body = Fixture.message(Fixture.hoursText, id: "py_1")
            let script = """
                import sys, json, datetime
                from standardwebhooks import Webhook
                now = datetime.datetime.now(tz=datetime.timezone.utc)
                sig = Webhook(sys.argv[1]).sign("msg_py_1", now, sys.argv[2])
                print(json.dumps({"ts": str(int(now.timestamp())), "sig": sig}))
                """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script, Fixture.secret, body]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let signed = try #require(try JSONSerialization.jsonObject(with: output) as? [String: String])
            var headers: HTTPFields = [.contentType: "application/json"]
            headers[HTTPField.Name("webhook-id")!] = "msg_py_1"
            headers[HTTPField.Name("webhook-timestamp")!] = signed["ts"]!
            headers[HTTPField.Name("webhook-signature")!] = "v1,AAAA " + signed["sig"]!
            let response = try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            #expect(Fixture.json(response.body)["action"] as? String == "reply")
        }
    }

    enum Bad: String, CaseIterable {
        case noHeaders, badSignature, staleTimestamp, futureTimestamp, wrongSecret, wrongContentType, malformedJSON, notAnObject,
            missingText, tooLarge
    }

    @Test(arguments: Bad.allCases)
    func badInputIsAClearJSONError(_ bad: Bad) async throws {
        let store = MemoryReviewStore()
        try await Fixture.withServer(store: store) { client in
            var body = Fixture.message("my private health details", id: "bad_1")
            var headers = Fixture.signed(body)
            let expected: (HTTPResponse.Status, String)
            switch bad {
            case .noHeaders:
                headers = [.contentType: "application/json"]
                expected = (.unauthorized, "missing-signature")
            case .badSignature:
                headers[HTTPField.Name("webhook-signature")!] = "v1,bm90IGEgc2lnbmF0dXJl"
                expected = (.unauthorized, "bad-signature")
            case .staleTimestamp:
                headers = Fixture.signed(body, timestamp: Int(Date().timeIntervalSince1970) - 301)
                expected = (.unauthorized, "stale-timestamp")
            case .futureTimestamp:
                headers = Fixture.signed(body, timestamp: Int(Date().timeIntervalSince1970) + 400)
                expected = (.unauthorized, "stale-timestamp")
            case .wrongSecret:
                let other = try StandardWebhooks(secret: "whsec_" + Data("another secret key!!".utf8).base64EncodedString())
                headers[HTTPField.Name("webhook-signature")!] = other.signature(
                    id: headers[HTTPField.Name("webhook-id")!]!, timestamp: Int(headers[HTTPField.Name("webhook-timestamp")!]!)!,
                    body: Data(body.utf8))
                expected = (.unauthorized, "bad-signature")
            case .wrongContentType:
                headers[.contentType] = "text/plain"
                expected = (.unsupportedMediaType, "not-json")
            case .malformedJSON:
                body = #"{"text": "my private health details""#
                headers = Fixture.signed(body)
                expected = (.badRequest, "invalid-json")
            case .notAnObject:
                body = #"["my private health details"]"#
                headers = Fixture.signed(body)
                expected = (.badRequest, "invalid-json")
            case .missingText:
                body = #"{"id": "x1", "author": "someone"}"#
                headers = Fixture.signed(body)
                expected = (.badRequest, "missing-text")
            case .tooLarge:
                body = Fixture.message(String(repeating: "a", count: (1 << 20) + 10), id: "big")
                headers = Fixture.signed(body)
                expected = (.contentTooLarge, "too-large")
            }
            let response = try await client.execute(uri: "/v1/messages", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == expected.0)
            #expect(response.headers[.contentType] == "application/json")
            let object = Fixture.json(response.body)
            #expect(object["error"] as? String == expected.1)
            #expect(object["detail"] is String)
            let text = String(buffer: response.body)
            #expect(!text.contains("private health"))
            #expect(!text.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
            #expect(try await store.decision(for: "bad_1") == nil)
        }
    }

    @Test func unknownRouteIsJSON404() async throws {
        try await Fixture.withServer(store: MemoryReviewStore()) { client in
            let response = try await client.execute(uri: "/v1/nothing-here", method: .get)
            #expect(response.status == .notFound)
            #expect(Fixture.json(response.body)["error"] as? String == "not-found")
            // It points at a document that ships with the project.
            #expect(
                Fixture.json(response.body)["detail"] as? String
                    == "no such endpoint; the routes are listed in README.md, \"Running the receiver\"")
        }
    }

    @Test func overloadIs429WithRetryAfter() async throws {
        try await Fixture.withServer(store: MemoryReviewStore(), { $0.maxInFlight = 0 }) { client in
            let body = Fixture.message(Fixture.hoursText)
            let response = try await client.execute(
                uri: "/v1/messages", method: .post, headers: Fixture.signed(body), body: ByteBuffer(string: body))
            #expect(response.status == .tooManyRequests)
            #expect(response.headers[.retryAfter] == "1")
            #expect(Fixture.json(response.body)["error"] as? String == "overloaded")
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"bedside_rejected_total{reason="overloaded",endpoint="messages"} 1"#), "\(metrics)")
        }
    }

    @Test func withoutASecretNothingIsAccepted() async throws {
        try await Fixture.withServer(store: MemoryReviewStore(), { $0.webhookSecret = nil }) { client in
            let body = Fixture.message(Fixture.hoursText)
            let response = try await client.execute(
                uri: "/v1/messages", method: .post, headers: Fixture.signed(body), body: ByteBuffer(string: body))
            #expect(response.status == .unauthorized)
        }
    }

    @Test func slowBodyIsCutOffWith408() async throws {
        let environment = ServerEnvironment(
            settings: Fixture.settings { $0.readTimeout = 0.5 }, rulebook: Fixture.rulebook, store: MemoryReviewStore(),
            logger: Fixture.logger)
        let app = try buildApplication(environment)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let connection = try RawConnection(port: port)
            let body = Fixture.message(Fixture.hoursText)
            var head =
                "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
            for field in Fixture.signed(body) where field.name != .contentType { head += "\(field.name.rawName): \(field.value)\r\n" }
            connection.send(head + "\r\n" + String(body.prefix(5)))
            let start = ContinuousClock.now
            let answer = connection.receiveAll()
            #expect(answer.hasPrefix("HTTP/1.1 408"))
            #expect(answer.contains("read-timeout"))
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }
}
