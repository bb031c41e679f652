import BedsideStore
import Foundation

/// What one delivery attempt came to.
public enum DeliveryOutcome: Sendable, Hashable {
    /// Delivered; `response` is a short note for the store (status, the platform's id), never reply text.
    case delivered(response: String?)
    /// Worth trying again (5xx, 408, 429, timeout, connection error).
    case retry(reason: String)
    /// Never worth trying again (other 4xx, a reply that cannot be addressed): dead-letter now.
    case permanent(reason: String)

    /// The outcome of an HTTP status: 2xx delivered, 408/429/5xx retry, anything else permanent.
    /// `detail` is appended to the reason of a failure (never the body of the reply).
    public static func of(status: Int, delivered response: String? = nil, detail: String? = nil) -> DeliveryOutcome {
        let reason = "HTTP \(status)" + (detail.map { " (\($0))" } ?? "")
        switch status {
        case 200..<300: return .delivered(response: response ?? "HTTP \(status)")
        case 408, 429, 500..<600: return .retry(reason: reason)
        default: return .permanent(reason: reason)
        }
    }
}

/// Sends one reply somewhere. Every attempt for an entry carries the same idempotency key.
public protocol Connector: Sendable {
    /// A short name for summaries (`outbox-file`, `webhook`, `meta`).
    var name: String { get }
    /// Tries once to deliver `entry`. Never throws: every failure is an outcome.
    func deliver(_ entry: OutboxEntry) async -> DeliveryOutcome
}

/// A connector that can also take many entries as one unit, much more cheaply than one by one (the
/// outbox file: one append and one `fsync` for all of them). ``Deliverer`` claims up to its batch size
/// at once for such a connector and records a delivered batch in one store transaction.
public protocol BatchConnector: Connector {
    /// Tries once to deliver every entry, in order, as one unit: `.delivered` means all of them were;
    /// a failure applies to each of them. Never throws.
    func deliver(batch entries: [OutboxEntry]) async -> DeliveryOutcome
}

/// A connector could not be set up (a missing secret, an unreadable path). Never quotes a secret's value.
public struct ConnectorSetupError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and how to fix it.
    public var description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
