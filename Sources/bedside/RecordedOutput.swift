import BedsideCore
import BedsideStore
import Foundation

/// `bedside run`'s decisions on their way to the store: held in input order, recorded together
/// through the store's ``RecordBatcher`` (one transaction), and printed only once that commit is
/// done. Works over any ``ReviewStore``.
final class RecordedOutput {
    private enum Slot {
        /// Recorded; printed as the store answers (a message decided in an earlier run: `duplicate`).
        case recorded
        /// Printed as it is: a repeat within this run, which the first decision already covers.
        case asIs(Decision)
    }

    /// Records a batch through the store's ``RecordBatcher`` and returns once it has committed.
    let record: @Sendable ([(decision: Decision, message: Message)]) async throws -> [Recorded]
    let output: OutputBuffer
    /// Commit when this many decisions wait.
    let limit: Int
    private var slots: [Slot] = []
    private var pending: [(decision: Decision, message: Message)] = []
    /// Lines of input behind the decisions printed so far (for the message when the store fails).
    private(set) var committedLines = 0
    /// Set when a commit queued a reply: delivery has work.
    private(set) var queuedReplies = false

    /// Decisions for `store`, whichever kind of store it is.
    convenience init<Store: ReviewStore>(store: Store, output: OutputBuffer, limit: Int = 1024) {
        let batcher = RecordBatcher(store: store, maxBatch: limit)
        self.init(record: { try await batcher.record($0) }, output: output, limit: limit)
    }

    init(
        record: @escaping @Sendable ([(decision: Decision, message: Message)]) async throws -> [Recorded], output: OutputBuffer,
        limit: Int = 1024
    ) {
        self.record = record
        self.output = output
        self.limit = limit
        slots.reserveCapacity(limit)
        pending.reserveCapacity(limit)
    }

    /// True when the held decisions should be committed before reading more.
    var isFull: Bool { slots.count >= limit }

    /// Holds one decision. `message` is nil for a line that could not be read.
    func add(_ decision: Decision, for message: Message?) {
        if decision.action == .ignore, decision.reason == "duplicate" {
            slots.append(.asIs(decision))
            return
        }
        slots.append(.recorded)
        pending.append((decision: decision, message: message ?? Message(id: decision.id, text: "")))
    }

    /// Records what is held in one transaction, then prints it and flushes.
    func commit() async throws {
        guard !slots.isEmpty else { return }
        let recorded = pending.isEmpty ? [] : try await record(pending)
        var answers = recorded.makeIterator()
        for slot in slots {
            let decision: Decision
            switch slot {
            case .asIs(let held): decision = held
            case .recorded:
                let answer = answers.next()!
                decision = answer.printable
                if answer.isNew, answer.decision.reply != nil { queuedReplies = true }
            }
            decision.appendJSON(to: &output.bytes)
            output.bytes.append(0x0A)
        }
        committedLines += slots.count
        slots.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
        output.flush()
    }

    /// Reports and clears the reply flag.
    func takeQueuedReplies() -> Bool {
        defer { queuedReplies = false }
        return queuedReplies
    }
}
