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
                queued (exit 1) unless an admin (acting with their --token or $BEDSIDE_TOKEN) gives \
                --override REASON, which is recorded in the audit trail with the guard's findings. Exit 0 \
                when the reply is queued; exit 1 when the item is no longer pending or the text is refused.
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

        @Option(help: ArgumentHelp("Send a text the reply guard refuses, for this recorded reason (admins only).", valueName: "reason"))
        var override: String?

        func run() async throws {
            try await Self.approve(options: options, actor: actor, id: id, reply: reply, edit: edit, override: override, command: "approve")
        }

        /// Approves item `id` with `reply`, the draft, or what the editor returns; shared with `queue edit`.
        static func approve(
            options: QueueOptions, actor: ActorOption, id: String, reply: String?, edit: Bool, override: String?, command: String
        ) async throws {
            let (desk, reviewer, rulebook, store) = try await options.desk(command, actor: actor)
            var text = reply
            if edit {
                let item = try await storeAction(command) { try await desk.pendingItem(id, for: "approve") }
                text = try ReplyEditor.edit(reply ?? item.draft ?? "", item: item)
            }
            let approval = try await storeAction(command) { try await desk.approve(id, reply: text, override: override, by: reviewer) }
            let key = StoreIDs.idempotencyKey(messageID: approval.item.messageID, kind: "approved", text: approval.text)
            print("\(id) \(approval.item.status.rawValue) by \(reviewer.name); the reply is queued for delivery (idempotency key \(key))")
            if let override = approval.override { print("override recorded: \(override)") }
            await InProcessDelivery.drainOnce(store: store, configuration: rulebook.configuration, storeFolder: options.folder(rulebook))
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
