import BedsideStore
import Foundation
import Testing

/// A temporary store beside the repository's configuration, worked through the built binary.
struct QueueWorkspace {
    let folder: URL
    var store: String { folder.appendingPathComponent("bedside.sqlite").path }
    static let config = BedsideBinary.repositoryRoot.appendingPathComponent("bedside.yaml").path
    /// The configuration the commands use: the repository's, or a copy with staff tokens.
    let config: String

    /// Staff configured under `tokens:` by `init(staff: true)`: sam a reviewer, dr_lee an admin.
    static let reviewerToken = "bst_reviewer-token-for-cli-tests"
    static let adminToken = "bst_admin-token-for-cli-tests"

    /// A fresh folder for the store; with `staff`, a configuration beside it that lists two staff
    /// tokens (the repository's rules, responses, lists and fragments, linked).
    init(staff: Bool = false) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-queue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard staff else {
            config = Self.config
            return
        }
        let files = FileManager.default
        for name in ["rules", "responses", "lists", "fragments", "guard.yaml"] {
            let source = BedsideBinary.repositoryRoot.appendingPathComponent(name)
            if files.fileExists(atPath: source.path) {
                try files.createSymbolicLink(at: folder.appendingPathComponent(name), withDestinationURL: source)
            }
        }
        let tokens = """

            tokens:
              - {name: sam, role: reviewer, sha256: \(StaffToken.hash(Self.reviewerToken))}
              - {name: dr_lee, role: admin, sha256: \(StaffToken.hash(Self.adminToken))}

            """
        let copy = folder.appendingPathComponent("bedside.yaml")
        try (String(contentsOfFile: Self.config, encoding: .utf8) + tokens).write(to: copy, atomically: true, encoding: .utf8)
        config = copy.path
    }

    /// `bedside ARGS --config … --store …` with `input` on stdin.
    func bedside(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> BedsideBinary.Result {
        var env = ["BEDSIDE_REVIEWER": "", "BEDSIDE_TOKEN": ""]
        for (k, v) in environment { env[k] = v }
        return try BedsideBinary.run(
            arguments + ["--config", config, "--store", store], input: Data(input.utf8), in: folder, environment: env)
    }

    /// Runs messages through `bedside run` and returns the queue id printed for `id`.
    func queue(_ lines: [String], reviewOf id: String) throws -> String {
        let result = try bedside(["run"], input: lines.joined(separator: "\n") + "\n")
        let row = result.objects.first { $0["id"] as? String == id }
        guard let queueID = row?["queue_id"] as? String else {
            throw QueueTestError("no queue_id for \(id): \(result.stdout) \(result.stderr)")
        }
        return queueID
    }

    /// `queue list --json`, decoded.
    func list(_ extra: [String] = []) throws -> [[String: Any]] {
        let result = try bedside(["queue", "list", "--json"] + extra)
        guard result.status == 0, let array = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] else {
            throw QueueTestError("queue list --json failed: \(result.stderr)")
        }
        return array
    }
}

struct QueueTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Messages whose decisions the shipped rulebook fixes.
enum Messages {
    static let legal =
        #"{"id":"fb_1004","text":"My solicitor will be in touch about what happened at my extraction","author":"dave","platform":"facebook","thread":"post_12"}"#
    static let hours =
        #"{"id":"fb_1001","text":"What time do you open on Saturday?","author":"jane_d","platform":"facebook","thread":"post_9"}"#
    static let crisis = #"{"id":"fb_666","text":"I want to kill myself tonight","author":"anon","platform":"facebook","thread":"post_3"}"#
}

/// `bedside run` with a store and the `bedside queue` commands, end to end through the built binary.
@Suite(.serialized)
struct QueueCommandTests {
    @Test func runRecordsDecisionsPrintsQueueIdsAndAnswersRepeatsAsDuplicates() throws {
        let w = try QueueWorkspace()
        let input = [Messages.hours, Messages.legal, Messages.crisis, "😂😂😂"].joined(separator: "\n") + "\n"
        let first = try w.bedside(["run"], input: input)
        #expect(first.status == 0, "\(first.stderr)")
        let rows = first.objects
        #expect(rows.map { $0["action"] as? String } == ["reply", "review", "review", rows[3]["action"] as? String])
        let queueIDs = rows.compactMap { $0["queue_id"] as? String }
        #expect(queueIDs.count == 2)
        #expect(rows[0]["queue_id"] == nil)
        let listed = try w.list()
        #expect(Set(listed.compactMap { $0["id"] as? String }) == Set(queueIDs))
        #expect(listed.first?["urgent"] as? Bool == true, "urgent first")
        for item in listed {
            for key in ["id", "message_id", "status", "urgent", "category", "draft", "created_at"] {
                #expect(item.keys.contains(key), "\(key)")
            }
            #expect(item["status"] as? String == "pending")
        }
        let second = try w.bedside(["run"], input: input)
        #expect(second.status == 0)
        let again = second.objects
        for row in again.prefix(3) {
            #expect(row["action"] as? String == "ignore")
            #expect(row["reason"] as? String == "duplicate")
        }
        #expect(again[3]["id"] as? String == "line-4")
        #expect(again[3]["reason"] as? String != "duplicate", "line-N ids belong to one run")
        #expect(try w.list().count == 2, "nothing recorded twice")
    }

    @Test func theStoreDefaultsToPolicyStoreNextToTheConfigurationAndNoStoreKeepsNothing() throws {
        let w = try QueueWorkspace()
        let practice = w.folder.appendingPathComponent("practice")
        try FileManager.default.createDirectory(at: practice, withIntermediateDirectories: true)
        for name in ["bedside.yaml", "rules", "responses", "lists", "fragments", "guard.yaml"] {
            let source = BedsideBinary.repositoryRoot.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: source.path) {
                try FileManager.default.copyItem(at: source, to: practice.appendingPathComponent(name))
            }
        }
        let config = practice.appendingPathComponent("bedside.yaml").path
        let kept = try BedsideBinary.run(
            ["run", "--no-store", "--config", config], input: Data((Messages.legal + "\n").utf8), in: w.folder)
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(kept.objects.first?["queue_id"] == nil)
        #expect(!FileManager.default.fileExists(atPath: practice.appendingPathComponent("bedside.sqlite").path))
        let result = try BedsideBinary.run(
            ["run", "--config", config], input: Data((Messages.legal + "\n" + Messages.hours + "\n").utf8), in: w.folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.objects.first?["queue_id"] is String)
        #expect(FileManager.default.fileExists(atPath: practice.appendingPathComponent("bedside.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: w.folder.appendingPathComponent("bedside.sqlite").path))
        let listed = try BedsideBinary.run(["queue", "list", "--json", "--config", config], in: w.folder)
        #expect(listed.stdout.contains(result.objects.first?["queue_id"] as? String ?? "missing"))
    }

    @Test func approvingQueuesTheReplyAndASecondApprovalIsAConflict() throws {
        let w = try QueueWorkspace()
        let id = try w.queue([Messages.legal], reviewOf: "fb_1004")
        let approve = try w.bedside(["queue", "approve", id, "--as", "sam"])
        #expect(approve.status == 0, "\(approve.stderr)")
        #expect(approve.stdout.hasPrefix("\(id) approved by sam; the reply is queued for delivery"))
        let item = try #require(try w.list().first { $0["id"] as? String == id })
        #expect(["approved", "sent"].contains(item["status"] as? String))
        let again = try w.bedside(["queue", "approve", id], environment: ["BEDSIDE_REVIEWER": "ana"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("item \(id) is already "))
        #expect(again.stderr.contains(" by sam at "))
        #expect(again.stderr.contains("nothing was sent again"))
        let reject = try w.bedside(["queue", "reject", id, "--as", "ana", "--reason", "late"])
        #expect(reject.status == 1)
        #expect(reject.stderr.contains("nothing was changed"))
    }

    @Test func anActionWithoutAnActorIsRefused() throws {
        let w = try QueueWorkspace()
        let id = try w.queue([Messages.legal], reviewOf: "fb_1004")
        for arguments in [
            ["approve", id], ["reject", id, "--reason", "x"], ["assign", id, "--to", "ana"], ["purge", "--older-than", "90d"],
        ] {
            let result = try w.bedside(["queue"] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("who is acting? Give --as NAME or set $BEDSIDE_REVIEWER"))
        }
        #expect(try w.list().first?["status"] as? String == "pending")
    }

    @Test func theReplyGuardRefusesATextUnlessAnAdminOverridesAndTheOverrideIsAudited() throws {
        let w = try QueueWorkspace(staff: true)
        let id = try w.queue([Messages.legal], reviewOf: "fb_1004")
        let text = "Sorry about your appointment today, please call us on 020 7946 0321."
        let refused = try w.bedside(["queue", "approve", id, "--as", "ana", "--reply", text])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the reply guard refuses this text for item \(id)"))
        #expect(refused.stderr.contains("  - "))
        #expect(try w.list().first?["status"] as? String == "pending")
        // A reviewer's override is refused, whether named or shown by token; typing an admin's name
        // is not being them.
        let named = try w.bedside(["queue", "approve", id, "--as", "ana", "--reply", text, "--override", "I say so"])
        #expect(named.status == 1)
        #expect(named.stderr.contains("only an admin may override the reply guard"))
        let reviewer = try w.bedside(
            ["queue", "approve", id, "--reply", text, "--override", "I say so"],
            environment: ["BEDSIDE_TOKEN": QueueWorkspace.reviewerToken])
        #expect(reviewer.status == 1)
        #expect(reviewer.stderr.contains("only an admin may override the reply guard"))
        let impostor = try w.bedside(["queue", "approve", id, "--as", "dr_lee", "--reply", text, "--override", "I say so"])
        #expect(impostor.status == 2)
        #expect(impostor.stderr.contains("dr_lee has a token under 'tokens:'"))
        #expect(try w.list().first?["status"] as? String == "pending")
        let overridden = try w.bedside(
            ["queue", "approve", id, "--reply", text, "--override", "the writer named the visit publicly"],
            environment: ["BEDSIDE_TOKEN": QueueWorkspace.adminToken])
        #expect(overridden.status == 0, "\(overridden.stderr)")
        let show = try w.bedside(["queue", "show", id])
        // The same audit text as the review API writes: each finding as `check: reason`, no excerpt.
        let note = try #require(show.stdout.split(separator: "\n").first { $0.contains("dr_lee  edited: reply guard: ") })
        let findings = note.components(separatedBy: "reply guard: ")[1].components(separatedBy: "; ")
        #expect(!findings.isEmpty)
        for finding in findings {
            #expect(finding.wholeMatch(of: /[a-z0-9-]+: [^"(]+/) != nil, "\(finding)")
        }
        #expect(show.stdout.contains("override: the writer named the visit publicly"))
        #expect(show.stdout.contains("after:  \(text)"))
    }

    @Test func aTokenNamesTheActorAndAnUnknownOneIsRefused() throws {
        let w = try QueueWorkspace(staff: true)
        let id = try w.queue([Messages.legal], reviewOf: "fb_1004")
        let unknown = try w.bedside(["queue", "assign", id], environment: ["BEDSIDE_TOKEN": "bst_not-configured"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("this token is not configured under 'tokens:'"))
        let mismatch = try w.bedside(["queue", "assign", id, "--as", "ana", "--token", QueueWorkspace.reviewerToken])
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.contains("the token belongs to sam, not ana"))
        let taken = try w.bedside(["queue", "assign", id], environment: ["BEDSIDE_TOKEN": QueueWorkspace.reviewerToken])
        #expect(taken.status == 0, "\(taken.stderr)")
        #expect(taken.stdout == "\(id) assigned to sam by sam\n")
    }

    @Test func editOpensTheEditorOnTheDraft() throws {
        let w = try QueueWorkspace()
        let id = try w.queue([Messages.legal], reviewOf: "fb_1004")
        let result = try w.bedside(
            ["queue", "approve", id, "--as", "sam", "--edit"],
            environment: ["EDITOR": "sed -i -e 's/^[^#].*/We are sorry. Please call us on 020 7946 0321./'", "VISUAL": ""])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("\(id) edited by sam"))
        let item = try #require(try w.list().first)
        #expect(item["final_text"] as? String == "We are sorry. Please call us on 020 7946 0321.")
    }

    @Test func queueEditApprovesAPersonsOwnWords() throws {
        let w = try QueueWorkspace()
        let id = try w.queue([Messages.legal], reviewOf: "fb_1004")
        let result = try w.bedside(["queue", "edit", id, "--as", "sam", "--reply", "Please call our practice manager on 020 7946 0321."])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("\(id) edited by sam"))
        let again = try w.bedside(["queue", "edit", id, "--as", "ana", "--reply", "Another text, call 020 7946 0321."])
        #expect(again.status == 1)
        #expect(again.stderr.contains("item \(id) is already "))
    }

    @Test func rejectAssignShowAndTheTableWithoutFullMessageText() throws {
        let w = try QueueWorkspace()
        let id = try w.queue([Messages.legal], reviewOf: "fb_1004")
        #expect(try w.bedside(["queue", "assign", id, "--as", "sam", "--to", "ana"]).stdout == "\(id) assigned to ana by sam\n")
        let table = try w.bedside(["queue", "list"])
        #expect(table.status == 0)
        #expect(table.stdout.hasPrefix("ID "))
        #expect(table.stdout.contains("\(id)  pending"))
        #expect(table.stdout.contains("ana"))
        #expect(table.stdout.contains("My solicitor will be in touch"))
        #expect(!table.stdout.contains("at my extraction"), "the table shows a preview, not the whole message")
        let reject = try w.bedside(["queue", "reject", id, "--as", "ana", "--reason", "answered by phone"])
        #expect(reject.status == 0)
        let show = try w.bedside(["queue", "show", id])
        #expect(show.stdout.contains("\(id)  rejected"))
        #expect(show.stdout.contains("  > My solicitor will be in touch about what happened at my extraction"))
        #expect(show.stdout.contains("sam  assigned: to ana"))
        #expect(show.stdout.contains("ana  rejected: answered by phone"))
        #expect(try w.list(["--status", "pending"]).isEmpty)
        #expect(try w.bedside(["queue", "show", "q_nothere"]).status == 1)
    }

    @Test func purgeRemovesTheTextOfClosedItemsAndStatsCount() throws {
        let w = try QueueWorkspace()
        let closed = try w.queue([Messages.legal], reviewOf: "fb_1004")
        let open = try w.queue([Messages.crisis], reviewOf: "fb_666")
        _ = try w.bedside(["queue", "reject", closed, "--as", "sam", "--reason", "spam"])
        let purge = try w.bedside(["queue", "purge", "--older-than", "0s", "--as", "admin"])
        #expect(purge.status == 0, "\(purge.stderr)")
        #expect(purge.stdout.hasPrefix("purged the message text of 1 item closed before "))
        let show = try w.bedside(["queue", "show", closed])
        #expect(show.stdout.contains("(message text purged"))
        #expect(!show.stdout.contains("My solicitor"))
        #expect(show.stdout.contains("admin  purged"))
        #expect(try w.bedside(["queue", "show", open]).stdout.contains("kill myself"))
        let stats = try w.bedside(["queue", "stats"])
        #expect(stats.stdout.hasPrefix("pending: 1 (1 urgent)"))
        #expect(stats.stdout.contains("risk.self-harm") || stats.stdout.contains("risk."))
        #expect(stats.stdout.contains("rejected 1"))
    }

    @Test func statsCountAnApprovalThatDeliveryHasAlreadySent() throws {
        let w = try QueueWorkspace()
        let id = try w.queue([Messages.legal], reviewOf: "fb_1004")
        #expect(try w.bedside(["queue", "approve", id, "--as", "sam"]).status == 0)
        #expect(try w.list().first?["status"] as? String == "sent", "the outbox file takes the reply at once")
        let stats = try w.bedside(["queue", "stats"])
        #expect(stats.stdout.contains("\ndecided: approved 1, edited 0, rejected 0\n"), "\(stats.stdout)")
        #expect(stats.stdout.contains("\napproved replies: waiting 0, sent 1, failed 0\n"))
        let json = try w.bedside(["queue", "stats", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["decided"] as? [String: Int] == ["approved": 1])
    }

    @Test func aDurationWithoutAUnitIsRefusedSayingWhatToWrite() throws {
        let w = try QueueWorkspace()
        let closed = try w.queue([Messages.legal], reviewOf: "fb_1004")
        _ = try w.bedside(["queue", "reject", closed, "--as", "sam", "--reason", "spam"])
        for arguments in [["queue", "list", "--older-than", "2"], ["queue", "purge", "--older-than", "90", "--as", "sam"]] {
            let result = try w.bedside(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("has no unit; write"), "\(result.stderr)")
        }
        let show = try w.bedside(["queue", "show", closed])
        #expect(show.stdout.contains("My solicitor"), "nothing was purged")
        #expect(try w.bedside(["queue", "list", "--older-than", "0s"]).status == 0)
    }
}
