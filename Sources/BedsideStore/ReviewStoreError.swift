import Foundation

/// Why a store operation was refused. Messages name the item and the conflict, never message text.
public enum ReviewStoreError: Error, LocalizedError, Sendable, Equatable {
    /// No review item has this id.
    case notFound(id: String)
    /// The item is no longer pending: someone else acted first.
    case conflict(id: String, status: ReviewItem.Status, by: String?, at: Date?, attempted: String)
    /// A reply with no text.
    case emptyReply(id: String)
    /// No outbox entry has this idempotency key.
    case unknownDelivery(key: String)
    /// Only a dead-lettered reply can be resent.
    case notFailed(key: String, status: OutboxEntry.Status)
    /// The store cannot be opened or read.
    case unavailable(String)

    /// What went wrong, naming the item.
    public var errorDescription: String? {
        switch self {
        case .notFound(let id):
            return "no review item \(id) (see `bedside queue list`)"
        case .conflict(let id, let status, let by, let at, let attempted):
            var text = "item \(id) is already \(status.rawValue)"
            if let by { text += " by \(by)" }
            if let at { text += " at \(Self.timestamp(at))" }
            let consequence = attempted == "approve" ? "nothing was sent again" : "nothing was changed"
            return "\(text); \(consequence)"
        case .emptyReply(let id):
            return "the reply for item \(id) is empty; nothing was queued"
        case .unknownDelivery(let key):
            return "no outbox entry has the idempotency key \(key)"
        case .notFailed(let key, let status):
            let state = status == .sent ? "was already delivered" : "is still waiting for delivery"
            return "the reply \(key) \(state); only a failed reply can be resent"
        case .unavailable(let detail):
            return "the review store is not available: \(detail)"
        }
    }

    /// ISO 8601 in UTC, to the second, as every message and table prints times.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
