import BedsideCore
import Foundation

extension MetaEvents {
    /// The prefix of `thread` for an Instagram direct message: the reply goes to the sender through
    /// the page's messages, not under a comment.
    static let instagramDirect = "direct:"

    /// Messaging events that carry no one's words, skipped under their own name.
    static let signalEvents = ["postback", "read", "delivery", "reaction", "optin", "referral", "account_linking"]

    /// A Messenger or Instagram direct message. Text is decided; a message with only attachments (a
    /// picture, a story mention) goes to a person; the page's own echoes, receipts and button taps
    /// are skipped.
    static func directMessage(_ event: [String: Any], platform: String, ownID: String?, into batch: inout Batch) {
        guard let message = event["message"] as? [String: Any] else {
            return batch.skip(signalEvents.first { event[$0] != nil } ?? "unsupported")
        }
        if message["is_echo"] as? Bool == true { return batch.skip("echo") }
        if message["is_deleted"] as? Bool == true { return batch.skip("removed") }
        let sender = string((event["sender"] as? [String: Any])?["id"])
        if let sender, sender == ownID { return batch.skip("own") }
        guard let mid = string(message["mid"]), let sender else { return batch.skip("unsupported") }
        let thread = platform == "instagram" ? instagramDirect + sender : sender
        let created = timestamp(event["timestamp"])
        if let text = words(message["text"]) {
            batch.messages.append(Message(id: mid, text: text, platform: platform, thread: thread, createdAt: created))
            return
        }
        let attachments = message["attachments"] as? [[String: Any]] ?? []
        guard let first = attachments.first else { return batch.skip("no-text") }
        let kind = (first["type"] as? String).flatMap { $0.allSatisfy { $0.isLetter || $0 == "_" } ? $0 : nil } ?? "attachment"
        let link = (first["payload"] as? [String: Any])?["url"] as? String
        let isStoryMention = kind == "story_mention"
        let text =
            isStoryMention
            ? "[A story mention. Meta sends no words with it: open the link to see it.]"
            : "[A direct message with \(attachments.count == 1 ? "an attachment" : "\(attachments.count) attachments") (\(kind)) and no words: open it to see it.]"
        batch.forPeople.append(
            ForPeople(
                message: Message(id: mid, text: text, platform: platform, thread: thread, url: link, createdAt: created),
                reason: isStoryMention ? "story-mention" : "attachment"))
    }
}
