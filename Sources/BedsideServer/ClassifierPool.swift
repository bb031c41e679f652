import BedsideCore
import Synchronization

/// The current rulebook and a few classifiers made from it. Classifiers are not thread-safe, so each
/// decision borrows one; a reload swaps the rulebook and classifiers of the old one are dropped when
/// returned.
final class ClassifierPool: Sendable {
    /// A classifier made for one rulebook generation; only ever used by one task at a time.
    final class Lease: @unchecked Sendable {
        let classifier: Classifier
        let generation: Int
        init(_ classifier: Classifier, generation: Int) {
            self.classifier = classifier
            self.generation = generation
        }
    }

    private struct State {
        var rulebook: Rulebook
        var generation: Int
        var idle: [Lease]
    }

    private let state: Mutex<State>
    private let keep: Int

    /// Creates a pool that keeps up to `keep` idle classifiers.
    init(rulebook: Rulebook, keep: Int) {
        state = Mutex(State(rulebook: rulebook, generation: 0, idle: []))
        self.keep = max(1, keep)
        for _ in 0..<self.keep { give(Lease(Classifier(rulebook: rulebook), generation: 0)) }
    }

    /// The rulebook decisions are made by now.
    var rulebook: Rulebook { state.withLock { $0.rulebook } }

    /// Replaces the rulebook; decisions started after this use the new one.
    func replace(_ rulebook: Rulebook) {
        state.withLock {
            $0.rulebook = rulebook
            $0.generation += 1
            $0.idle.removeAll()
        }
    }

    /// Runs `body` with a classifier of the current rulebook.
    func with<T>(_ body: (Classifier) throws -> T) rethrows -> T {
        let lease = take()
        defer { give(lease) }
        return try body(lease.classifier)
    }

    private func take() -> Lease {
        let (lease, rulebook, generation) = state.withLock { s in (s.idle.popLast(), s.rulebook, s.generation) }
        return lease ?? Lease(Classifier(rulebook: rulebook), generation: generation)
    }

    private func give(_ lease: Lease) {
        state.withLock { s in
            if lease.generation == s.generation, s.idle.count < keep { s.idle.append(lease) }
        }
    }
}
