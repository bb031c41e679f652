import BedsideCore
import BedsideStore
import Logging

/// Decides messages and records the decisions, the one path every inbound endpoint takes:
/// classify with a pooled classifier, then group-commit; the caller answers only after the commit.
struct Decider<Store: ReviewStore>: Sendable {
    let pool: ClassifierPool
    let batcher: RecordBatcher<Store>
    let metrics: ServerMetrics
    let notifier: StaffNotifier?

    /// Decides and records `messages` (one transaction with whatever else is committing), returning
    /// what was recorded for each, in order. A message id recorded before returns its first decision.
    func decide(_ messages: [Message], source: String) async throws -> [Recorded] {
        let start = ContinuousClock.now
        let decisions = pool.with { classifier in messages.map { Self.decide($0, with: classifier) } }
        let recorded = try await batcher.record(Array(zip(decisions, messages)).map { (decision: $0.0, message: $0.1) })
        let elapsed = ContinuousClock.now - start
        for entry in recorded {
            metrics.decided(entry.decision, source: source, isNew: entry.isNew)
            metrics.latency(elapsed)
            if entry.isNew, entry.decision.action == .review, let queueID = entry.decision.queueID {
                notifier?.notify(queueID: queueID, category: entry.decision.category, urgent: entry.decision.urgent)
            }
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
        return classifier.decide(message, outcomes: classifier.evaluate(message.text))
    }

    /// How a handle is compared with the practice's own accounts: case, `@` and spaces ignored
    /// (the classifier's rule).
    static func handleKey(_ handle: String) -> String {
        String(handle.lowercased().filter { !$0.isWhitespace && $0 != "@" })
    }
}
