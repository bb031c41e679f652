import Crypto
import Foundation

/// One member of staff, as configured in `bedside.yaml` `tokens:`: who they are and their role on
/// the review API, the console and `bedside queue` alike.
///
/// Only the SHA-256 of the token is configured; the token itself is shown once by `bedside token new`.
public struct StaffToken: Sendable, Hashable {
    /// What a token may do.
    public enum Role: String, Sendable, Hashable, CaseIterable {
        /// List, show, approve, edit, reject and assign queue items.
        case reviewer
        /// A reviewer who may also override the reply guard with a recorded justification.
        case admin
    }

    /// The person's name, recorded as the actor of everything they do.
    public var name: String
    /// What they may do.
    public var role: Role
    /// The SHA-256 of the token, 32 bytes.
    public var digest: [UInt8]

    /// Creates a token entry.
    public init(name: String, role: Role, digest: [UInt8]) {
        self.name = name
        self.role = role
        self.digest = digest
    }

    /// A fresh random token: `bst_` and 43 base64url characters (256 bits).
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        for _ in 0..<4 {
            let word = generator.next() as UInt64
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        let encoded = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "bst_" + encoded
    }

    /// The lower-case hex SHA-256 of a token, as configured.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The line to paste under `tokens:` in `bedside.yaml`.
    public static func yamlLine(name: String, role: Role, token: String) -> String {
        "  - {name: \(name), role: \(role.rawValue), sha256: \(hash(token))}"
    }
}

/// The configured staff tokens; finds the one a bearer token belongs to.
public struct StaffTokens: Sendable {
    /// Every configured token.
    public let tokens: [StaffToken]

    /// Creates the list.
    public init(_ tokens: [StaffToken]) { self.tokens = tokens }

    /// The staff member whose token this is, or `nil`. Compares every digest in constant time.
    public func authenticate(_ presented: String) -> StaffToken? {
        let digest = Array(SHA256.hash(data: Array(presented.utf8)))
        var found: StaffToken?
        for token in tokens where Self.constantTimeEqual(token.digest, digest) { found = token }
        return found
    }

    /// Compares two byte strings without stopping at the first difference.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
