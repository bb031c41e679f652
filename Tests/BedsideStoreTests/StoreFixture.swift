import BedsideCore
import BedsideStore
import Foundation
import PostgresTestSupport
import Testing

/// Which implementation a behaviour test runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, memory, postgres

    /// Every store; PostgreSQL only where a server binary exists (``TestPostgres/available`` says why not).
    static var allCases: [StoreKind] { TestPostgres.available ? [.sqlite, .memory, .postgres] : [.sqlite, .memory] }

    var testDescription: String { rawValue }
}

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) { current = start }

    var now: Date { lock.withLock { current } }

    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// A fresh temporary folder, removed when the fixture goes.
final class TemporaryFolder: @unchecked Sendable {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-store-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A store of one kind over a real SQLite file in a temporary folder, a database of its own on the
/// test PostgreSQL server, or memory, with a clock.
struct StoreFixture {
    let store: any ReviewStore
    let clock: TestClock
    let folder: TemporaryFolder

    init(_ kind: StoreKind) async throws {
        let clock = TestClock()
        let folder = TemporaryFolder()
        self.clock = clock
        self.folder = folder
        switch kind {
        case .sqlite: store = try SQLiteReviewStore(path: folder.path("bedside.sqlite"), clock: { clock.now })
        case .memory: store = MemoryReviewStore(clock: { clock.now })
        case .postgres: store = try await PostgresReviewStore(try await TestPostgres.shared.database(), clock: { clock.now })
        }
    }

    /// Records one review decision and returns its queue id.
    func queue(
        _ id: String, text: String = "I came out in a rash after the new tablets", category: String = "risk.adverse-reaction",
        urgent: Bool = false, draft: String? = "Thank you for telling us. Please call us on 020 7946 0321.", holding: String? = nil
    ) async throws -> String {
        let decision = Decision(
            id: id, action: .review, category: category, urgent: urgent, matched: ["adverse-reaction"],
            reason: category, reply: holding, draft: draft)
        let recorded = try await store.record(
            decision, for: Message(id: id, text: text, author: "jane_d", platform: "facebook", thread: "post_9"))
        return try #require(recorded.decision.queueID)
    }
}
