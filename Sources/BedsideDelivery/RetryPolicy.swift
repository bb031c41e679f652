import Foundation

/// How often and how soon a failed delivery is tried again: exponential backoff with full jitter.
///
/// After attempt `n` fails, the next one waits a random time between 0 and
/// `min(max, base × 2^(n-1))`. After attempt `attempts` fails the entry is dead-lettered.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included (at least 1).
    public var attempts: Int = 6
    /// The first backoff ceiling, in seconds.
    public var base: TimeInterval = 2
    /// The largest backoff ceiling, in seconds.
    public var max: TimeInterval = 600

    /// Creates a policy.
    public init(attempts: Int = 6, base: TimeInterval = 2, max: TimeInterval = 600) {
        self.attempts = attempts
        self.base = base
        self.max = max
    }

    /// The backoff ceiling after attempt `attempt` (1-based) failed.
    public func ceiling(afterAttempt attempt: Int) -> TimeInterval {
        let exponent = Double(Swift.max(0, Swift.min(attempt - 1, 62)))
        return Swift.min(max, base * pow(2, exponent))
    }

    /// When to try again after attempt `attempt` (1-based) failed at `now`, or `nil` when it was the
    /// last. `unit` is a random number in `0..<1` (full jitter).
    public func retryAt(afterAttempt attempt: Int, now: Date, unit: Double) -> Date? {
        guard attempt < attempts else { return nil }
        let delay = ceiling(afterAttempt: attempt) * Swift.min(Swift.max(unit, 0), 1)
        // Never "now": a retry is always strictly later than the failure it follows.
        return now.addingTimeInterval(Swift.max(delay, 0.001))
    }
}
