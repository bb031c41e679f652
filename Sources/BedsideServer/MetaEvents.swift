import BedsideCore
import Crypto
import Foundation

/// Reads a Meta webhook delivery (Facebook page feed, Instagram comments, Messenger) into messages.
///
/// Ids are the platform's own (comment id, Instagram comment id, Messenger `mid`), so Meta's
/// retries — up to 36 hours, in any order — are duplicates the store refuses. `thread` is what the
/// Meta connector needs to reply: the post or media id for comments (the reply goes to the comment
/// id itself), the sender's page-scoped id for Messenger.
enum MetaEvents {
    /// What a delivery held.
    struct Batch {
        /// Messages to decide.
        var messages: [Message] = []
        /// Events skipped, by kind (`own`, `echo`, `removed`, `unsupported`), for metrics.
        var skipped: [String: Int] = [:]
    }

    /// The body was not a Meta delivery.
    struct Malformed: Error {
        var detail: String
    }

    static func parse(_ body: Data) throws(Malformed) -> Batch {
        guard let root = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw Malformed(detail: "the body is not a JSON object")
        }
        guard let object = root["object"] as? String else { throw Malformed(detail: "a Meta delivery has an \"object\" field") }
        guard let entries = root["entry"] as? [[String: Any]] else { throw Malformed(detail: "a Meta delivery has an \"entry\" list") }
        var batch = Batch()
        for entry in entries {
            let ownID = string(entry["id"])
            for change in entry["changes"] as? [[String: Any]] ?? [] {
                let field = change["field"] as? String
                guard let value = change["value"] as? [String: Any] else { batch.skipped["unsupported", default: 0] += 1; continue }
                switch (object, field) {
                case ("page", "feed"): feedComment(value, ownID: ownID, into: &batch)
                case ("instagram", "comments"): instagramComment(value, ownID: ownID, into: &batch)
                default: batch.skipped["unsupported", default: 0] += 1
                }
            }
            for event in entry["messaging"] as? [[String: Any]] ?? [] {
                messengerMessage(event, ownID: ownID, into: &batch)
            }
        }
        return batch
    }

    /// A page feed change: comments are decided; the page's own comments, removals and other items
    /// (posts, reactions, shares) are skipped.
    static func feedComment(_ value: [String: Any], ownID: String?, into batch: inout Batch) {
        guard value["item"] as? String == "comment" else { batch.skipped["unsupported", default: 0] += 1; return }
        let from = value["from"] as? [String: Any]
        let fromID = string(from?["id"])
        if let fromID, fromID == ownID { batch.skipped["own", default: 0] += 1; return }
        let verb = value["verb"] as? String ?? "add"
        guard verb != "remove", verb != "hide" else { batch.skipped["removed", default: 0] += 1; return }
        guard let commentID = string(value["comment_id"]), let text = value["message"] as? String, !text.isEmpty else {
            batch.skipped["unsupported", default: 0] += 1
            return
        }
        let id = verb == "edited" ? editID(commentID, text: text) : commentID
        batch.messages.append(Message(
            id: id, text: text, author: from?["name"] as? String ?? fromID, platform: "facebook",
            thread: string(value["post_id"]), createdAt: timestamp(value["created_time"])))
    }

    /// An Instagram comment; the account's own comments are skipped.
    static func instagramComment(_ value: [String: Any], ownID: String?, into batch: inout Batch) {
        let from = value["from"] as? [String: Any]
        let fromID = string(from?["id"])
        if let fromID, fromID == ownID { batch.skipped["own", default: 0] += 1; return }
        guard let id = string(value["id"]), let text = value["text"] as? String, !text.isEmpty else {
            batch.skipped["unsupported", default: 0] += 1
            return
        }
        let media = value["media"] as? [String: Any]
        batch.messages.append(Message(
            id: id, text: text, author: from?["username"] as? String ?? fromID, platform: "instagram",
            thread: string(media?["id"])))
    }

    /// A Messenger message; the page's own echoes and messages without text are skipped.
    static func messengerMessage(_ event: [String: Any], ownID: String?, into batch: inout Batch) {
        guard let message = event["message"] as? [String: Any] else { batch.skipped["unsupported", default: 0] += 1; return }
        if message["is_echo"] as? Bool == true { batch.skipped["echo", default: 0] += 1; return }
        let sender = string((event["sender"] as? [String: Any])?["id"])
        if let sender, sender == ownID { batch.skipped["own", default: 0] += 1; return }
        guard let mid = string(message["mid"]), let text = message["text"] as? String, !text.isEmpty, let sender else {
            batch.skipped["unsupported", default: 0] += 1
            return
        }
        batch.messages.append(Message(
            id: mid, text: text, author: sender, platform: "messenger", thread: sender, createdAt: timestamp(event["timestamp"])))
    }

    /// An edited comment is a new message under the same thread: the comment id and a digest of the
    /// new text, so each distinct edit is decided once and a retried edit is a duplicate.
    static func editID(_ commentID: String, text: String) -> String {
        let digest = SHA256.hash(data: Array(text.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
        return "\(commentID)@edit-\(digest)"
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
