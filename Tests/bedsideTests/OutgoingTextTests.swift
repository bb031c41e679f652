import Foundation
import Testing

/// No reply leaves with bidirectional or other control characters, whoever put them
/// there: an author's handle in a template, or a staff member's edit.
@Suite(.serialized)
struct OutgoingTextTests {
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\n" { return false }
        return scalar.properties.generalCategory == .control || (0x202A...0x202E).contains(scalar.value)
            || (0x2066...0x2069).contains(scalar.value) || [0x200E, 0x200F, 0x061C].contains(scalar.value)
    }

    @Test func aHandleWithBidiControlsCannotReverseAReply() throws {
        let workspace = try QueueWorkspace()
        let lines = [
            #"{"id":"b1","text":"What time do you open on Saturday?","author":"\u202eevil\u2066\u0007","platform":"facebook"}"#,
            #"{"id":"b2","text":"I want to kill myself tonight","author":"\u202enoon","platform":"facebook"}"#,
        ]
        let result = try workspace.bedside(["run"], input: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        let replies = result.objects.compactMap { $0["reply"] as? String }
        #expect(replies.count == 2)
        for reply in replies { #expect(!reply.unicodeScalars.contains(where: Self.isHidden), "\(reply.debugDescription)") }
        let outbox = try String(contentsOf: workspace.folder.appendingPathComponent("outbox.jsonl"), encoding: .utf8)
        let sent = outbox.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["text"] as? String
        }
        #expect(sent.count == 2)
        for text in sent { #expect(!text.unicodeScalars.contains(where: Self.isHidden), "\(text.debugDescription)") }
    }

    @Test func aStaffEditLeavesWithoutControlCharacters() throws {
        let workspace = try QueueWorkspace()
        let id = try workspace.queue([Messages.legal], reviewOf: "fb_1004")
        let edit = "Thank you for\u{202E} getting in touch.\u{7} Please call us on 020 7946 0321."
        let approve = try workspace.bedside(["queue", "approve", id, "--as", "sam", "--reply", edit])
        #expect(approve.status == 0, "\(approve.stderr)")
        let outbox = try String(contentsOf: workspace.folder.appendingPathComponent("outbox.jsonl"), encoding: .utf8)
        let texts = outbox.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["text"] as? String
        }
        let sent = try #require(texts.last)
        #expect(sent == "Thank you for getting in touch. Please call us on 020 7946 0321.")
    }
}
