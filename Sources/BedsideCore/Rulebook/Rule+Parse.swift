import Foundation
import Yams

extension Rule {
    static let keys = [
        "id", "category", "description", "priority", "match", "all", "unless", "reply", "escalate", "holding_reply", "examples",
    ]

    /// Parses one rules file (`rules: [ … ]`), collecting every problem.
    static func parseFile(
        _ file: RulebookFiles.File, lists: WordLists, templates: [String: Template], brokenTemplates: Set<String> = [],
        into sink: inout DiagnosticSink
    ) -> [Rule] {
        let yaml = YAMLSource(path: file.path)
        guard let root = yaml.parse(file.text, into: &sink) else { return [] }
        guard let top = yaml.fields(of: root, allowed: ["rules"], what: "a rules file", into: &sink) else { return [] }
        guard let list = top["rules"], case .sequence(let items) = list else {
            sink.error(yaml.location(root), "a rules file holds one key, 'rules', with a list of rules")
            return []
        }
        return items.compactMap { parse($0, yaml, lists: lists, templates: templates, into: &sink, brokenTemplates: brokenTemplates) }
    }

    static func parse(
        _ node: Node, _ yaml: YAMLSource, lists: WordLists, templates: [String: Template], into sink: inout DiagnosticSink,
        brokenTemplates: Set<String> = []
    ) -> Rule? {
        let here = yaml.location(node)
        let declaredID = node.mapping?["id"]?.string
        let what = declaredID.map { "rule '\($0)'" } ?? "a rule"
        guard let map = yaml.fields(of: node, allowed: keys, what: what, into: &sink) else { return nil }
        let before = sink.diagnostics.count
        let id = yaml.string(map["id"], "id", into: &sink) ?? ""
        let name = id.isEmpty ? "a rule" : "rule '\(id)'"
        if id.isEmpty {
            sink.error(here, "a rule needs an 'id'")
        } else if id.range(of: #"^[a-z0-9][a-z0-9._-]*$"#, options: .regularExpression) == nil {
            sink.error(yaml.location(map["id"]!), "rule id '\(id)' may use only lowercase letters, digits, '.', '_' and '-'")
        }
        let category = yaml.string(map["category"], "category", into: &sink) ?? ""
        if category.isEmpty {
            sink.error(here, "\(name) needs a 'category' (question.*, recommendation.*, complaint.*, risk.* or noise.*)")
        } else if let family = category.split(separator: ".").first.map(String.init),
            !categoryFamilies.contains(family) || !category.contains(".")
        {
            var message = "\(name) has category '\(category)'; categories are question.*, recommendation.*, complaint.*, risk.* or noise.*"
            if let guess = Suggestion.closest(to: family, in: categoryFamilies) { message += "; did you mean '\(guess).…'?" }
            sink.error(yaml.location(map["category"]!), message)
        }
        var priority = 0
        if let node = map["priority"] {
            if let value = node.int {
                priority = value
            } else {
                sink.error(yaml.location(node), "\(name): priority must be a whole number")
            }
        }
        func clauses(_ key: String) -> [Clause] {
            yaml.strings(map[key], key, into: &sink).compactMap { source, patternNode in
                PatternCompiler.compile(source, at: patternNode, yaml, lists: lists, into: &sink)
                    .map { Clause(pattern: $0, location: yaml.location(patternNode)) }
            }
        }
        let match = clauses("match")
        if map["match"] == nil { sink.error(here, "\(name) needs 'match': a list of patterns, any of which may match") }
        let all = clauses("all")
        let unless = clauses("unless")
        var escalate: Escalation?
        if let node = map["escalate"], let value = yaml.string(node, "escalate", into: &sink) {
            escalate = Escalation(rawValue: value)
            if escalate == nil { sink.error(yaml.location(node), "\(name): escalate must be 'review' or 'urgent', not '\(value)'") }
        }
        func template(_ key: String) -> String? {
            guard let node = map[key], let value = yaml.string(node, key, into: &sink) else { return nil }
            if templates[value] == nil, !brokenTemplates.contains(value) {
                var message = "\(name) names template '\(value)' in '\(key)', but there is no responses/\(value).mustache"
                if let guess = Suggestion.closest(to: value, in: Array(templates.keys)) { message += "; did you mean '\(guess)'?" }
                sink.error(yaml.location(node), message)
            }
            return value
        }
        let reply = template("reply")
        let holding = template("holding_reply")
        if let holding, let node = map["holding_reply"] {
            if escalate != .urgent {
                sink.error(yaml.location(node), "\(name): a holding_reply is sent only for 'escalate: urgent' rules")
            } else if let vetted = templates[holding], !vetted.auto {
                sink.error(yaml.location(node), "\(name): holding reply '\(holding)' is sent at once, so its template needs 'auto: true'")
            }
        }
        if category.hasPrefix("noise."), reply != nil || escalate != nil {
            sink.error(here, "\(name) is noise (ignored), so it takes neither 'reply' nor 'escalate'")
        } else if !category.hasPrefix("noise."), escalate == nil, reply == nil {
            sink.error(here, "\(name) neither replies nor escalates: give it 'reply: TEMPLATE' or 'escalate: review|urgent'")
        }
        let (matches, ignores) = examples(map["examples"], name: name, at: here, yaml, into: &sink)
        guard sink.diagnostics.count == before else { return nil }
        return Rule(
            id: id, category: category, description: yaml.string(map["description"], "description", into: &sink), priority: priority,
            match: match, all: all, unless: unless, reply: reply, escalate: escalate, holdingReply: holding,
            exampleMatches: matches, exampleIgnores: ignores, location: here)
    }

    private static func examples(
        _ node: Node?, name: String, at here: SourceLocation, _ yaml: YAMLSource, into sink: inout DiagnosticSink
    ) -> ([String], [String]) {
        guard let node else {
            sink.error(here, "\(name) has no examples; add 'examples: {matches: [...], ignores: [...]}' so `bedside check` can test it")
            return ([], [])
        }
        guard let map = yaml.fields(of: node, allowed: ["matches", "ignores"], what: "the examples of \(name)", into: &sink) else {
            return ([], [])
        }
        let matches = yaml.strings(map["matches"], "examples.matches", into: &sink).map(\.0)
        let ignores = yaml.strings(map["ignores"], "examples.ignores", into: &sink).map(\.0)
        if matches.isEmpty { sink.error(yaml.location(node), "\(name) needs at least one example in 'matches'") }
        if ignores.isEmpty {
            sink.error(yaml.location(node), "\(name) needs at least one example in 'ignores' (a near miss it must not match)")
        }
        return (matches, ignores)
    }
}
