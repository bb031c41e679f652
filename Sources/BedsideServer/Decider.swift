import BedsideCore
import BedsideStore
import Logging

/// Decides messages and records the decisions, the one path every inbound endpoint takes:
/// classify with a pooled classifier, then group-commit; the caller answers only after the commit.
struct Decider<Store: ReviewStore>: Sendable {
    let pool: ClassifierPool
    let batcher: RecordBatcher<Store>
    let store: Store
    let metrics: ServerMetrics
    let notifier: StaffNotifier?
    let logger: Logger

    /// Decides and records `messages` (one transaction with whatever else is committing), returning
    /// what was recorded for each, in order. A message id recorded before returns its first decision.
    func decide(_ messages: [Message], source: String) async throws -> [Recorded] {
        let start = ContinuousClock.now
        let decisions = pool.with { classifier in messages.map { Self.decide($0, with: classifier) } }
        return try await record(decisions, messages, source: source, since: start)
    }

    /// Decides edited messages, each weighed against the decision recorded for its original
    /// (``Decision/forEdit(of:)``): one public reply per message, and a person only when the decision
    /// changes. An edit of a message never recorded (Meta does not promise order) is decided as that
    /// message, under its id, so the original arriving later is a duplicate.
    func decideEdits(_ edits: [(message: Message, originalID: String)], source: String) async throws -> [Recorded] {
        let start = ContinuousClock.now
        var messages: [Message] = []
        var originals: [Decision?] = []
        for edit in edits {
            let original = try await store.decision(for: edit.originalID)
            var message = edit.message
            if original == nil { message.id = edit.originalID }
            messages.append(message)
            originals.append(original)
        }
        let decisions = pool.with { classifier in
            zip(messages, originals).map { message, original in
                let decision = Self.decide(message, with: classifier)
                return original.map(decision.forEdit(of:)) ?? decision
            }
        }
        return try await record(decisions, messages, source: source, since: start)
    }

    /// Queues messages that have no words to decide (a mention, a picture) for a person, each
    /// with its reason.
    func queueForPeople(_ items: [(message: Message, reason: String)], source: String) async throws -> [Recorded] {
        let decisions = items.map { Decision(id: $0.message.id, action: .review, reason: $0.reason) }
        return try await record(decisions, items.map(\.message), source: source, since: ContinuousClock.now)
    }

    /// Commits decisions, counts them and tells staff about new review items.
    private func record(_ decisions: [Decision], _ messages: [Message], source: String, since start: ContinuousClock.Instant) async throws
        -> [Recorded]
    {
        let recorded = try await batcher.record(Array(zip(decisions, messages)).map { (decision: $0.0, message: $0.1) })
        let elapsed = ContinuousClock.now - start
        for entry in recorded {
            metrics.decided(entry.decision, source: source, isNew: entry.isNew)
            metrics.latency(elapsed)
            guard entry.isNew, entry.decision.action == .review, let queueID = entry.decision.queueID else { continue }
            let lost = entry.decision.reason == Classifier.holdingReplyRefused
            if lost {
                logger.warning(
                    "urgent item queued without its holding reply: the reply guard refused it",
                    metadata: [
                        "bedside.queue.id": "\(queueID)", "bedside.category": "\(entry.decision.category ?? "none")",
                    ])
            }
            notifier?.notify(queueID: queueID, category: entry.decision.category, urgent: entry.decision.urgent, holdingReplyLost: lost)
        }
        return recorded
    }

    /// One decision. Duplicates are the store's business (it knows every id ever recorded, across
    /// restarts and processes), so the classifier's own window of recent ids is not consulted: a
    /// request retried after a failed commit must be decided again, not called a duplicate.
    static func decide(_ message: Message, with classifier: Classifier) -> Decision {
        let own = Set(classifier.rulebook.practice.ownAccounts.map(handleKey))
        if let author = message.author, own.contains(handleKey(author)) {
            return Decision(id: message.id, action: .ignore, reason: "own-account")
        }
        return classifier.decision(for: message, outcomes: classifier.evaluate(message.text))
    }

    /// How a handle is compared with the practice's own accounts: case, `@` and spaces ignored
    /// (the classifier's rule).
    static func handleKey(_ handle: String) -> String {
        String(handle.lowercased().filter { !$0.isWhitespace && $0 != "@" })
    }
}
