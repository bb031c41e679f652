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

    /// RFC 3339 UTC with whole seconds, as the contract's `created_at` (`2026-12-01T06:45:12Z`).
    ///
    /// Formatted from the calendar fields directly: building an `ISO8601DateFormatter` for every
    /// reply cost `serve` a seventh of its CPU (it opens an ICU date format each time).
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var fields = tm()
        gmtime_r(&seconds, &fields)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = Int(fields.tm_year) + 1900
        let paddedYear = year >= 0 && year < 1000 ? String(repeating: "0", count: 4 - String(year).count) + String(year) : String(year)
        return paddedYear + "-" + two(fields.tm_mon + 1) + "-" + two(fields.tm_mday) + "T" + two(fields.tm_hour) + ":" + two(fields.tm_min)
            + ":" + two(fields.tm_sec) + "Z"
    }
}
