import BedsideCore
import Foundation

/// The one place that decides what staff may do to review items — approve (the draft or an edited
/// text), reject, assign, and override the reply guard — for every channel: `bedside queue`, the
/// review API and the console behind it. Every channel therefore writes the same audit text and
/// follows the same rules:
///
/// - reviewers and admins may approve, edit, reject and assign pending items;
/// - every text to send passes the reply guard against the message it answers; a refused text is
///   sent only when an admin gives a justification (an override), recorded with the guard's
///   findings as `check: reason` (never the words found: they may be the writer's);
/// - a rejection says why;
/// - the first to act wins: acting on an item that is no longer pending is a conflict.
public struct ReviewDesk: Sendable {
    /// What an approval did.
    public struct Approval: Sendable {
        /// The item as it is now (`approved` or `edited`).
        public var item: ReviewItem
        /// The text queued for delivery.
        public var text: String
        /// The guard's findings the override answered (empty: the guard passed the text).
        public var findings: [String]
        /// The recorded justification, when the guard was overridden.
        public var override: String?
    }

    let store: any ReviewStore
    /// The reply guard: every reason a text may not be sent in answer to a message.
    let check: @Sendable (_ text: String, _ answering: Message?) -> [ReplyGuard.Violation]

    /// Creates a desk over `store`, checking texts with `check` (a classifier's
    /// ``Classifier/guardViolations(_:answering:)``).
    public init(store: any ReviewStore, check: @escaping @Sendable (_ text: String, _ answering: Message?) -> [ReplyGuard.Violation]) {
        self.store = store
        self.check = check
    }

    /// A pending item, or ``ReviewStoreError/notFound(id:)`` / ``ReviewStoreError/conflict(id:status:by:at:attempted:)``.
    public func pendingItem(_ id: String, for attempted: String) async throws -> ReviewItem {
        guard let item = try await store.item(id) else { throw ReviewStoreError.notFound(id: id) }
        guard item.status == .pending else {
            throw ReviewStoreError.conflict(
                id: item.id, status: item.status, by: item.decidedBy, at: item.decidedAt ?? item.updatedAt, attempted: attempted)
        }
        return item
    }

    /// Approves item `id` with `reply` (else its draft) and queues the text for delivery.
    ///
    /// - Parameter override: the justification for sending a text the guard refuses; only an admin's counts.
    public func approve(_ id: String, reply: String?, override: String?, by reviewer: Reviewer) async throws -> Approval {
        let item = try await pendingItem(id, for: "approve")
        guard let text = reply ?? item.draft, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ReviewRefusal.noReplyText(id: id)
        }
        let message = item.text.map {
            Message(id: item.messageID, text: $0, author: item.author, platform: item.platform, thread: item.thread)
        }
        let violations = check(text, message)
        let findings = violations.map { "\($0.check): \($0.reason)" }
        var justification: String?
        if !findings.isEmpty {
            guard let given = override?.trimmingCharacters(in: .whitespacesAndNewlines), !given.isEmpty else {
                throw ReviewRefusal.guardRefused(id: id, findings: findings, violations: violations)
            }
            guard reviewer.role == .admin else { throw ReviewRefusal.overrideNotAllowed(id: id, findings: findings) }
            justification = given
        }
        let approved = try await store.approve(id, text: text, by: reviewer.name, override: justification, guardFindings: findings)
        return Approval(item: approved, text: approved.finalText ?? text, findings: findings, override: justification)
    }

    /// Closes item `id` without a reply; `reason` is required.
    public func reject(_ id: String, reason: String?, by reviewer: Reviewer) async throws -> ReviewItem {
        guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
            throw ReviewRefusal.reasonRequired(id: id)
        }
        return try await store.reject(id, reason: reason, by: reviewer.name)
    }

    /// Hands pending item `id` to `assignee` (`nil`: the reviewer takes it).
    public func assign(_ id: String, to assignee: String?, by reviewer: Reviewer) async throws -> ReviewItem {
        let to = (assignee ?? reviewer.name).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !to.isEmpty else { throw ReviewRefusal.assigneeRequired(id: id) }
        return try await store.assign(id, to: to, by: reviewer.name)
    }
}
