/// One message posted to or about the practice: a comment, review, mention or direct message.
///
/// Only `text` is required; everything else is what the platform told us about it.
public struct Message: Sendable, Hashable, Codable {
    /// The platform's id for the message, or `line-N` for the Nth input line without one.
    public var id: String
    /// What the person wrote. Personal health data: never logged at info level.
    public var text: String
    /// The writer's handle or display name, if known.
    public var author: String?
    /// Where it was posted (`facebook`, `instagram`, `messenger`, `google`, `x`, `forum`, …).
    public var platform: String?
    /// How it reached the practice: `direct`, `comment`, `review`, `mention` (addressed to the
    /// practice) or `listening` (a post the practice only monitors); see ``Policy/channel(of:)``.
    public var channel: String?
    /// The conversation or post the message belongs to.
    public var thread: String?
    /// A link to the message on its platform.
    public var url: String?
    /// When it was posted, as the platform reported it (ISO 8601).
    public var createdAt: String?
    /// The id of the webhook delivery that carried it (`webhook-id`), when one did. A delivery id
    /// seen before is the same delivery again, whatever its body holds: it is never decided twice.
    public var deliveryID: String? = nil

    /// Creates a message.
    public init(
        id: String, text: String, author: String? = nil, platform: String? = nil,
        thread: String? = nil, url: String? = nil, createdAt: String? = nil, channel: String? = nil
    ) {
        self.channel = channel
        self.id = id
        self.text = text
        self.author = author
        self.platform = platform
        self.thread = thread
        self.url = url
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, text, author, platform, channel, thread, url
        case createdAt = "created_at"
    }
}
