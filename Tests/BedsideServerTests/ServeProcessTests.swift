import BedsideCore
import BedsideStore
import Foundation
import Testing

@testable import BedsideServer

/// `bedside serve` as a process: signals, and what survives `kill -9`.
@Suite(.serialized)
struct ServeProcessTests {
    @Test func sighupWithABrokenRulebookKeepsTheOldOneAndAGoodOneIsTakenUp() async throws {
        let folder = try ServeProcess.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServeProcess(folder: folder)
        let hours = Fixture.message(Fixture.hoursText, id: "h_1")
        #expect(await server.post(hours, webhookID: "w_1").0 == 200)
        let config = folder.appendingPathComponent("bedside.yaml")
        let started = await server.rulebookVersion()
        let shipped = try RulebookFiles.read(configuration: config.path).version
        #expect(started == shipped)

        let rule = folder.appendingPathComponent("rules/00-broken.yaml")
        // Well-formed in every way but one: the pattern does not compile. The reload must be refused
        // for that reason, named with its file, line and column, and not for the file's shape.
        let broken = """
            rules:
              - id: broken
                category: question.hours
                match: ['(unclosed']
                reply: hours
                examples: {matches: ["(unclosed"], ignores: ["hello"]}

            """
        try broken.write(to: rule, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        await server.waitForLog("rulebook reload failed")
        #expect(server.stderr.contains("rulebook reload failed"))
        #expect(server.stderr.contains("00-broken.yaml:4:"))
        #expect(server.stderr.contains("missing closing parenthesis"))
        let after = await server.post(Fixture.message(Fixture.hoursText, id: "h_2"), webhookID: "w_2")
        #expect(after.0 == 200)
        #expect(after.1.contains(#""action":"reply""#))
        #expect(await server.rulebookVersion() == started, "a refused rulebook leaves the version as it was")

        // A good rulebook that makes every unmatched message a review is taken up.
        try FileManager.default.removeItem(at: rule)
        let yaml = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "unmatched: ignore", with: "unmatched: review")
        // Any edit, a comment included, makes a new rulebook version.
        try (yaml + "\n# reviewed at the rollout\n").write(to: config, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        await server.waitForLog("rulebook reloaded")
        #expect(server.stderr.contains("rulebook reloaded"))
        let unmatched = await server.post(Fixture.message("zzzz qqqq", id: "u_1"), webhookID: "w_3")
        #expect(unmatched.1.contains(#""action":"review""#))
        let reloaded = await server.rulebookVersion()
        let expected = try RulebookFiles.read(configuration: config.path).version
        #expect(reloaded != started && reloaded == expected, "\(String(describing: started)) \(String(describing: reloaded)) \(expected)")

        server.signal(SIGTERM)
        #expect(server.wait() == 0)
        #expect(!server.stderr.contains("zzzz"))
    }

    @Test func everyAcknowledgedMessageSurvivesKill9ExactlyOnce() async throws {
        let folder = try ServeProcess.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var server: ServeProcess? = try ServeProcess(folder: folder)
        let total = 300
        var acknowledged: [Int: String] = [:]
        let killer = Task { [server] in
            // Kill once a third has been acknowledged, while the senders are mid-stream.
            while await Acks.shared.count < total / 3 { try await Task.sleep(for: .milliseconds(2)) }
            server?.signal(SIGKILL)
        }
        // Four concurrent senders, so a kill lands while commits are batched.
        await withTaskGroup(of: (Int, Int, String).self) { group in
            for lane in 0..<4 {
                group.addTask { [server] in
                    var last = (lane, 0, "")
                    for i in stride(from: lane, to: total, by: 4) {
                        let (status, body) = await server!.post(Fixture.message(Fixture.reviewText, id: "d_\(i)"), webhookID: "w_\(i)")
                        if status == 0 { break }
                        last = (i, status, body)
                        if status == 200 { await Acks.shared.add(i, body) }
                    }
                    return last
                }
            }
            for await _ in group {}
        }
        acknowledged = await Acks.shared.take()
        _ = try? await killer.value
        _ = server?.wait()
        server = nil
        #expect(acknowledged.count > 0)
        #expect(acknowledged.count < total, "the kill should land mid-stream")

        let restarted = try ServeProcess(folder: folder)
        // Every acknowledged message is there: redelivering it returns the first decision, unchanged.
        for (i, first) in acknowledged {
            let (status, body) = await restarted.post(Fixture.message(Fixture.reviewText, id: "d_\(i)"), webhookID: "w_\(i)")
            #expect(status == 200)
            #expect(body == first)
        }
        restarted.signal(SIGTERM)
        #expect(restarted.wait() == 0)
        let store = try SQLiteReviewStore(path: folder.appendingPathComponent("store.sqlite").path)
        let items = try await store.items(ReviewFilter())
        var perMessage: [String: Int] = [:]
        for item in items { perMessage[item.messageID, default: 0] += 1 }
        for i in acknowledged.keys { #expect(perMessage["d_\(i)"] == 1) }
        #expect(perMessage.values.allSatisfy { $0 == 1 })
    }
}

actor Acks {
    static let shared = Acks()
    private var seen: [Int: String] = [:]
    func add(_ i: Int, _ body: String) { seen[i] = body }
    var count: Int { seen.count }
    func take() -> [Int: String] {
        defer { seen = [:] }
        return seen
    }
}
