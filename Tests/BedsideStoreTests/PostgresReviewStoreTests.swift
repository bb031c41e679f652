import BedsideCore
import BedsideStore
import Foundation
import PostgresTestSupport
import Testing

/// What the PostgreSQL store promises beyond the behaviour every store shares: several instances
/// on one database agree (one decision per message id, one approval, one claim per entry), the
/// schema migrates once when instances start together, the audit trail refuses changes, and a
/// database that cannot be reached is reported without the password.
@Suite(.enabled(if: TestPostgres.available, "no PostgreSQL server binary here (install postgresql)"))
struct PostgresReviewStoreTests {
    static func review(_ id: String) -> (decision: Decision, message: Message) {
        var message = Message(id: id, text: "I came out in a rash \(id)", author: "jane_d", platform: "facebook", thread: "p1")
        message.deliveryID = "wh_\(id)"
        return (
            Decision(id: id, action: .review, category: "risk.adverse-reaction", reason: "risk.adverse-reaction", draft: "Please call us."),
            message
        )
    }

    @Test func everythingIsStillThereAfterReopening() async throws {
        let database = try await TestPostgres.shared.database()
        var id = ""
        do {
            let store = try await PostgresReviewStore(database)
            id = try #require(try await store.record(Self.review("fb_1").decision, for: Self.review("fb_1").message).decision.queueID)
            _ = try await store.assign(id, to: "ana", by: "sam")
            store.close()
        }
        let reopened = try await PostgresReviewStore(database)
        #expect(try await reopened.item(id)?.assignee == "ana")
        #expect(try await reopened.record(Decision(id: "fb_1", action: .ignore), for: Message(id: "fb_1", text: "x")).isNew == false)
        #expect(try await reopened.integrityProblems() == [])
    }

    @Test func instancesStartingTogetherMigrateOnce() async throws {
        let database = try await TestPostgres.shared.database()
        let stores = try await withThrowingTaskGroup(of: PostgresReviewStore.self) { group in
            for _ in 0..<6 { group.addTask { try await PostgresReviewStore(database) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(stores.count == 6)
        let applied = try await TestPostgres.execute("SELECT count(*) FROM bedside_schema", in: database)
        #expect(applied == ["1"], "\(applied)")
    }

    @Test func theAuditTrailIsAppendOnly() async throws {
        let database = try await TestPostgres.shared.database()
        let store = try await PostgresReviewStore(database)
        let id = try #require(try await store.record(Self.review("a").decision, for: Self.review("a").message).decision.queueID)
        for statement in ["UPDATE audit SET actor = 'someone else'", "UPDATE audit SET note = NULL", "DELETE FROM audit", "TRUNCATE audit"]
        {
            await #expect(throws: (any Error).self, "\(statement)") { try await TestPostgres.execute(statement, in: database) }
        }
        #expect(try await store.history(id).count == 1)
        // Once the item is purged, its entries' text may be erased, and nothing else about them.
        _ = try await store.reject(id, reason: "spam", by: "sam")
        #expect(try await store.purge(closedBefore: Date().addingTimeInterval(60), by: "admin") == 1)
        try await TestPostgres.execute("UPDATE audit SET note = NULL, text_before = NULL", in: database)
        for change in ["actor = 'x'", "action = 'approved'", "at = '2020-01-01'", "override = 'x'"] {
            await #expect(throws: (any Error).self, "\(change)") {
                try await TestPostgres.execute("UPDATE audit SET \(change)", in: database)
            }
        }
        #expect(try await TestPostgres.execute("SELECT count(*) FROM audit", in: database) == ["3"])
    }

    @Test func twoInstancesGivenTheSameMessagesRecordEachOnce() async throws {
        let database = try await TestPostgres.shared.database()
        let a = try await PostgresReviewStore(database)
        let b = try await PostgresReviewStore(database)
        let ids = (0..<300).map { "m\($0)" }
        // Each instance records every id, in batches, in a different order, at the same time.
        let answers = try await withThrowingTaskGroup(of: [Recorded].self) { group in
            for (store, order) in [(a, ids), (b, ids.reversed())] {
                for start in stride(from: 0, to: order.count, by: 25) {
                    let batch = order[start..<start + 25].map(Self.review)
                    group.addTask { try await store.recordBatch(batch) }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(answers.count == 600)
        #expect(answers.filter(\.isNew).count == 300)
        let firsts = Dictionary(grouping: answers, by: \.decision.id).mapValues { Set($0.map(\.decision.queueID)) }
        #expect(firsts.values.allSatisfy { $0.count == 1 }, "both answers for an id name the same item")
        #expect(try await a.items(ReviewFilter()).count == 300)
        #expect(try await TestPostgres.execute("SELECT count(*) FROM webhook_delivery", in: database) == ["300"])
        #expect(try await b.integrityProblems() == [])
    }

    @Test func ofTwoApprovalsAtOnceExactlyOneWins() async throws {
        let database = try await TestPostgres.shared.database()
        let a = try await PostgresReviewStore(database)
        let b = try await PostgresReviewStore(database)
        for n in 0..<10 {
            let id = try #require(try await a.record(Self.review("ap\(n)").decision, for: Self.review("ap\(n)").message).decision.queueID)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for (store, who, text) in [(a, "sam", "Please call us."), (b, "ana", "Please ring the surgery.")] {
                    group.addTask { (try? await store.approve(id, text: text, by: who)) != nil }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await a.deliveries(forItem: id).filter { $0.kind == "approved" }.count == 1)
        }
    }

    @Test func twoDeliverersNeverClaimTheSameEntry() async throws {
        let database = try await TestPostgres.shared.database()
        let a = try await PostgresReviewStore(database)
        let b = try await PostgresReviewStore(database)
        let replies = (0..<200).map { n in
            (
                decision: Decision(id: "r\(n)", action: .reply, category: "question.hours", reply: "We open at 9."),
                message: Message(id: "r\(n)", text: "hours?")
            )
        }
        _ = try await a.recordBatch(replies)
        let now = Date().addingTimeInterval(1)
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for store in [a, b, a, b] {
                group.addTask {
                    var mine: [String] = []
                    while true {
                        let batch = try await store.claimDeliveries(now: now, limit: 7, lease: 300)
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.idempotencyKey)
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claimed.count == 200)
        #expect(Set(claimed).count == 200)
    }

    @Test func anUnreachableDatabaseIsReportedWithoutItsPassword() async throws {
        let server = try await TestPostgres.shared.start()
        let nobody = try PostgresLocation(url: "postgres://bedside:s3cret-pw@127.0.0.1:1/bedside?sslmode=disable", environment: [:])
        await #expect {
            _ = try await PostgresReviewStore(nobody)
        } throws: { error in
            let text = (error as? ReviewStoreError)?.localizedDescription ?? ""
            return text.contains("127.0.0.1:1") && text.contains("cannot connect") && !text.contains("s3cret")
        }
        let missing = try PostgresLocation(
            url: "postgres://bedside:s3cret-pw@127.0.0.1:\(server.port)/no_such_db?sslmode=disable", environment: [:])
        await #expect {
            _ = try await PostgresReviewStore(missing)
        } throws: { error in
            let text = (error as? ReviewStoreError)?.localizedDescription ?? ""
            return text.contains("no_such_db") && text.contains("does not exist") && !text.contains("s3cret")
        }
    }
}

/// Reading store settings: SQLite paths and PostgreSQL URLs, with the password kept out of sight.
struct StoreLocationTests {
    @Test func pathsAndURLsAreTold() throws {
        #expect(try StoreLocation.parse("bedside.sqlite", relativeTo: "/etc/bedside") == .sqlite(path: "/etc/bedside/bedside.sqlite"))
        #expect(try StoreLocation.parse("sqlite:///var/lib/b.sqlite", relativeTo: "/etc") == .sqlite(path: "/var/lib/b.sqlite"))
        let url = "postgres://bedside@db.internal:6432/triage?sslmode=require"
        guard case .postgres(let db) = try StoreLocation.parse(url, relativeTo: nil, environment: [:]) else {
            Issue.record("not PostgreSQL")
            return
        }
        #expect(db.host == "db.internal" && db.port == 6432 && db.database == "triage" && db.user == "bedside" && db.tls == .require)
        #expect(db.password == nil)
    }

    @Test func thePasswordComesFromTheEnvironmentOrAFileAndIsNeverShown() throws {
        let fromEnvironment = try PostgresLocation(url: "postgres://bedside@db/triage", environment: ["PGPASSWORD": "env-secret"])
        #expect(fromEnvironment.password == "env-secret")
        let folder = TemporaryFolder()
        let file = folder.path("password")
        try "file-secret\n".write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try PostgresLocation(url: "postgres://bedside@db/triage", environment: ["BEDSIDE_STORE_PASSWORD_FILE": file])
        #expect(fromFile.password == "file-secret")
        let inURL = try PostgresLocation(url: "postgres://bedside:url-secret@db/triage", environment: [:])
        for location in [fromEnvironment, fromFile, inURL] {
            for shown in [location.description, "\(location)", String(reflecting: location)] {
                #expect(!shown.contains("secret"), "\(shown)")
            }
        }
        #expect(StoreLocation.redacted("postgres://bedside:url-secret@db/triage") == "postgres://bedside:…@db/triage")
        #expect {
            _ = try PostgresLocation(url: "postgres://bedside:url-secret@db/triage?sslmode=sometimes", environment: [:])
        } throws: { error in
            "\(error)".contains("sslmode") && !"\(error)".contains("url-secret")
        }
    }
}
