import Crypto
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension ServeProcess {
    /// Starts `bedside serve` with a Meta app secret and verify token, over a scratch copy of the
    /// shipped rulebook.
    static func withMeta(folder: URL) throws -> ServeProcess {
        try ServeProcess(
            folder: folder,
            environment: [
                "BEDSIDE_META_APP_SECRET": Fixture.metaSecret, "BEDSIDE_META_VERIFY_TOKEN": Fixture.verifyToken,
            ])
    }

    /// POSTs a Meta delivery signed with `X-Hub-Signature-256`; returns the status and the answer
    /// (status 0 when the connection failed).
    func postMeta(_ body: String) async -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/webhooks/meta")!)
        request.httpMethod = "POST"
        request.timeoutInterval = 10
        let mac = HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array(Fixture.metaSecret.utf8)))
        request.setValue("sha256=" + mac.map { String(format: "%02x", $0) }.joined(), forHTTPHeaderField: "X-Hub-Signature-256")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body.utf8)
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, object)
        } catch {
            return (0, [:])
        }
    }
}
