import ArgumentParser
import BedsideCore
import BedsideStore
import Foundation

extension Bedside.Queue {
    /// Approves an item's draft, or a text of one's own, and queues it for delivery.
    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve an item's draft (or --reply TEXT, or --edit it first) and queue it for delivery.",
            discussion: """
                The text passes the reply guard against the original message; a text it refuses is not \
                queued (exit 1) unless --override REASON says why it must go anyway, which is recorded in \
                the audit trail. Exit 0 when the reply is queued; exit 1 when the item is no longer pending.
                """
        )

        @OptionGroup var options: QueueOptions
        @OptionGroup var actor: ActorOption

        @Argument(help: ArgumentHelp("The queue id (q_…).", valueName: "id"))
        var id: String

        @Option(help: ArgumentHelp("Send this text instead of the draft.", valueName: "text"))
        var reply: String?

        @Flag(help: "Open $EDITOR on the draft (or on --reply) before approving.")
        var edit = false

        @Option(help: ArgumentHelp("Send a text the reply guard refuses, for this recorded reason.", valueName: "reason"))
        var override: String?

        func run() async throws {
            try await Self.approve(options: options, actor: actor, id: id, reply: reply, edit: edit, override: override, command: "approve")
        }

        /// Approves item `id` with `reply`, the draft, or what the editor returns; shared with `queue edit`.
        static func approve(
            options: QueueOptions, actor: ActorOption, id: String, reply: String?, edit: Bool, override: String?, command: String
        ) async throws {
            let who = try actor.require(command)
            let (rulebook, store) = try await options.open(command)
            let item = try await storeAction(command) { () async throws -> ReviewItem in
                guard let item = try await store.item(id) else { throw ReviewStoreError.notFound(id: id) }
                try Self.requirePending(item)
                return item
            }
            var text = reply ?? item.draft
            if edit { text = try ReplyEditor.edit(text ?? "", item: item) }
            guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                StandardError.print(
                    "bedside queue \(command): item \(id) has no reply text; give --reply TEXT or --edit; nothing was queued")
                throw ExitCode(1)
            }
            let message = item.text.map { Message(id: item.messageID, text: $0, author: item.author, platform: item.platform) }
            let violations = Classifier(rulebook: rulebook).guardViolations(text, answering: message)
            // What goes into the audit trail names the check, never the words it found (they may be the writer's).
            let findings = violations.map { "\($0.check): \($0.reason)" }
            if !findings.isEmpty, override == nil {
                StandardError.print("bedside queue \(command): the reply guard refuses this text for item \(id):")
                for violation in violations { StandardError.print("  - \(violation.description)") }
                StandardError.print("nothing was queued; change the text, or give --override REASON (recorded in the audit trail)")
                throw ExitCode(1)
            }
            let approved = try await storeAction(command) {
                try await store.approve(id, text: text, by: who, override: findings.isEmpty ? nil : override, guardFindings: findings)
            }
            let key = StoreIDs.idempotencyKey(messageID: approved.messageID, kind: "approved", text: approved.finalText ?? text)
            print("\(id) \(approved.status.rawValue) by \(who); the reply is queued for delivery (idempotency key \(key))")
            if !findings.isEmpty { print("override recorded: \(override ?? "")") }
            let folder = options.folder(rulebook)
            await deliverDueReplies(store: store, configuration: rulebook.configuration, storeFolder: folder)
        }

        static func requirePending(_ item: ReviewItem) throws {
            guard item.status == .pending else {
                throw ReviewStoreError.conflict(
                    id: item.id, status: item.status, by: item.decidedBy, at: item.decidedAt ?? item.updatedAt, attempted: "approve")
            }
        }
    }
}

/// Opens `$VISUAL`/`$EDITOR` (else `vi`) on a reply in a temporary file and reads it back.
enum ReplyEditor {
    static let marker = "#"

    static func edit(_ text: String, item: ReviewItem) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("\(item.id).txt")
        let header = """
            # Reply for \(item.id) (\(item.category ?? "no category")). Lines starting with # are ignored.
            # Save an empty reply to approve nothing. The reply guard checks what you write.

            """
        try (header + text + "\n").write(to: file, atomically: true, encoding: .utf8)
        let environment = ProcessInfo.processInfo.environment
        let editor =
            environment["VISUAL"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["EDITOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "vi"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "sh", file.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            StandardError.print(
                "bedside queue approve: the editor (\(editor)) exited with status \(process.terminationStatus); nothing was queued")
            throw ExitCode(1)
        }
        let edited = try String(contentsOf: file, encoding: .utf8)
        return edited.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix(marker) }
            .joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
