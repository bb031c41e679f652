import Crypto
import Foundation

/// Signs and verifies per Standard Webhooks: `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`,
/// keyed with the base64 bytes after `whsec_`.
public struct StandardWebhooks: Sendable {
    /// The secret was not `whsec_` followed by base64.
    public struct SecretError: Error, Sendable, CustomStringConvertible {
        /// Why a signature was refused, without the secret or the body.
        public var description: String { "a Standard Webhooks secret is 'whsec_' followed by base64" }
    }

    private let key: SymmetricKey

    /// Creates a signer from a `whsec_…` secret (the prefix is optional).
    public init(secret: String) throws(SecretError) {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        guard let bytes = Data(base64Encoded: encoded), !bytes.isEmpty else { throw SecretError() }
        key = SymmetricKey(data: bytes)
    }

    /// The `webhook-signature` header value for one message.
    public func signature(id: String, timestamp: Int, body: Data) -> String {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: key)
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The three headers for one message sent at `timestamp` (Unix seconds).
    public func headers(id: String, timestamp: Int, body: Data) -> [String: String] {
        [
            "webhook-id": id, "webhook-timestamp": String(timestamp),
            "webhook-signature": signature(id: id, timestamp: timestamp, body: body),
        ]
    }

    /// Whether any `v1,` token of `signatureHeader` matches, in constant time, and the timestamp is
    /// within `tolerance` seconds of `now`.
    public func verify(
        id: String, timestamp: String, body: Data, signatureHeader: String, now: Date = Date(), tolerance: TimeInterval = 300
    ) -> Bool {
        // The header is signed exactly as sent: `0<ts>` or `+<ts>` is not `<ts>`.
        guard !timestamp.isEmpty, timestamp.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let seconds = Int(timestamp),
            abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance
        else { return false }
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(body)
        var matched = false
        for token in signatureHeader.split(separator: " ") where token.hasPrefix("v1,") {
            guard let mac = Data(base64Encoded: String(token.dropFirst(3))) else { continue }
            if HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: content, using: key) { matched = true }
        }
        return matched
    }
}
