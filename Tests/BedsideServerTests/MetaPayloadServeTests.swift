import BedsideCore
import BedsideStore
import Foundation
import Testing

@testable import BedsideServer

/// Meta-shaped deliveries — Messenger, the page feed, Instagram comments, live comments, direct
/// messages, story replies, mentions — through a live `bedside serve`, each from a numeric-id
/// sender. Checks what was decided, what reply or holding reply was queued for delivery, and the
/// platform recorded. Only Meta is stood in for: these are the bodies its documentation shows.
@Suite(.serialized)
struct MetaPayloadServeTests {
    static let page = "105000000000001"
    static let psid = "1423587017700999"
    static let igAccount = "17841400000000001"
    static let igsid = "1789012345678901"
    static let hours = Fixture.hoursText
    static let crisis = "I want to kill myself tonight"

    /// What one event must have become.
    struct Expected {
        var id: String
        var action: Action
        var urgent = false
        var reason: String? = nil
        /// The outbox entry's kind (`reply`, `holding`), or nil when nothing is sent.
        var sent: String? = nil
        var platform: String
        var thread: String? = nil
        /// Words the sent text must contain.
        var saying: String? = nil
    }

    static func messaging(_ sender: String, _ recipient: String, _ message: String) -> String {
        #"{"sender":{"id":"\#(sender)"},"recipient":{"id":"\#(recipient)"},"timestamp":1764540000000,"message":\#(message)}"#
    }

    static func feed(_ value: String) -> String { #"{"field":"feed","value":\#(value)}"# }

    static let messenger = """
        {"object":"page","entry":[{"id":"\(page)","time":1764540000000,"messaging":[
          \(messaging(psid, page, #"{"mid":"m_hours_1","text":"\#(hours)"}"#)),
          \(messaging(psid, page, #"{"mid":"m_crisis_1","text":"\#(crisis)"}"#)),
          \(messaging(psid, page, #"{"mid":"m_quick_1","text":"\#(hours)","quick_reply":{"payload":"HOURS"}}"#)),
          \(messaging(psid, page, #"{"mid":"m_picture_1","attachments":[{"type":"image","payload":{"url":"https://scontent.example/p.jpg"}}]}"#)),
          \(messaging(page, psid, #"{"mid":"m_echo_1","text":"Thanks for your message","is_echo":true,"app_id":1517}"#)),
          {"sender":{"id":"\(psid)"},"recipient":{"id":"\(page)"},"timestamp":1764540000001,"read":{"watermark":1764540000000}},
          {"sender":{"id":"\(psid)"},"recipient":{"id":"\(page)"},"timestamp":1764540000002,"postback":{"title":"Get Started","payload":"GET_STARTED"}}
        ]}]}
        """

    static let pageFeed = """
        {"object":"page","entry":[{"id":"\(page)","time":1764540000,"changes":[
          \(feed(#"{"item":"comment","verb":"add","comment_id":"\#(page)_901_1001","post_id":"\#(page)_901","parent_id":"\#(page)_901","message":"\#(hours)","from":{"id":"1000123456789012"},"created_time":1764540000}"#)),
          \(feed(#"{"item":"comment","verb":"add","comment_id":"\#(page)_901_1002","post_id":"\#(page)_901","parent_id":"\#(page)_901","message":"\#(crisis)","from":{"id":"1000123456789013","name":"Jane Doe"},"created_time":1764540001}"#)),
          \(feed(#"{"item":"status","verb":"add","post_id":"\#(page)_902","message":"\#(crisis)","from":{"id":"1000123456789014"},"published":1,"created_time":1764540002}"#)),
          \(feed(#"{"item":"reaction","verb":"add","post_id":"\#(page)_901","reaction_type":"like","from":{"id":"1000123456789015"},"created_time":1764540003}"#)),
          \(feed(#"{"item":"comment","verb":"remove","comment_id":"\#(page)_901_1003","post_id":"\#(page)_901","from":{"id":"1000123456789016"},"created_time":1764540004}"#)),
          \(feed(#"{"item":"status","verb":"add","post_id":"\#(page)_903","message":"Our new flu clinic dates are up","from":{"id":"\#(page)","name":"Riverside Practice"},"created_time":1764540005}"#))
        ]}]}
        """

    static let instagramComments = """
        {"object":"instagram","entry":[{"id":"\(igAccount)","time":1764540000,"changes":[
          {"field":"comments","value":{"from":{"id":"17841455555555555"},"media":{"id":"17890000000000001","media_product_type":"FEED"},"id":"17865000000000001","text":"\(crisis)"}},
          {"field":"live_comments","value":{"from":{"id":"17841455555555556","username":"night.owl"},"media":{"id":"17890000000000002","media_product_type":"LIVE"},"id":"17865000000000002","text":"\(hours)"}},
          {"field":"comments","value":{"from":{"id":"\(igAccount)","username":"riverside"},"media":{"id":"17890000000000001"},"id":"17865000000000003","text":"Thanks all"}}
        ]}]}
        """

    static let instagramDirect = """
        {"object":"instagram","entry":[{"id":"\(igAccount)","time":1764540000000,"messaging":[
          \(messaging(igsid, igAccount, #"{"mid":"aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx_1","text":"\#(hours)"}"#)),
          \(messaging(igsid, igAccount, #"{"mid":"aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx_2","text":"\#(crisis)","reply_to":{"story":{"url":"https://lookaside.fbsbx.example/ig_messaging_cdn/?asset_id=1","id":"17890000000000003"}}}"#)),
          \(messaging(igsid, igAccount, #"{"mid":"aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx_3","attachments":[{"type":"story_mention","payload":{"url":"https://lookaside.fbsbx.example/ig_messaging_cdn/?asset_id=2"}}]}"#)),
          \(messaging(igAccount, igsid, #"{"mid":"aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx_4","text":"Thanks!","is_echo":true}"#))
        ]}]}
        """

    static let mentions = """
        {"object":"instagram","entry":[{"id":"\(igAccount)","time":1764540000,"changes":[
          {"field":"mentions","value":{"media_id":"17890000000000004","comment_id":"17865000000000009"}}
        ]}]}
        """

    static let pageMention = """
        {"object":"page","entry":[{"id":"\(page)","time":1764540000,"changes":[
          {"field":"mention","value":{"post_id":"200000000000001_300","sender_name":"Alex Smith","sender_id":"200000000000001","item":"post","verb":"add","created_time":1764540000}}
        ]}]}
        """

    static let standbyAndUnknown = """
        {"object":"page","entry":[{"id":"\(page)","time":1764540000000,
          "standby":[\(messaging(psid, page, #"{"mid":"m_standby_1","text":"\#(crisis)"}"#))],
          "hop_context":[{"app_id":263902037430900,"metadata":""}]}]}
        """

    /// Checks each expectation against the store: the decision, what was queued for delivery
    /// (once, with the platform and thread a reply needs), and the platform recorded.
    static func check(_ expected: [Expected], in store: SQLiteReviewStore) async throws {
        let outbox = try await store.outbox(status: nil)
        let items = try await store.items(ReviewFilter())
        for want in expected {
            let decision = try #require(try await store.decision(for: want.id), "no decision for \(want.id)")
            #expect(decision.action == want.action, "\(want.id)")
            #expect(decision.urgent == want.urgent, "\(want.id)")
            if let reason = want.reason { #expect(decision.reason == reason, "\(want.id)") }
            let sent = outbox.filter { $0.messageID == want.id }
            if let kind = want.sent {
                #expect(sent.count == 1, "\(want.id): one \(kind) queued")
                let entry = try #require(sent.first)
                #expect(entry.kind == kind, "\(want.id)")
                #expect(entry.platform == want.platform, "\(want.id)")
                #expect(entry.thread == want.thread, "\(want.id)")
                #expect(entry.text == decision.reply)
                for id in [psid, igsid, "1000123456789012", "1000123456789014", "17841455555555555"] {
                    #expect(!entry.text.contains(id), "\(want.id): the reply never greets an id")
                }
                if let saying = want.saying { #expect(entry.text.contains(saying), "\(want.id): \(entry.text)") }
            } else {
                #expect(sent.isEmpty, "\(want.id): nothing sent")
            }
            if want.action == .review {
                let item = try #require(items.first { $0.messageID == want.id }, "\(want.id) is queued for a person")
                #expect(item.platform == want.platform, "\(want.id)")
                #expect(item.holdingReply == decision.reply)
            }
        }
    }

    @Test func everyKindOfEventFromANumericSenderIsDecidedAnsweredAndRecordedOnItsPlatform() async throws {
        let folder = try ServeProcess.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServeProcess.withMeta(folder: folder)

        let (status1, messenger) = await server.postMeta(Self.messenger)
        #expect(status1 == 200)
        #expect(messenger["received"] as? Int == 4)
        #expect(messenger["skipped"] as? [String: Int] == ["echo": 1, "read": 1, "postback": 1])

        let (status2, feed) = await server.postMeta(Self.pageFeed)
        #expect(status2 == 200)
        #expect(feed["received"] as? Int == 3)
        #expect(feed["skipped"] as? [String: Int] == ["reaction": 1, "removed": 1, "own": 1])

        let (status3, comments) = await server.postMeta(Self.instagramComments)
        #expect(status3 == 200)
        #expect(comments["received"] as? Int == 2)
        #expect(comments["skipped"] as? [String: Int] == ["own": 1])

        let (status4, direct) = await server.postMeta(Self.instagramDirect)
        #expect(status4 == 200)
        #expect(direct["received"] as? Int == 3)
        #expect(direct["skipped"] as? [String: Int] == ["echo": 1])

        for body in [Self.mentions, Self.pageMention] {
            let (status, answer) = await server.postMeta(body)
            #expect(status == 200)
            #expect(answer["received"] as? Int == 1)
            #expect(answer["new"] as? Int == 1)
        }

        let (status6, standby) = await server.postMeta(Self.standbyAndUnknown)
        #expect(status6 == 200)
        #expect(standby["received"] as? Int == 0)
        #expect(standby["skipped"] as? [String: Int] == ["standby": 1, "unknown": 1])

        let p = Self.page
        let store = try SQLiteReviewStore(path: folder.appendingPathComponent("store.sqlite").path)
        try await Self.check(
            [
                Expected(id: "m_hours_1", action: .reply, sent: "reply", platform: "messenger", thread: Self.psid, saying: "Thanks"),
                Expected(
                    id: "m_crisis_1", action: .review, urgent: true, sent: "holding", platform: "messenger", thread: Self.psid,
                    saying: "116 123"),
                Expected(id: "m_quick_1", action: .reply, sent: "reply", platform: "messenger", thread: Self.psid),
                Expected(id: "m_picture_1", action: .review, reason: "attachment", platform: "messenger"),
                Expected(id: "\(p)_901_1001", action: .reply, sent: "reply", platform: "facebook", thread: "\(p)_901"),
                Expected(
                    id: "\(p)_901_1002", action: .review, urgent: true, sent: "holding", platform: "facebook", thread: "\(p)_901",
                    saying: "Jane Doe"),
                Expected(
                    id: "\(p)_902", action: .review, urgent: true, sent: "holding", platform: "facebook", thread: "\(p)_902",
                    saying: "116 123"),
                Expected(
                    id: "17865000000000001", action: .review, urgent: true, sent: "holding", platform: "instagram",
                    thread: "17890000000000001", saying: "116 123"),
                Expected(
                    id: "17865000000000002", action: .reply, sent: "reply", platform: "instagram", thread: "17890000000000002",
                    saying: "night.owl"),
                Expected(
                    id: "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx_1", action: .reply, sent: "reply", platform: "instagram",
                    thread: "direct:\(Self.igsid)"),
                Expected(
                    id: "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx_2", action: .review, urgent: true, sent: "holding",
                    platform: "instagram",
                    thread: "direct:\(Self.igsid)", saying: "116 123"),
                Expected(
                    id: "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx_3", action: .review, reason: "story-mention", platform: "instagram"),
                Expected(id: "17865000000000009@mention", action: .review, reason: "mention", platform: "instagram"),
                Expected(id: "200000000000001_300@mention", action: .review, reason: "mention", platform: "facebook"),
            ], in: store)
        #expect(try await store.decision(for: "m_echo_1") == nil)
        #expect(try await store.decision(for: "m_standby_1") == nil)
        #expect(try await store.decision(for: "\(p)_903") == nil)
        let mention = try #require(try await store.items(ReviewFilter()).first { $0.messageID == "200000000000001_300@mention" })
        #expect(mention.url == "https://www.facebook.com/200000000000001_300")
        #expect(mention.author == "Alex Smith")

        // Meta retries the lot: nothing new, nothing sent twice.
        let before = try await store.outbox(status: nil).count
        for body in [Self.messenger, Self.pageFeed, Self.instagramComments, Self.instagramDirect, Self.mentions, Self.pageMention] {
            let (status, answer) = await server.postMeta(body)
            #expect(status == 200)
            #expect(answer["new"] as? Int == 0)
        }
        #expect(try await store.outbox(status: nil).count == before)

        // The replies reach the outbox file (the default connector) with their platforms.
        let outboxFile = folder.appendingPathComponent("outbox.jsonl")
        var lines: [[String: Any]] = []
        for _ in 0..<50 where lines.count < before {
            try await Task.sleep(for: .milliseconds(200))
            let text = (try? String(contentsOf: outboxFile, encoding: .utf8)) ?? ""
            lines = text.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        }
        #expect(lines.count == before)
        #expect(
            lines.contains {
                $0["message_id"] as? String == "m_crisis_1" && $0["platform"] as? String == "messenger"
                    && $0["kind"] as? String == "holding"
            })

        server.signal(SIGTERM)
        #expect(server.wait() == 0)
        for secret in [Self.crisis, "Jane Doe", "Alex Smith", "night.owl"] { #expect(!server.stderr.contains(secret)) }
    }

    static func comment(_ id: String, _ text: String, verb: String) -> String {
        """
        {"object":"page","entry":[{"id":"\(page)","time":1764540000,"changes":[
          \(feed(#"{"item":"comment","verb":"\#(verb)","comment_id":"\#(page)_950_\#(id)","post_id":"\#(page)_950","message":"\#(text)","from":{"id":"1000123456789020"},"created_time":1764540000}"#))
        ]}]}
        """
    }

    @Test func anEditedCommentGetsOnePublicReplyAndAPersonOnlyWhenARiskAppears() async throws {
        let folder = try ServeProcess.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServeProcess.withMeta(folder: folder)
        let store = try SQLiteReviewStore(path: folder.appendingPathComponent("store.sqlite").path)
        let id = "\(Self.page)_950_1"

        #expect(await server.postMeta(Self.comment("1", Self.hours, verb: "add")).0 == 200)
        #expect(await server.postMeta(Self.comment("1", Self.hours + "!!", verb: "edited")).0 == 200)
        let unchanged = try #require(try await store.decision(for: "\(id)@edit-\(Self.digest(Self.hours + "!!"))"))
        #expect(unchanged.action == .ignore)
        #expect(unchanged.reason == Decision.editUnchanged)
        var sent = try await store.outbox(status: nil).filter { $0.messageID.hasPrefix(id) }
        #expect(sent.count == 1, "one public reply per comment")

        let risky = Self.hours + " Also " + Self.crisis
        #expect(await server.postMeta(Self.comment("1", risky, verb: "edited")).0 == 200)
        let changed = try #require(try await store.decision(for: "\(id)@edit-\(Self.digest(risky))"))
        #expect(changed.action == .review)
        #expect(changed.urgent)
        sent = try await store.outbox(status: nil).filter { $0.messageID.hasPrefix(id) }
        #expect(sent.map(\.kind).sorted() == ["holding", "reply"], "a risk that appears gets its holding reply")
        #expect(try await store.items(ReviewFilter()).contains { $0.messageID.hasPrefix(id) && $0.urgent })

        // An edit that arrives before its comment (Meta does not promise order) is the comment.
        let early = "\(Self.page)_950_2"
        #expect(await server.postMeta(Self.comment("2", Self.hours + "?", verb: "edited")).0 == 200)
        #expect(try await store.decision(for: early)?.action == .reply)
        let (_, late) = await server.postMeta(Self.comment("2", Self.hours, verb: "add"))
        #expect(late["new"] as? Int == 0)
        #expect(try await store.outbox(status: nil).filter { $0.messageID.hasPrefix(early) }.count == 1)
        server.signal(SIGTERM)
        #expect(server.wait() == 0)
    }

    static func digest(_ text: String) -> String {
        String(MetaEvents.editID("x", text: text).dropFirst("x@edit-".count))
    }
}
