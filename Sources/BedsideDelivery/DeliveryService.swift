import BedsideStore

/// The delivery loop, the one every command uses: drains the outbox through a ``Deliverer`` when
/// asked (``signal()``) and, if it has an interval, at once and then every `interval`, until
/// ``finish()``, `shouldStop` or cancellation.
///
/// `bedside serve` runs it every `server.delivery_interval`; `bedside deliver --watch` every
/// `--interval`; `bedside run` with no interval, signalled after each commit that queued replies.
/// Signals that arrive during a drain fold into one more drain, so a busy caller never queues up
/// drains, and a reply queued just before ``finish()`` is still delivered.
public final class DeliveryService<Store: ReviewStore>: Sendable {
    /// What each drain does.
    public let deliverer: Deliverer<Store>
    /// Time between drains when nothing signals; `nil`: only when signalled.
    public let interval: Duration?
    private let wakeup = Wakeup()

    /// Creates the loop; nothing runs until ``run(shouldStop:passed:failed:)``.
    public init(_ deliverer: Deliverer<Store>, every interval: Duration? = nil) {
        self.deliverer = deliverer
        self.interval = interval
    }

    /// Asks for a drain now (cheap; never blocks).
    public func signal() { wakeup.signal() }

    /// Ends ``run(shouldStop:passed:failed:)`` after the drain in progress, and one more if a
    /// signal is waiting (so `signal()` then `finish()` drains exactly once more).
    public func finish() { wakeup.finish() }

    /// Drains until finished, stopped or cancelled (cancellation acts as ``finish()``), and returns
    /// what all the drains did.
    ///
    /// - Parameters:
    ///   - shouldStop: asked between batches and between drains (a graceful shutdown, a signal).
    ///   - passed: told what each drain did.
    ///   - failed: told when a drain fails (the store is unreachable, say); the loop goes on unless
    ///     it throws, which ends the loop with that error.
    @discardableResult
    public func run(
        shouldStop: @escaping @Sendable () -> Bool = { false },
        passed: (DeliveryReport) async -> Void = { _ in },
        failed: (any Error) async throws -> Void = { throw $0 }
    ) async throws -> DeliveryReport {
        var total = DeliveryReport()
        var waitFirst = interval == nil
        while true {
            if waitFirst {
                await wakeup.wait(timeout: interval)
                if wakeup.isFinished, !wakeup.isSignalled { return total }
            }
            waitFirst = true
            if shouldStop() || Task.isCancelled { return total }
            wakeup.takeSignal()
            do {
                let report = try await deliverer.drainOnce(shouldStop: shouldStop)
                total += report
                await passed(report)
            } catch {
                try await failed(error)
            }
        }
    }
}
