import BedsideStore
import Foundation

/// The JSON object that describes one reply: a line of `outbox.jsonl` and the body of a webhook POST.
///
/// `{"created_at":…,"idempotency_key":…,"kind":…,"message_id":…,"platform":…,"queue_id":…,"text":…,"thread":…}`
/// with keys sorted; `platform`, `thread` and `queue_id` are `null` when unknown.
public struct ReplyPayload: Encodable, Sendable {
    /// The message answered.
    public var messageID: String
    /// The reply text.
    public var text: String
    /// The platform to answer on.
    public var platform: String?
    /// The thread to answer in (for Messenger: the recipient's id).
    public var thread: String?
    /// The same on every attempt and every re-append: consumers deduplicate by it.
    public var idempotencyKey: String
    /// The review item, when the reply came from the queue.
    public var queueID: String?
    /// `reply`, `holding` or `approved`.
    public var kind: String
    /// When the reply was queued.
    public var createdAt: Date

    /// The payload of an outbox entry.
    public init(_ entry: OutboxEntry) {
        messageID = entry.messageID
        text = entry.text
        platform = entry.platform
        thread = entry.thread
        idempotencyKey = entry.idempotencyKey
        queueID = entry.queueID
        kind = entry.kind
        createdAt = entry.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id", text, platform, thread, idempotencyKey = "idempotency_key"
        case queueID = "queue_id", kind, createdAt = "created_at"
    }

    /// Encodes the payload as the webhook connector posts it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(messageID, forKey: .messageID)
        try container.encode(text, forKey: .text)
        try container.encode(platform, forKey: .platform)
        try container.encode(thread, forKey: .thread)
        try container.encode(idempotencyKey, forKey: .idempotencyKey)
        try container.encode(queueID, forKey: .queueID)
        try container.encode(kind, forKey: .kind)
        try container.encode(Self.timestamp(createdAt), forKey: .createdAt)
    }

    /// The JSON bytes, without a trailing newline.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and optionals cannot fail.
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    /// RFC 3339 UTC with seconds, as the contract's `created_at`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
