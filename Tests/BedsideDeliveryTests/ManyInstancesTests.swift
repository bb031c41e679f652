import BedsideCore
import BedsideDelivery
import BedsideStore
import Foundation
import PostgresTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Two `bedside serve` receivers and two `bedside deliver --watch` workers on one PostgreSQL
/// database, with a stand-in platform: 20,000 signed webhook posts spread across both receivers
/// (a fifth of them repeats of a webhook already sent, to the other receiver), one receiver and one
/// worker killed with SIGKILL mid-run and started again. Afterwards every acknowledged message is
/// recorded once, every reply was acted on by the platform once, every review item is queued
/// once, and the audit trail is whole.
@Suite(.enabled(if: TestPostgres.available, "no PostgreSQL server binary here (install postgresql)"))
struct ManyInstancesTests {
    static let inboundSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let posts = 20_000
    static let repeats = 4_000
    /// Posts in flight at once, as a platform sends them.
    static let lanes = 32

    /// A practice whose replies go to the stand-in's `/hook`.
    static func practice(hook: URL) throws -> URL {
        let delivery = """
            delivery:
              connector: webhook
              webhook: {url: "\(hook.absoluteString)", secret_env: BEDSIDE_TEST_OUTBOUND_SECRET}
              retry: {attempts: 20, base: 50ms, max: 500ms}
              timeout: 5s
            """
        let (folder, _) = try DeliverCommandTests.practiceFolder(delivery: delivery)
        return folder
    }

    /// What the platform sends: replies, reviews (some urgent, with a holding reply) and noise.
    static func body(_ n: Int) -> String {
        let texts = [
            "What time do you open on Saturday?",
            "I came out in a rash after the new tablets you gave me",
            "Do you have parking for disabled visitors?",
            "I want to end my life tonight",
            "Lovely weather today",
            "Can I book online for a check-up next week?",
        ]
        let object: [String: Any] = [
            "id": "mi_\(n)", "text": "\(texts[n % texts.count]) (\(n))", "author": "user\(n % 97)", "platform": "facebook",
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test(.timeLimit(.minutes(10)))
    func manyInstancesOneTruth() async throws {
        let database = try await TestPostgres.shared.database()
        let url = "postgres://\(database.user)@\(database.host):\(database.port)/\(database.database)?sslmode=disable"
        let standIn = try StandIn(routes: ["/hook": [["status": 200]]], webhookSecret: vectorSecret)
        let folder = try Self.practice(hook: standIn.url("/hook"))
        let environment = [
            "BEDSIDE_TEST_OUTBOUND_SECRET": vectorSecret, "BEDSIDE_WEBHOOK_SECRET": Self.inboundSecret, "BEDSIDE_STORE": url,
        ]
        let receivers = Receivers(folder: folder, environment: environment)
        try receivers.start(0)
        try receivers.start(1)
        var workers = try (0..<2).map { _ in try Self.worker(folder, environment) }

        // Unique messages go to one receiver or the other; a repeat goes to the other one.
        let unique = Self.posts - Self.repeats
        let plan: [(n: Int, receiver: Int)] =
            ((0..<unique).map { ($0, $0 % 2) } + (0..<Self.repeats).map { (($0 * 4) % unique, 1 - ($0 * 4) % unique % 2) }).shuffled()
        let acknowledged = Acknowledged()
        let sender = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<Self.lanes {
                    group.addTask {
                        for index in stride(from: lane, to: plan.count, by: Self.lanes) {
                            let (n, receiver) = plan[index]
                            try await receivers.deliver(Self.body(n), webhookID: "wh_\(n)", first: receiver)
                            acknowledged.add(n)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        // Mid-run: one receiver and one worker are killed without warning, then started again.
        while acknowledged.count < Self.posts * 2 / 5 { try await Task.sleep(for: .milliseconds(50)) }
        receivers.kill(0)
        kill(workers[0].processIdentifier, SIGKILL)
        workers[0].waitUntilExit()
        try await Task.sleep(for: .milliseconds(500))
        try receivers.start(0)
        workers[0] = try Self.worker(folder, environment)
        try await sender.value
        #expect(acknowledged.count == Self.posts)

        let store = try await PostgresReviewStore(database)
        // Every reply delivered: nothing left pending, and the platform saw each key.
        let deadline = Date().addingTimeInterval(240)
        var entries: [OutboxEntry] = []
        while Date() < deadline {
            entries = try await store.outbox(status: nil)
            if !entries.isEmpty, entries.allSatisfy({ $0.status == .sent }) { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        for worker in workers { kill(worker.processIdentifier, SIGTERM) }
        receivers.stopAll()

        // Every acknowledged message recorded exactly once.
        #expect(try await TestPostgres.execute("SELECT count(*) FROM decision", in: database) == ["\(unique)"])
        #expect(try await TestPostgres.execute("SELECT count(DISTINCT message_id) FROM decision", in: database) == ["\(unique)"])
        for n in [0, 1, unique / 2, unique - 1] { #expect(try await store.decision(for: "mi_\(n)") != nil) }
        // Every reply acted on by the platform exactly once (a repeat after a kill is answered as a duplicate).
        #expect(entries.allSatisfy { $0.status == .sent }, "\(entries.filter { $0.status != .sent }.count) replies not delivered")
        let acted = standIn.requests().filter { !$0.duplicate && (200..<300).contains($0.status) }.compactMap(\.key)
        #expect(acted.count == entries.count)
        #expect(Set(acted) == Set(entries.map(\.idempotencyKey)))
        #expect(entries.count > unique / 3, "the rulebook replied to the questions")
        // Every review item on the queue once, with its audit trail.
        let reviews = try await TestPostgres.execute("SELECT count(*) FROM decision WHERE action = 'review'", in: database)
        let items = try await store.items(ReviewFilter())
        #expect(["\(items.count)"] == reviews)
        #expect(Set(items.map(\.messageID)).count == items.count)
        #expect(items.count > unique / 4, "the rulebook queued the risky messages")
        #expect(try await TestPostgres.execute("SELECT count(*) FROM audit WHERE action = 'queued'", in: database) == ["\(items.count)"])
        #expect(try await store.integrityProblems() == [])
    }

    static func worker(_ folder: URL, _ environment: [String: String]) throws -> Process {
        let arguments = ["deliver", "--watch", "--interval", "0.2", "--lease", "3", "--config", "bedside.yaml"]
        return try DeliverCommandTests.launch(arguments, in: folder, environment: environment).0
    }
}

/// The two receivers, by slot; a slot's process is replaced when it is killed and started again.
final class Receivers: @unchecked Sendable {
    let folder: URL
    let environment: [String: String]
    private let lock = NSLock()
    private var processes: [Int: Process] = [:]
    private var ports: [Int: Int] = [:]

    init(folder: URL, environment: [String: String]) {
        self.folder = folder
        self.environment = environment
    }

    /// Starts `bedside serve` in a slot and waits until it listens.
    func start(_ slot: Int) throws {
        let process = Process()
        process.executableURL = DeliverCommandTests.binary
        process.arguments = ["serve", "--config", "bedside.yaml", "--port", "0", "--log-level", "warning"]
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "BEDSIDE_CONFIG")
        env.merge(environment) { $1 }
        process.environment = env
        let stdout = Pipe()
        process.standardOutput = stdout
        let log = folder.appendingPathComponent("serve-\(slot)-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard
            let port = String(decoding: line, as: UTF8.self).split(separator: ":").last.flatMap({
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            })
        else { throw StandInError(description: "bedside serve did not start: \(DeliverCommandTests.text(log))") }
        lock.withLock {
            processes[slot] = process
            ports[slot] = port
        }
    }

    func kill(_ slot: Int) {
        guard let process = lock.withLock({ processes.removeValue(forKey: slot) }) else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stopAll() {
        for slot in lock.withLock({ Array(processes.keys) }) { kill(slot) }
    }

    /// Posts a signed message the way a platform does: to `first`, and on any failure (a refused
    /// connection, a timeout, an error status) again, to either receiver, until one acknowledges it.
    func deliver(_ body: String, webhookID: String, first: Int) async throws {
        let signer = try StandardWebhooks(secret: ManyInstancesTests.inboundSecret)
        var slot = first
        for attempt in 0..<200 {
            if let port = lock.withLock({ ports[slot] }), lock.withLock({ processes[slot] != nil }) {
                var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/messages")!)
                request.httpMethod = "POST"
                request.timeoutInterval = 15
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                let data = Data(body.utf8)
                for (name, value) in signer.headers(id: webhookID, timestamp: Int(Date().timeIntervalSince1970), body: data) {
                    request.setValue(value, forHTTPHeaderField: name)
                }
                request.httpBody = data
                if let (_, response) = try? await URLSession.shared.data(for: request),
                    let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status)
                {
                    return
                }
            }
            slot = 1 - slot
            if attempt > 0 { try await Task.sleep(for: .milliseconds(20)) }
        }
        throw StandInError(description: "no receiver acknowledged \(webhookID)")
    }
}

/// How many posts a receiver acknowledged.
final class Acknowledged: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0

    func add(_ n: Int) { lock.withLock { total += 1 } }

    var count: Int { lock.withLock { total } }
}
