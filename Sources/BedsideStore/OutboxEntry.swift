import Foundation

/// One reply waiting to be sent (or sent, or given up on).
public struct OutboxEntry: Sendable, Hashable, Codable {
    /// Delivery state.
    public enum Status: String, Sendable, Codable {
        /// Waiting for (another) attempt.
        case pending
        /// Delivered.
        case sent
        /// Dead-lettered after the last attempt failed; a person must look.
        case failed
    }

    /// The idempotency key: unique per reply, sent with every attempt so a retry never posts twice.
    public var idempotencyKey: String
    /// The review item it answers, when it came from the queue.
    public var queueID: String?
    /// The message it answers.
    public var messageID: String
    /// The reply text (already through the reply guard).
    public var text: String
    /// The platform to answer on (`facebook`, `instagram`, `messenger`, …), if known.
    public var platform: String?
    /// The thread or post to answer in, if known.
    public var thread: String?
    /// `reply` (automatic), `holding` (urgent holding reply) or `approved` (by staff).
    public var kind: String
    /// Attempts made so far.
    public var attempts: Int
    /// When the next attempt is due.
    public var nextAttemptAt: Date
    /// Current state.
    public var status: Status
    /// The last error, for people.
    public var lastError: String?
    /// When it was queued.
    public var createdAt: Date

    /// Creates an entry.
    public init(
        idempotencyKey: String, queueID: String?, messageID: String, text: String, platform: String?, thread: String?,
        kind: String, attempts: Int = 0, nextAttemptAt: Date, status: Status = .pending, lastError: String? = nil, createdAt: Date
    ) {
        self.idempotencyKey = idempotencyKey
        self.queueID = queueID
        self.messageID = messageID
        self.text = text
        self.platform = platform
        self.thread = thread
        self.kind = kind
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.status = status
        self.lastError = lastError
        self.createdAt = createdAt
    }
}
