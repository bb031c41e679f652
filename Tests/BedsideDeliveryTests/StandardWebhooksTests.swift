import BedsideDelivery
import Foundation
import Testing

struct StandardWebhooksTests {
    @Test func signsTheSpecificationsTestVector() throws {
        let signer = try StandardWebhooks(secret: vectorSecret)
        let signature = signer.signature(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Data(#"{"test": 2432232314}"#.utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func verifiesItsOwnSignatureAndRejectsTampering() throws {
        let signer = try StandardWebhooks(secret: vectorSecret)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let body = Data(#"{"text":"hello"}"#.utf8)
        let header = "v1,bm90LWl0 " + signer.signature(id: "k1", timestamp: 1_700_000_000, body: body)
        #expect(signer.verify(id: "k1", timestamp: "1700000000", body: body, signatureHeader: header, now: now))
        #expect(!signer.verify(id: "k1", timestamp: "1700000000", body: Data(#"{"text":"hellO"}"#.utf8), signatureHeader: header, now: now))
        #expect(!signer.verify(id: "k2", timestamp: "1700000000", body: body, signatureHeader: header, now: now))
        #expect(!signer.verify(id: "k1", timestamp: "1700000000", body: body, signatureHeader: header, now: now.addingTimeInterval(301)))
    }

    /// The timestamp is verified exactly as sent: a signature over `<ts>` does not sign `0<ts>`.
    @Test(arguments: ["01700000000", "+1700000000", " 1700000000", "1700000000 "])
    func aTimestampIsVerifiedAsSent(sent: String) throws {
        let signer = try StandardWebhooks(secret: vectorSecret)
        let body = Data(#"{"text":"hello"}"#.utf8)
        let header = signer.signature(id: "k1", timestamp: 1_700_000_000, body: body)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(signer.verify(id: "k1", timestamp: "1700000000", body: body, signatureHeader: header, now: now))
        #expect(!signer.verify(id: "k1", timestamp: sent, body: body, signatureHeader: header, now: now))
    }

    @Test func rejectsASecretThatIsNotBase64() {
        #expect(throws: StandardWebhooks.SecretError.self) { try StandardWebhooks(secret: "whsec_not base64!") }
    }

    /// The PyPI `standardwebhooks` package, an independent implementation, signs the same bytes alike.
    @Test func agreesWithThePythonPackage() throws {
        let signer = try StandardWebhooks(secret: vectorSecret)
        let cases: [(String, Int, String)] = [
            ("msg_1", 1_700_000_000, #"{"message_id":"fb_1","text":"Thanks — call us on 020 7946 0321"}"#),
            ("0123456789abcdef0123456789abcdef", 1_614_265_330, "{}"),
        ]
        for (id, timestamp, body) in cases {
            let python = try runPython(
                """
                import sys, datetime
                from standardwebhooks.webhooks import Webhook
                print(Webhook(sys.argv[1]).sign(sys.argv[2], datetime.datetime.fromtimestamp(int(sys.argv[3]), tz=datetime.timezone.utc), sys.argv[4]))
                """, arguments: [vectorSecret, id, String(timestamp), body])
            #expect(python == signer.signature(id: id, timestamp: timestamp, body: Data(body.utf8)))
        }
    }
}

/// Runs a Python snippet and returns its trimmed standard output.
func runPython(_ code: String, arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", code] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}
