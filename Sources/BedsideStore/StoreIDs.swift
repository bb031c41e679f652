import BedsideCore
import Crypto
import Foundation

/// How the store names things: queue ids, idempotency keys, and which message ids are run-local.
public enum StoreIDs {
    /// Crockford's base32 alphabet in lower case: no i, l, o or u to misread.
    static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

    /// A new queue id: `q_` and 8 base32 characters (40 random bits), e.g. `q_7k2m9xqd`.
    public static func newQueueID() -> String {
        var generator = SystemRandomNumberGenerator()
        var value = generator.next() as UInt64
        var out = "q_"
        for _ in 0..<8 {
            out.append(alphabet[Int(value & 31)])
            value >>= 5
        }
        return out
    }

    /// The idempotency key of one reply: the first 32 hex digits of SHA-256 over the message id,
    /// the kind (`reply`, `holding`, `approved`) and the text. The same reply always gets the same
    /// key, so a retry (or a second attempt to queue it) never posts twice.
    public static func idempotencyKey(messageID: String, kind: String, text: String) -> String {
        var hasher = SHA256()
        for part in [messageID, kind, text] {
            hasher.update(data: Array(part.utf8))
            hasher.update(data: [0])
        }
        return hasher.finalize().prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// True for ids `bedside run` made up (`line-N`): they name a line of one run, not a message,
    /// so they are never matched against earlier runs as duplicates.
    public static func isRunLocal(_ messageID: String) -> Bool {
        guard messageID.hasPrefix("line-") else { return false }
        let digits = messageID.dropFirst(5)
        return !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }

    /// The id under which a decision blocks later ones for the same message, or `nil` when it does
    /// not (run-local ids, and `error` decisions, which a corrected message may follow).
    static func dedupKey(_ decision: Decision) -> String? {
        if decision.action == .error || isRunLocal(decision.id) { return nil }
        return decision.id
    }
}
