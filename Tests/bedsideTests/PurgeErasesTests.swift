import Foundation
import Testing

/// `bedside queue purge` leaves no personal data behind: after it, neither the
/// writer's handle nor the words they wrote are anywhere in the database file (its WAL included) or
/// in `outbox.jsonl`, while the history of events stays. Through the built binary and a real store.
@Suite(.serialized)
struct PurgeErasesTests {
    static let handle = "nightowl_7731"
    static let words = "honestly everyone would be better off without me"
    static let legalHandle = "dave_q_4412"
    static let legalWords = "My solicitor will be in touch about what happened at my extraction"

    /// Every byte of the store's files and the outbox file, as text.
    static func everything(in workspace: QueueWorkspace) -> String {
        let folder = workspace.folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var all = Data()
        for name in names where name.hasPrefix("bedside.sqlite") || name == "outbox.jsonl" {
            all.append((try? Data(contentsOf: folder.appendingPathComponent(name))) ?? Data())
        }
        return String(decoding: all, as: UTF8.self)
    }

    @Test func purgeErasesHandlesAndWordsEverywhere() throws {
        let workspace = try QueueWorkspace(staff: true)
        let crisis = #"{"id":"x_1","text":"\#(Self.words)","author":"\#(Self.handle)","platform":"x","thread":"t_1"}"#
        let legal = #"{"id":"fb_2","text":"\#(Self.legalWords)","author":"\#(Self.legalHandle)","platform":"facebook","thread":"p_2"}"#
        let run = try workspace.bedside(["run"], input: crisis + "\n" + legal + "\n")
        #expect(run.status == 0, "\(run.stderr)")
        let ids = run.objects.compactMap { $0["queue_id"] as? String }
        #expect(ids.count == 2)
        #expect((run.objects.first?["reply"] as? String)?.contains(Self.handle) == true, "the holding reply greets the writer")

        // A reply that copies the writer's words, sent anyway with a recorded reason: the guard's
        // finding goes into the audit trail.
        let copied =
            "Thank you. We read that everyone would be better off without you and we want to help; please call us on 020 7946 0321."
        let approve = try workspace.bedside(
            ["queue", "approve", ids[0], "--reply", copied, "--override", "duty clinician asked for this wording"],
            environment: ["BEDSIDE_TOKEN": QueueWorkspace.adminToken])
        #expect(approve.status == 0, "\(approve.stderr)")
        let reject = try workspace.bedside(["queue", "reject", ids[1], "--as", "ana", "--reason", "handled by phone"])
        #expect(reject.status == 0, "\(reject.stderr)")
        let before = Self.everything(in: workspace)
        #expect(before.contains(Self.handle) && before.contains(Self.legalHandle), "the test finds what it looks for")

        let purge = try workspace.bedside(["queue", "purge", "--older-than", "0s", "--as", "admin"])
        #expect(purge.status == 0, "\(purge.stderr)")
        #expect(purge.stdout.contains("2 items"))
        let after = Self.everything(in: workspace)
        for secret in [
            Self.handle, Self.legalHandle, Self.words, Self.legalWords, "everyone would be better off without",
            "solicitor will be in touch",
        ] {
            #expect(!after.contains(secret), "'\(secret)' is still stored after the purge")
        }
        let show = try workspace.bedside(["queue", "show", ids[0]])
        #expect(show.stdout.contains("purged"))
        #expect(show.stdout.contains("dr_lee  edited"), "the events stay")
        #expect(show.stdout.contains("override: duty clinician asked for this wording"))
    }

    @Test func theAuditTrailNeverQuotesTheMessage() throws {
        let workspace = try QueueWorkspace(staff: true)
        let crisis = #"{"id":"x_2","text":"\#(Self.words)","author":"\#(Self.handle)","platform":"x","thread":"t_1"}"#
        let id = try workspace.queue([crisis], reviewOf: "x_2")
        let copied =
            "Thank you. We read that everyone would be better off without you and we want to help; please call us on 020 7946 0321."
        let approve = try workspace.bedside(
            ["queue", "approve", id, "--reply", copied, "--override", "agreed wording"],
            environment: ["BEDSIDE_TOKEN": QueueWorkspace.adminToken])
        #expect(approve.status == 0, "\(approve.stderr)")
        let show = try workspace.bedside(["queue", "show", id])
        let note = try #require(show.stdout.split(separator: "\n").first { $0.contains("reply guard:") })
        #expect(note.contains("copied-words"))
        #expect(!note.contains("\""), "\(note)")
    }
}
