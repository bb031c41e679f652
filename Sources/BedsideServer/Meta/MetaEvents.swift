import BedsideCore
import Crypto
import Foundation

/// Reads a Meta webhook delivery (Facebook page feed and mentions, Instagram comments, live comments
/// and mentions, Messenger and Instagram direct messages) into messages.
///
/// Ids are the platform's own (comment id, post id, Instagram comment id, message `mid`), so Meta's
/// retries — up to 36 hours, in any order — are duplicates the store refuses. `thread` is what the
/// Meta connector needs to reply: the post or media id for comments (the reply goes to the comment
/// id itself), the sender's page-scoped id for Messenger, `direct:` and the sender's id for an
/// Instagram direct message. The author is a name people can read (`from.name`, an Instagram
/// `username`) or nothing: never an id.
enum MetaEvents {
    /// What a delivery held.
    struct Batch {
        /// Messages to decide.
        var messages: [Message] = []
        /// Edited comments and posts: decided, then weighed against the decision for the original.
        var edits: [Edit] = []
        /// Events with a person behind them but no words to decide (mentions, pictures): queued
        /// for a person as they are.
        var forPeople: [ForPeople] = []
        /// Events skipped, by kind (`own`, `echo`, `removed`, `reaction`, `read`, `standby`,
        /// `unknown`, `unsupported`, …), for the answer and for metrics.
        var skipped: [String: Int] = [:]

        /// Every event that becomes a decision.
        var received: Int { messages.count + edits.count + forPeople.count }

        mutating func skip(_ kind: String, _ count: Int = 1) { skipped[kind, default: 0] += count }
    }

    /// An edit of `originalID`, under an id of its own (``MetaEvents/editID(_:text:)``).
    struct Edit {
        var message: Message
        var originalID: String
    }

    /// An event a person must look at; `reason` becomes the review item's reason.
    struct ForPeople {
        var message: Message
        var reason: String
    }

    /// The body was not a Meta delivery.
    struct Malformed: Error {
        var detail: String
    }

    /// Keys of an `entry` that Bedside reads; any other is counted as `unknown`.
    static let entryKeys: Set<String> = ["id", "time", "changes", "messaging", "standby"]

    static func parse(_ body: Data) throws(Malformed) -> Batch {
        guard let root = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw Malformed(detail: "the body is not a JSON object")
        }
        guard let object = root["object"] as? String else { throw Malformed(detail: "a Meta delivery has an \"object\" field") }
        guard let entries = root["entry"] as? [[String: Any]] else { throw Malformed(detail: "a Meta delivery has an \"entry\" list") }
        var batch = Batch()
        for entry in entries {
            let ownID = string(entry["id"])
            batch.skip("unknown", entry.keys.filter { !entryKeys.contains($0) }.count)
            for change in entry["changes"] as? [[String: Any]] ?? [] {
                guard let value = change["value"] as? [String: Any] else { batch.skip("unsupported"); continue }
                switch (object, change["field"] as? String) {
                case ("page", "feed"): feed(value, ownID: ownID, into: &batch)
                case ("page", "mention"): pageMention(value, ownID: ownID, into: &batch)
                case ("instagram", "comments"), ("instagram", "live_comments"): instagramComment(value, ownID: ownID, into: &batch)
                case ("instagram", "mentions"): instagramMention(value, into: &batch)
                default: batch.skip("unsupported")
                }
            }
            let platform = object == "instagram" ? "instagram" : "messenger"
            for event in entry["messaging"] as? [[String: Any]] ?? [] {
                directMessage(event, platform: platform, ownID: ownID, into: &batch)
            }
            // Another app holds these conversations (handover protocol): not Bedside's to answer.
            batch.skip("standby", (entry["standby"] as? [Any])?.count ?? 0)
        }
        batch.skipped = batch.skipped.filter { $0.value > 0 }
        return batch
    }

    /// A page feed change: comments and visitors' posts are decided (an edit weighed against the
    /// original); the page's own, removals, reactions and items without words are skipped.
    static func feed(_ value: [String: Any], ownID: String?, into batch: inout Batch) {
        let from = value["from"] as? [String: Any]
        if let fromID = string(from?["id"]), fromID == ownID { return batch.skip("own") }
        let verb = value["verb"] as? String ?? "add"
        if ["remove", "hide", "delete"].contains(verb) { return batch.skip("removed") }
        let id: String?
        let thread: String?
        switch value["item"] as? String {
        case "comment":
            id = string(value["comment_id"])
            thread = string(value["post_id"])
        case "status", "post", "photo", "video", "share":
            id = string(value["post_id"])
            thread = id
        case "reaction", "like":
            return batch.skip("reaction")
        default:
            return batch.skip("unsupported")
        }
        guard verb == "add" || verb == "edited" else { return batch.skip("unsupported") }
        guard let id, let text = words(value["message"]) else { return batch.skip("no-text") }
        var message = Message(
            id: id, text: text, author: from?["name"] as? String, platform: "facebook", thread: thread,
            createdAt: timestamp(value["created_time"]))
        if verb == "edited" {
            message.id = editID(id, text: text)
            batch.edits.append(Edit(message: message, originalID: id))
        } else {
            batch.messages.append(message)
        }
    }

    /// An Instagram comment or live comment; the account's own are skipped.
    static func instagramComment(_ value: [String: Any], ownID: String?, into batch: inout Batch) {
        let from = value["from"] as? [String: Any]
        if let fromID = string(from?["id"]), fromID == ownID { return batch.skip("own") }
        guard let id = string(value["id"]) else { return batch.skip("unsupported") }
        guard let text = words(value["text"]) else { return batch.skip("no-text") }
        let media = value["media"] as? [String: Any]
        batch.messages.append(
            Message(
                id: id, text: text, author: from?["username"] as? String, platform: "instagram", thread: string(media?["id"]),
                createdAt: timestamp(value["timestamp"])))
    }

    /// A page mention: Meta sends ids (and the sender's name), not the words, so a person opens it.
    static func pageMention(_ value: [String: Any], ownID: String?, into batch: inout Batch) {
        if let sender = string(value["sender_id"]), sender == ownID { return batch.skip("own") }
        if ["remove", "hide", "delete"].contains(value["verb"] as? String ?? "add") { return batch.skip("removed") }
        guard let post = string(value["post_id"]) else { return batch.skip("unsupported") }
        let target = string(value["comment_id"]) ?? post
        let message = Message(
            id: "\(target)@mention",
            text:
                "[The page was mentioned in a Facebook \(value["comment_id"] == nil ? "post" : "comment"). Meta sends no words with a mention: open the link to read it.]",
            author: value["sender_name"] as? String, platform: "facebook", thread: post, url: "https://www.facebook.com/\(post)")
        batch.forPeople.append(ForPeople(message: message, reason: "mention"))
    }

    /// An Instagram mention (`media_id`, perhaps `comment_id`): ids only, so a person looks it up.
    static func instagramMention(_ value: [String: Any], into batch: inout Batch) {
        guard let media = string(value["media_id"]) else { return batch.skip("unsupported") }
        let target = string(value["comment_id"]) ?? media
        let message = Message(
            id: "\(target)@mention",
            text:
                "[The account was mentioned in an Instagram \(value["comment_id"] == nil ? "post" : "comment") (media \(media)). Meta sends no words with a mention: find it in Instagram to read it.]",
            platform: "instagram", thread: media)
        batch.forPeople.append(ForPeople(message: message, reason: "mention"))
    }

    /// An edited comment is a new message under the same thread: the comment id and a digest of the
    /// new text, so each distinct edit is decided once and a retried edit is a duplicate.
    static func editID(_ commentID: String, text: String) -> String {
        let digest = SHA256.hash(data: Array(text.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
        return "\(commentID)@edit-\(digest)"
    }

    /// The text when it has words (not only whitespace).
    static func words(_ value: Any?) -> String? {
        guard let text = value as? String, text.contains(where: { !$0.isWhitespace }) else { return nil }
        return text
    }

    static func string(_ value: Any?) -> String? {
        if let text = value as? String, !text.isEmpty { return text }
        if let number = value as? NSNumber { return number.stringValue }
        return nil
    }

    /// Unix seconds or milliseconds (Messenger) as ISO 8601; text passes through.
    static func timestamp(_ value: Any?) -> String? {
        if let text = value as? String { return text }
        guard let number = value as? NSNumber else { return nil }
        var seconds = number.doubleValue
        if seconds > 1e11 { seconds /= 1000 }
        return Date(timeIntervalSince1970: seconds).formatted(.iso8601)
    }
}
