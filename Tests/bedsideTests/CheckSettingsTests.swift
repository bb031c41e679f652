import Foundation
import Testing

/// `bedside check` runs every section's validator, with the environment's per-deployment settings,
/// so what it passes `serve` will run with (issue 10, item 4); through the built binary.
@Suite(.serialized)
struct CheckSettingsTests {
    /// A one-rule rulebook whose `bedside.yaml` ends with `extra`.
    static func rulebook(_ extra: String) throws -> TemporaryDirectory {
        try FixtureRulebook.write(
            configuration: FixtureRulebook.practice + extra,
            rules: """
                rules:
                  - id: prices
                    category: question.prices
                    match: ['\\bprices?\\b']
                    reply: prices
                    examples: {matches: ["What are your prices?"], ignores: ["Lovely staff"]}
                """,
            responses: [("prices", "Thanks for asking. Call {{practice.phone}} for our prices.")])
    }

    static func check(_ directory: TemporaryDirectory, _ extra: [String] = [], environment: [String: String] = [:]) throws
        -> BedsideBinary.Result
    {
        var env = ["BEDSIDE_HOST": "", "BEDSIDE_PORT": "", "BEDSIDE_LOG_LEVEL": ""]
        for (k, v) in environment { env[k] = v }
        return try BedsideBinary.run(["check", "--config", "bedside.yaml"] + extra, in: directory.url, environment: env)
    }

    @Test func aMisspeltOrOutOfRangeServerSettingFailsCheck() throws {
        let directory = try Self.rulebook("server:\n  prot: 8080\n  port: 70000\n  log_level: verbose\n")
        let result = try Self.check(directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("bedside.yaml:6:3: error: unknown key 'prot' in 'server'; did you mean 'port'?"), "\(result.stderr)")
        #expect(result.stderr.contains("bedside.yaml:7:9: error: server.port must be a whole number from 0 to 65535, not '70000'"))
        #expect(
            result.stderr.contains(
                "bedside.yaml:8:14: error: server.log_level must be one of trace, debug, info, notice, warning, error, critical, not 'verbose'"
            ))
        #expect(result.stdout.isEmpty)
    }

    @Test func aBadTokenEntryFailsCheck() throws {
        let directory = try Self.rulebook("tokens:\n  - {name: sam, rol: admin, sha256: abc}\n")
        let result = try Self.check(directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("bedside.yaml:6:17: error: unknown key 'rol' in a token; did you mean 'role'?"), "\(result.stderr)")
        #expect(result.stderr.contains("error: a token's sha256 must be 64 hex digits"))
    }

    @Test func theEnvironmentIsCheckedToo() throws {
        let directory = try Self.rulebook("server:\n  port: 8080\n")
        let result = try Self.check(directory, environment: ["BEDSIDE_PORT": "70000", "BEDSIDE_LOG_LEVEL": "loud"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("$BEDSIDE_PORT: error: must be a port from 0 to 65535, not '70000'"), "\(result.stderr)")
        #expect(result.stderr.contains("$BEDSIDE_LOG_LEVEL: error: must be one of trace, debug"))
    }

    @Test func serveRefusesWhatCheckRefuses() throws {
        let directory = try Self.rulebook("server:\n  port: 70000\n")
        var result = try BedsideBinary.run(["serve", "--config", "bedside.yaml", "--store", ":memory:"], in: directory.url)
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("bedside.yaml:6:9: error: server.port must be a whole number from 0 to 65535, not '70000'"),
            "\(result.stderr)")
        let fine = try Self.rulebook("")
        result = try BedsideBinary.run(
            ["serve", "--config", "bedside.yaml", "--store", ":memory:"], in: fine.url, environment: ["BEDSIDE_PORT": "70000"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("$BEDSIDE_PORT: error: must be a port from 0 to 65535, not '70000'"), "\(result.stderr)")
        #expect(!result.stdout.contains("listening"))
    }

    @Test func jsonShowsTheSettingsServeWouldUseWithSecretsRedacted() throws {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let directory = try Self.rulebook(
            """
            server:
              host: 0.0.0.0
              port: 8080
            delivery:
              connector: webhook
              webhook: {url: "https://user:pw@hooks.example/in/KEY123?sig=abc", secret_env: HOOK_SECRET}

            """)
        let result = try Self.check(
            directory, ["--json"],
            environment: ["BEDSIDE_PORT": "9090", "BEDSIDE_WEBHOOK_SECRET": secret, "HOOK_SECRET": "hook-secret-value"])
        #expect(result.status == 0, "\(result.stderr) \(result.stdout)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["ok"] as? Bool == true)
        let settings = try #require(object["settings"] as? [String: Any])
        let server = try #require(settings["server"] as? [String: Any])
        #expect(server["host"] as? String == "0.0.0.0")
        #expect(server["port"] as? Int == 9090)
        #expect(server["webhook_secret"] as? String == "set")
        let webhook = try #require((settings["delivery"] as? [String: Any])?["webhook"] as? [String: Any])
        #expect(webhook["url"] as? String == "https://hooks.example/…")
        #expect(webhook["secret"] as? String == "set")
        for leaked in [secret, "hook-secret-value", "KEY123", "pw@", "sig=abc"] { #expect(!result.stdout.contains(leaked), "\(leaked)") }
    }

    @Test func jsonListsEveryProblemWithItsPlace() throws {
        let directory = try Self.rulebook("server:\n  prot: 8080\n")
        let result = try Self.check(directory, ["--json"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["ok"] as? Bool == false)
        let problems = try #require(object["problems"] as? [[String: Any]])
        #expect(problems.count == 1)
        #expect(problems.first?["file"] as? String == "bedside.yaml")
        #expect(problems.first?["line"] as? Int == 6)
        #expect(problems.first?["column"] as? Int == 3)
        #expect(problems.first?["severity"] as? String == "error")
    }
}

/// Times shown to staff are in the practice's time zone; stored and `--json` times stay UTC
/// (issue 10, item 14).
@Suite(.serialized)
struct PracticeTimeZoneTests {
    @Test func anUnknownTimeZoneFailsCheckWithASuggestion() throws {
        let directory = try CheckSettingsTests.rulebook("")
        let config = directory.url.appendingPathComponent("bedside.yaml")
        let text = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(
            of: "  region: UK\n", with: "  region: UK\n  timezone: Europe/Londn\n")
        try text.write(to: config, atomically: true, encoding: .utf8)
        let result = try CheckSettingsTests.check(directory)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "bedside.yaml:5:13: error: practice.timezone must be an IANA time zone name such as Europe/London or America/New_York, not 'Europe/Londn'; did you mean 'Europe/London'?"
            ),
            "\(result.stderr)")
    }

    @Test func queueShowGivesTimesInThePracticesZone() throws {
        let directory = try CheckSettingsTests.rulebook("")
        let config = directory.url.appendingPathComponent("bedside.yaml")
        // India keeps one offset all year, +05:30, so the expected text does not depend on the date.
        let text = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(
            of: "  region: UK\n", with: "  region: UK\n  timezone: Asia/Kolkata\n")
        try text.write(to: config, atomically: true, encoding: .utf8)
        let run = try BedsideBinary.run(
            ["run", "--config", "bedside.yaml"], input: Data(#"{"id":"m1","text":"Something nobody wrote a rule for"}"#.utf8 + [0x0A]),
            in: directory.url)
        let id = try #require(run.objects.first?["queue_id"] as? String, "\(run.stdout) \(run.stderr)")
        let shown = try BedsideBinary.run(["queue", "show", id, "--config", "bedside.yaml"], in: directory.url)
        #expect(shown.status == 0, "\(shown.stderr)")
        let json = try BedsideBinary.run(["queue", "show", id, "--json", "--config", "bedside.yaml"], in: directory.url)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let stored = try #require((object["item"] as? [String: Any])?["created_at"] as? String)
        #expect(stored.hasSuffix("Z"), "stored times stay UTC: \(stored)")
        let utc = try #require(ISO8601DateFormatter().date(from: stored))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Kolkata")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        #expect(shown.stdout.contains("queued:    \(formatter.string(from: utc))+05:30"), "\(shown.stdout)")
    }
}
