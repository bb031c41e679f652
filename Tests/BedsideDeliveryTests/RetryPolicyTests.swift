import BedsideDelivery
import Foundation
import Testing

struct RetryPolicyTests {
    let policy = RetryPolicy(attempts: 4, base: 2, max: 5)
    let now = Date(timeIntervalSince1970: 1_000)

    @Test func ceilingsDoubleUpToTheCap() {
        #expect((1...4).map(policy.ceiling(afterAttempt:)) == [2, 4, 5, 5])
    }

    @Test func fullJitterSpansZeroToTheCeiling() throws {
        let low = try #require(policy.retryAt(afterAttempt: 2, now: now, unit: 0))
        let high = try #require(policy.retryAt(afterAttempt: 2, now: now, unit: 0.999))
        #expect(low > now && low.timeIntervalSince(now) < 0.01)
        #expect(abs(high.timeIntervalSince(now) - 3.996) < 0.001)
    }

    @Test func theLastAttemptIsNotRetried() {
        #expect(policy.retryAt(afterAttempt: 3, now: now, unit: 0.5) != nil)
        #expect(policy.retryAt(afterAttempt: 4, now: now, unit: 0.5) == nil)
    }
}
