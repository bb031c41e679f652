import BedsideCore
import Foundation

/// Small in-memory rulebooks for tests.
enum Fixture {
    static let config = """
        practice:
          name: Test Practice
          phone: "020 7946 0000"
          email: hello@test.example
          website: https://test.example
          hours: "9 to 5"
          region: UK
          own_accounts: ["@testpractice"]
        policy:
          unmatched: ignore
          duplicate_window: 3
        """

    static let responses: [String: String] = [
        "hours": template("hours", auto: true, body: "Thanks for asking. We're open {{practice.hours}}. Call {{practice.phone}}."),
        "thanks": template("thanks", auto: true, body: "{{#author}}Thank you, {{author}}!{{/author}}{{^author}}Thank you!{{/author}}"),
        "complaint": template("complaint", auto: false, body: "We're sorry. Please call {{practice.phone}}."),
        "crisis": template("crisis", auto: true, body: "Please call {{crisis.emergency}} if you are in danger now, or {{crisis.support}}."),
        "draft": template("draft", auto: false, body: "Please contact us privately on {{practice.phone}}."),
    ]

    static func template(_ id: String, auto: Bool, body: String) -> String {
        "---\nid: \(id)\nvetted_by: Practice Manager\nvetted_on: 2026-11-01\nauto: \(auto)\n---\n\(body)\n"
    }

    static let rules = """
        rules:
          - id: self-harm
            category: risk.self-harm
            match: ['\\bkill\\s+myself\\b', '\\bsuicid']
            unless: ['\\bnot\\s+suicidal\\b']
            escalate: urgent
            holding_reply: crisis
            reply: draft
            examples: {matches: ["I want to kill myself"], ignores: ["I'm not suicidal"]}
          - id: legal
            category: risk.legal
            match: ['\\b(solicitor|lawyer|sue)\\b']
            escalate: review
            reply: draft
            examples: {matches: ["I will sue"], ignores: ["my sister is a nurse"]}
          - id: hours
            category: question.hours
            priority: 10
            match: ['\\b(open|opening)\\b']
            all: ['\\?']
            reply: hours
            examples: {matches: ["Are you open today?"], ignores: ["The door was open."]}
          - id: thanks
            category: recommendation.praise
            priority: 5
            match: ['\\b(thanks|thank you)\\b']
            reply: thanks
            examples: {matches: ["thanks so much"], ignores: ["no thanks to you lot"]}
            unless: ['\\bno\\s+thanks\\b']
          - id: complaint
            category: complaint.waiting
            priority: 10
            match: ['\\b(waited|waiting)\\b']
            reply: complaint
            examples: {matches: ["waited an hour"], ignores: ["the weighting was off"]}
          - id: spam
            category: noise.spam
            match: ['\\bcrypto\\b']
            examples: {matches: ["crypto giveaway"], ignores: ["crystal clear"]}
        """

    static func files(
        config: String = Fixture.config, rules: String = Fixture.rules, responses: [String: String] = Fixture.responses,
        lists: [String: String] = [:], guardYAML: String? = nil
    ) -> RulebookFiles {
        RulebookFiles(
            configuration: .init(path: "bedside.yaml", text: config),
            rules: [.init(path: "rules/test.yaml", text: rules)],
            responses: responses.sorted { $0.key < $1.key }.map { .init(path: "responses/\($0.key).mustache", text: $0.value) },
            lists: lists.sorted { $0.key < $1.key }.map { .init(path: "lists/\($0.key).txt", text: $0.value) },
            guardFile: guardYAML.map { .init(path: "guard.yaml", text: $0) })
    }

    static func rulebook(rules: String = Fixture.rules, config: String = Fixture.config, lists: [String: String] = [:]) throws -> Rulebook {
        try Rulebook.load(files(config: config, rules: rules, lists: lists))
    }

    /// Diagnostics of a load expected to fail.
    static func diagnostics(_ files: RulebookFiles) -> [String] {
        do {
            _ = try Rulebook.load(files)
            return []
        } catch {
            return error.diagnostics.filter { $0.severity == .error }.map(\.description)
        }
    }

    /// The repository root (for tests over the shipped rulebook).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}
