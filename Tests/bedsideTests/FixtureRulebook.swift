import Foundation

/// A small rulebook written into a temporary folder, for tests that need their own configuration.
enum FixtureRulebook {
    /// A practice profile with what `check` requires and nothing else.
    static let practice = """
        practice:
          name: Test Practice
          phone: "020 7946 0000"
          region: UK

        """

    /// A vetted response that replies automatically.
    static func response(_ id: String, _ body: String) -> String {
        "---\nid: \(id)\nvetted_by: Practice Manager\nvetted_on: 2026-11-01\nauto: true\n---\n\(body)\n"
    }

    /// Writes `bedside.yaml`, `rules/10-questions.yaml` and one `responses/ID.mustache` per entry.
    static func write(configuration: String, rules: String, responses: [(String, String)]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let root = directory.url
        try configuration.write(to: root.appendingPathComponent("bedside.yaml"), atomically: true, encoding: .utf8)
        for folder in ["rules", "responses"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try rules.write(to: root.appendingPathComponent("rules/10-questions.yaml"), atomically: true, encoding: .utf8)
        for (id, body) in responses {
            try response(id, body).write(to: root.appendingPathComponent("responses/\(id).mustache"), atomically: true, encoding: .utf8)
        }
        return directory
    }
}
