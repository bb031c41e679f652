import Foundation

/// What became of one reply, for staff: `queued`, `sent`, `retrying` or `failed`, with the
/// platform's answer. Never the reply's text (the item carries it).
public struct DeliveryState: Sendable, Hashable, Codable {
    /// `reply`, `holding` or `approved`.
    public var kind: String
    /// The idempotency key (what `bedside deliver --retry` takes).
    public var key: String
    /// `queued` (not tried yet), `retrying` (an attempt failed; another is due), `sent` or `failed`.
    public var state: String
    /// Attempts made.
    public var attempts: Int
    /// The last failure, as recorded (`attempt 1: HTTP 400 …; not retried`).
    public var lastError: String?

    /// The state of an outbox entry.
    public init(_ entry: OutboxEntry) {
        kind = entry.kind
        key = entry.idempotencyKey
        attempts = entry.attempts
        lastError = entry.lastError
        switch entry.status {
        case .sent: state = "sent"
        case .failed: state = "failed"
        case .pending: state = entry.attempts == 0 ? "queued" : "retrying"
        }
    }

    /// One line for a terminal: `sent`, `FAILED (attempt 1: HTTP 400; not retried); resend with …`.
    public var summary: String {
        switch state {
        case "sent": return "sent"
        case "queued": return "queued, not sent yet"
        case "retrying": return "NOT SENT YET, retrying (\(lastError ?? "an attempt failed"))"
        default: return "FAILED, not sent (\(lastError ?? "gave up")); resend with `bedside deliver --retry \(key)`"
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, key, state, attempts
        case lastError = "last_error"
    }
}
