import BedsideDelivery
import BedsideStore
import Foundation
import Testing

@testable import BedsideServer

struct StandardWebhooksVectorTests {
    @Test func domainTestVectorSignsAndVerifies() throws {
        let signer = try StandardWebhooks(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let body = Data(#"{"test": 2432232314}"#.utf8)
        let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        #expect(signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body) == expected)
        let then = Date(timeIntervalSince1970: 1_614_265_330)
        #expect(
            signer.verify(
                id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330", body: body, signatureHeader: "v1,bm90IGl0 " + expected,
                now: then))
        #expect(
            !signer.verify(
                id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330", body: body, signatureHeader: expected,
                now: then.addingTimeInterval(301)))
        #expect(!signer.verify(id: "msg_other", timestamp: "1614265330", body: body, signatureHeader: expected, now: then))
    }

    @Test func staffTokensMatchOnlyTheirHash() {
        let token = StaffToken.generate()
        #expect(token.hasPrefix("bst_") && token.count == 47)
        let tokens = StaffTokens([StaffToken(name: "sam", role: .reviewer, digest: ServerSettings.hexBytes(StaffToken.hash(token))!)])
        #expect(tokens.authenticate(token)?.name == "sam")
        #expect(tokens.authenticate(token + "x") == nil)
        #expect(StaffToken.yamlLine(name: "sam", role: .admin, token: token).contains("role: admin, sha256: \(StaffToken.hash(token))"))
    }
}
