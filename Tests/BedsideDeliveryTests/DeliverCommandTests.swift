import BedsideCore
import BedsideStore
import Foundation
import Testing

/// `bedside deliver` end to end, through the built executable and a real SQLite store.
struct DeliverCommandTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The built executable: `$BEDSIDE_BINARY`, else the one beside this test bundle.
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["BEDSIDE_BINARY"] { return URL(fileURLWithPath: path) }
        var candidates: [URL] = []
        for argument in CommandLine.arguments where argument.contains(".xctest") {
            candidates.append(
                URL(fileURLWithPath: String(argument.prefix(upTo: argument.range(of: ".xctest")!.upperBound))).deletingLastPathComponent())
        }
        candidates += CommandLine.arguments.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
        for directory in candidates where FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("bedside").path) {
            return directory.appendingPathComponent("bedside")
        }
        return repositoryRoot.appendingPathComponent(".build/debug/bedside")
    }()

    /// A practice folder: the repository's profile plus `delivery`, its rules and responses, and a store
    /// holding one automatic reply per message.
    static func practice(delivery: String, replies: Int) async throws -> (folder: URL, store: SQLiteReviewStore) {
        let (folder, store) = try practiceFolder(delivery: delivery)
        for n in 0..<replies {
            let message = Message(
                id: "fb_\(n)", text: "What time do you open on Saturday? (\(n))", platform: "facebook", thread: "post_\(n)")
            let decision = Decision(
                id: message.id, action: .reply, category: "question.hours", matched: ["hours"],
                reply: "We open at 9am on Saturdays. Reply \(n).")
            _ = try await store.record(decision, for: message)
        }
        return (folder, store)
    }

    /// A practice folder (the repository's profile plus `delivery`, its rules and responses) with an empty SQLite store.
    static func practiceFolder(delivery: String) throws -> (folder: URL, store: SQLiteReviewStore) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-deliver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let profile = try String(contentsOf: repositoryRoot.appendingPathComponent("bedside.yaml"), encoding: .utf8)
        try (profile + "\n" + delivery).write(to: folder.appendingPathComponent("bedside.yaml"), atomically: true, encoding: .utf8)
        for name in ["rules", "responses", "lists", "fragments", "guard.yaml"] {
            let source = repositoryRoot.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: source.path) {
                try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent(name), withDestinationURL: source)
            }
        }
        return (folder, try SQLiteReviewStore(path: folder.appendingPathComponent("bedside.sqlite").path))
    }

    static func launch(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws -> (Process, URL, URL) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "BEDSIDE_CONFIG")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = folder.appendingPathComponent("stdout-\(UUID().uuidString)")
        let err = folder.appendingPathComponent("stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    static func wait(_ process: Process, timeout: TimeInterval) async -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < end { try? await Task.sleep(nanoseconds: 20_000_000) }
        return !process.isRunning
    }

    static func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    @Test func drainsOnceIntoTheOutboxFileAndSummarises() async throws {
        let (folder, store) = try await Self.practice(delivery: "", replies: 3)
        let (process, out, err) = try Self.launch(["deliver", "--json", "--config", "bedside.yaml"], in: folder)
        #expect(await Self.wait(process, timeout: 60))
        #expect(process.terminationStatus == 0)
        #expect(Self.text(out) == #"{"dead_lettered":0,"delivered":3,"retrying":0}"# + "\n")
        #expect(Self.text(err) == "bedside deliver: 3 delivered, 0 retrying, 0 dead-lettered (outbox-file)\n")
        let lines = Self.text(folder.appendingPathComponent("outbox.jsonl")).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(try await store.outbox(status: .sent).count == 3)
    }

    @Test func aBadDeliverySectionIsReportedWhereItIs() async throws {
        let (folder, _) = try await Self.practice(
            delivery: "delivery:\n  connector: webhook\n  webhook: {url: \"https://h.example/x\", secret: abc}\n", replies: 0)
        let (process, _, err) = try Self.launch(["deliver", "--config", "bedside.yaml"], in: folder)
        #expect(await Self.wait(process, timeout: 60))
        #expect(process.terminationStatus == 2)
        let lines = Self.text(err).split(separator: "\n").map(String.init)
        #expect(
            lines.contains {
                $0.hasPrefix("bedside.yaml:")
                    && $0.hasSuffix("error: unknown key 'secret' in 'delivery.webhook'; did you mean 'secret_env'?")
            })
    }

    @Test func listsDeadLettersWithoutTheirText() async throws {
        let standIn = try StandIn(routes: ["/hook": [["status": 403]]])
        let delivery =
            "delivery:\n  connector: webhook\n  webhook: {url: \"\(standIn.url("/hook").absoluteString)\", secret_env: BEDSIDE_TEST_SECRET}\n"
        let (folder, store) = try await Self.practice(delivery: delivery, replies: 2)
        let environment = ["BEDSIDE_TEST_SECRET": vectorSecret]
        let (deliver, _, err) = try Self.launch(["deliver", "--config", "bedside.yaml"], in: folder, environment: environment)
        #expect(await Self.wait(deliver, timeout: 60))
        #expect(Self.text(err) == "bedside deliver: 0 delivered, 0 retrying, 2 dead-lettered (webhook)\n")
        let (list, out, _) = try Self.launch(
            ["deliver", "--failed", "--json", "--config", "bedside.yaml"], in: folder, environment: environment)
        #expect(await Self.wait(list, timeout: 60))
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(Self.text(out).utf8)) as? [[String: Any]])
        let keys = Set(try await store.outbox(status: .failed).map(\.idempotencyKey))
        #expect(Set(listed.compactMap { $0["idempotency_key"] as? String }) == keys)
        #expect(listed.allSatisfy { ($0["last_error"] as? String) == "attempt 1: HTTP 403; not retried" })
        #expect(!Self.text(out).contains("We open at 9am"))
    }

    @Test func aMissingSecretIsNamedNeverShown() async throws {
        let (folder, _) = try await Self.practice(
            delivery: "delivery:\n  connector: webhook\n  webhook: {url: \"https://h.example/x\", secret_env: BEDSIDE_TEST_UNSET_SECRET}\n",
            replies: 1)
        let (process, _, err) = try Self.launch(["deliver", "--config", "bedside.yaml"], in: folder)
        #expect(await Self.wait(process, timeout: 60))
        #expect(process.terminationStatus == 2)
        #expect(Self.text(err).contains("$BEDSIDE_TEST_UNSET_SECRET is not set"))
    }

    /// kill -9 mid-drain, restart: every reply delivered; a key the store had marked sent is never
    /// posted again; a key posted twice was first posted before the kill (the one in flight).
    @Test func resumesAfterAKillWithoutDoublePosting() async throws {
        let standIn = try StandIn(routes: ["/hook": [["status": 200, "delay": 0.05]]], webhookSecret: vectorSecret)
        let delivery = """
            delivery:
              connector: webhook
              webhook: {url: "\(standIn.url("/hook").absoluteString)", secret_env: BEDSIDE_TEST_OUTBOUND_SECRET}
              retry: {attempts: 10, base: 50ms, max: 200ms}
              timeout: 5s
            """
        let total = 60
        let (folder, store) = try await Self.practice(delivery: delivery, replies: total)
        let arguments = ["deliver", "--watch", "--interval", "100ms", "--lease", "1s", "--config", "bedside.yaml"]
        let environment = ["BEDSIDE_TEST_OUTBOUND_SECRET": vectorSecret]

        let (first, _, firstErr) = try Self.launch(arguments, in: folder, environment: environment)
        let started = Date()
        while standIn.requests().count < 12, Date().timeIntervalSince(started) < 60 { try await Task.sleep(nanoseconds: 5_000_000) }
        kill(first.processIdentifier, SIGKILL)
        #expect(await Self.wait(first, timeout: 10))
        let killedAt = Date().timeIntervalSince1970
        let sentBeforeKill = Set(try await store.outbox(status: .sent).map(\.idempotencyKey))
        let seenBeforeKill = standIn.requests()
        #expect(sentBeforeKill.count < total, "the kill came after the drain: \(Self.text(firstErr))")
        #expect(!seenBeforeKill.isEmpty)

        let (second, _, secondErr) = try Self.launch(arguments, in: folder, environment: environment)
        let resumed = Date()
        while try await store.outbox(status: .pending).count > 0, Date().timeIntervalSince(resumed) < 60 {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        kill(second.processIdentifier, SIGTERM)
        #expect(await Self.wait(second, timeout: 10), "SIGTERM did not stop --watch")
        #expect(second.terminationStatus == 0)
        #expect(Self.text(secondErr).contains("bedside deliver: stopped; in all"))

        let entries = try await store.outbox(status: nil)
        #expect(entries.count == total)
        #expect(entries.allSatisfy { $0.status == .sent })
        let requests = standIn.requests()
        #expect(requests.allSatisfy { $0.verified == true })
        let keysBeforeKill = Set(seenBeforeKill.compactMap(\.key))
        var byKey: [String: [StandIn.Request]] = [:]
        for request in requests { byKey[request.key ?? "", default: []].append(request) }
        for entry in entries {
            let seen = byKey[entry.idempotencyKey] ?? []
            #expect(!seen.isEmpty, "\(entry.idempotencyKey) never reached the stand-in")
            if seen.count > 1 {
                #expect(keysBeforeKill.contains(entry.idempotencyKey), "\(entry.idempotencyKey) was posted twice, both after the kill")
                #expect(
                    seen.filter { $0.time > killedAt }.count == 1, "\(entry.idempotencyKey) was posted more than once after the restart")
            }
            if sentBeforeKill.contains(entry.idempotencyKey) {
                #expect(!seen.contains { $0.time > killedAt }, "\(entry.idempotencyKey) was marked sent yet posted again")
            }
        }
    }
}
