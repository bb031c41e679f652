import Synchronization

/// One waiter's wake-up: by a signal, by `finish`, by cancellation, or when a timeout passes.
final class Wakeup: Sendable {
    private struct State {
        var signalled = false
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?
        /// Tells a timeout from an earlier wait not to end a later one.
        var generation = 0
        /// The last wait whose timeout has passed.
        var expired = 0
    }

    private let state = Mutex(State())

    var isFinished: Bool { state.withLock { $0.finished } }
    var isSignalled: Bool { state.withLock { $0.signalled } }

    func signal() {
        state.withLock {
            $0.signalled = true; return $0.waiter.take()
        }?.resume()
    }

    func finish() {
        state.withLock {
            $0.finished = true; return $0.waiter.take()
        }?.resume()
    }

    /// Clears a waiting signal.
    func takeSignal() { state.withLock { $0.signalled = false } }

    /// Returns when signalled, finished or cancelled (at once if one of those already happened), or
    /// when `timeout` has passed.
    func wait(timeout: Duration?) async {
        let generation = state.withLock { state -> Int in
            state.generation += 1
            return state.generation
        }
        let timer = timeout.map { timeout in
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                self?.state.withLock { state in
                    state.expired = generation
                    return state.generation == generation ? state.waiter.take() : nil
                }?.resume()
            }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Bool in
                    if state.signalled || state.finished || state.expired == generation || Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            finish()
        }
        timer?.cancel()
    }
}
