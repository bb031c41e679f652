import BedsideStore
import Foundation
import PostgresTestSupport
import Testing

/// Every command on a `postgres://` store, through the built binary: `run`, the `queue` commands,
/// `deliver`, and the store chosen by `$BEDSIDE_STORE`; a database that cannot be reached is
/// reported clearly and without its password.
@Suite(.serialized, .enabled(if: TestPostgres.available, "no PostgreSQL server binary here (install postgresql)"))
struct PostgresCommandTests {
    /// A practice folder (links to the repository's configuration and rulebook) and a fresh database.
    struct Practice {
        let folder: URL
        let url: String

        init() async throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-pg-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for name in ["bedside.yaml", "rules", "responses", "lists", "fragments", "guard.yaml"] {
                let source = BedsideBinary.repositoryRoot.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: source.path) {
                    try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent(name), withDestinationURL: source)
                }
            }
            let db = try await TestPostgres.shared.database()
            url = "postgres://\(db.user)@\(db.host):\(db.port)/\(db.database)?sslmode=disable"
        }

        func bedside(_ arguments: [String], input: String = "", store: Bool = true, environment: [String: String] = [:]) throws
            -> BedsideBinary.Result
        {
            var env = ["BEDSIDE_REVIEWER": "", "BEDSIDE_STORE": ""]
            env.merge(environment) { $1 }
            return try BedsideBinary.run(
                arguments + ["--config", "bedside.yaml"] + (store ? ["--store", url] : []), input: Data(input.utf8), in: folder,
                environment: env)
        }
    }

    @Test func runQueueAndDeliverWorkOnPostgreSQL() async throws {
        let p = try await Practice()
        let input = [Messages.hours, Messages.legal, Messages.crisis].joined(separator: "\n") + "\n"
        let first = try p.bedside(["run"], input: input)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.objects.map { $0["action"] as? String } == ["reply", "review", "review"])
        let ids = first.objects.compactMap { $0["queue_id"] as? String }
        #expect(ids.count == 2)
        let again = try p.bedside(["run"], input: input)
        #expect(again.objects.map { $0["reason"] as? String } == ["duplicate", "duplicate", "duplicate"])

        let list = try p.bedside(["queue", "list", "--json"])
        #expect(list.status == 0, "\(list.stderr)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(Set(items.compactMap { $0["id"] as? String }) == Set(ids))
        #expect(items.first?["urgent"] as? Bool == true, "the urgent item first")

        let (urgent, legal) = (items[0]["id"] as! String, items[1]["id"] as! String)
        #expect(try p.bedside(["queue", "show", legal]).status == 0)
        #expect(try p.bedside(["queue", "assign", legal, "--to", "ana", "--as", "sam"]).status == 0)
        let reject = try p.bedside(["queue", "reject", legal, "--reason", "handled by phone", "--as", "ana"])
        #expect(reject.status == 0, "\(reject.stderr)")
        let twice = try p.bedside(["queue", "reject", legal, "--reason", "again", "--as", "sam"])
        #expect(twice.status == 1 && twice.stderr.contains("already rejected by ana"))
        let approve = try p.bedside(
            ["queue", "approve", urgent, "--reply", "We are calling you now. If you are in danger call 999.", "--as", "sam"])
        #expect(approve.status == 0, "\(approve.stderr)")

        let deliver = try p.bedside(["deliver", "--json"])
        #expect(deliver.status == 0, "\(deliver.stderr)")
        let outbox = try String(contentsOf: p.folder.appendingPathComponent("outbox.jsonl"), encoding: .utf8)
        #expect(outbox.split(separator: "\n").count >= 2, "the automatic reply and the approved one, next to the configuration")

        // $BEDSIDE_STORE chooses the store when --store does not.
        let stats = try p.bedside(["queue", "stats", "--json"], store: false, environment: ["BEDSIDE_STORE": p.url])
        #expect(stats.status == 0, "\(stats.stderr)")
        #expect(stats.stdout.contains("\"rejected\""))
        let purge = try p.bedside(["queue", "purge", "--older-than", "0s", "--as", "admin"])
        #expect(purge.status == 0, "\(purge.stderr)")
        #expect(purge.stdout.contains("purged the message text of 2 items"), "the rejected item and the one whose reply was sent")
    }

    @Test func anUnreachableOrRefusingDatabaseIsReportedWithoutThePassword() async throws {
        let p = try await Practice()
        for (store, environment) in [
            ("postgres://bedside:pw-in-url-7@127.0.0.1:1/bedside?sslmode=disable", [String: String]()),
            ("postgres://bedside@127.0.0.1:1/bedside?sslmode=disable", ["PGPASSWORD": "pw-in-env-7"]),
        ] {
            for command in [["queue", "list"], ["run"], ["deliver"], ["serve", "--port", "0"]] {
                let result = try BedsideBinary.run(
                    command + ["--config", "bedside.yaml", "--store", store], input: Data(Messages.hours.utf8), in: p.folder,
                    environment: environment.merging(["BEDSIDE_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]) { $1 })
                #expect(result.status == 2, "\(command): \(result.stderr)")
                #expect(
                    result.stderr.contains("127.0.0.1:1/bedside") && result.stderr.contains("cannot connect"),
                    "\(command): \(result.stderr)")
                #expect(!result.stderr.contains("pw-in") && !result.stdout.contains("pw-in"), "\(command)")
            }
        }
        let server = try await TestPostgres.shared.start()
        let missing = try p.bedside(
            ["queue", "list"], store: false,
            environment: [
                "BEDSIDE_STORE": "postgres://bedside:pw-in-url-7@127.0.0.1:\(server.port)/no_such_database?sslmode=disable"
            ])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("database \"no_such_database\" does not exist"), "\(missing.stderr)")
        #expect(!missing.stderr.contains("pw-in"))
    }
}
