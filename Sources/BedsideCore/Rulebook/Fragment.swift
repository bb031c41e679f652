import Foundation
import Yams

/// A named piece of pattern that rules share (`fragments/*.yaml`), included in any pattern as
/// `\F{name}`: a concept such as negation, first person, a family member or "now", written once.
public struct Fragment: Sendable {
    /// The name patterns use.
    public let id: String
    /// What the fragment stands for, for people reading the rules.
    public let description: String?
    /// The pattern as written (may include `\L{list}` and other `\F{fragment}`s).
    public let source: String
    /// The pattern with every list and fragment it names expanded.
    public let expanded: String
    /// The compiled pattern, used by `bedside explain` to show where the fragment matched.
    public let pattern: Pattern
    /// Texts the fragment must find something in, and texts it must find nothing in.
    public let exampleMatches: [String]
    /// Texts the fragment must not match; `bedside check` tries each.
    public let exampleIgnores: [String]
    /// Where it is defined.
    public let location: SourceLocation
}

extension Fragment {
    static let keys = ["id", "description", "pattern", "examples"]

    /// A fragment as read from its file, before the fragments it names are resolved.
    struct Draft {
        let id: String
        let description: String?
        let source: String
        let node: Node
        let yaml: YAMLSource
        let matches: [String]
        let ignores: [String]
        let location: SourceLocation
    }

    /// Loads every fragments file into `lists`, resolving fragments that name other fragments in any
    /// order and reporting unknown names, cycles and patterns that do not compile at their column.
    static func load(_ files: [RulebookFiles.File], into lists: inout WordLists, sink: inout DiagnosticSink) {
        var drafts: [String: Draft] = [:]
        var order: [String] = []
        for file in files {
            let yaml = YAMLSource(path: file.path)
            guard let root = yaml.parse(file.text, into: &sink) else { continue }
            guard let top = yaml.fields(of: root, allowed: ["fragments"], what: "a fragments file", into: &sink) else { continue }
            guard let list = top["fragments"], case .sequence(let items) = list else {
                sink.error(yaml.location(root), "a fragments file holds one key, 'fragments', with a list of fragments")
                continue
            }
            for item in items {
                guard let draft = parse(item, yaml, into: &sink) else { continue }
                if let first = drafts[draft.id] {
                    sink.error(
                        draft.location,
                        "duplicate fragment id '\(draft.id)'; first defined at \(first.location.path):\(first.location.line):\(first.location.column)"
                    )
                    continue
                }
                drafts[draft.id] = draft
                order.append(draft.id)
            }
        }
        enum State { case resolving, done, failed }
        var state: [String: State] = [:]
        /// Resolves a fragment after those it names. A fragment that names a broken one is not
        /// reported again (the broken one already was); a cycle is reported once, where it closes.
        func resolve(_ id: String, chain: [String]) {
            guard let draft = drafts[id], state[id] == nil else { return }
            state[id] = .resolving
            for name in WordLists.fragmentNames(in: draft.source) {
                if state[name] == .resolving {
                    sink.error(
                        draft.location,
                        "fragment '\(id)' includes itself through " + (chain + [id, name]).map { "'\($0)'" }.joined(separator: " → "))
                    state[id] = .failed
                    return
                }
                resolve(name, chain: chain + [id])
                if state[name] == .failed {
                    state[id] = .failed
                    return
                }
            }
            guard let pattern = PatternCompiler.compile(draft.source, at: draft.node, draft.yaml, lists: lists, into: &sink) else {
                state[id] = .failed
                return
            }
            lists.fragments[id] = Fragment(
                id: id, description: draft.description, source: draft.source, expanded: pattern.expanded, pattern: pattern,
                exampleMatches: draft.matches, exampleIgnores: draft.ignores, location: draft.location)
            state[id] = .done
        }
        for id in order { resolve(id, chain: []) }
    }

    private static func parse(_ node: Node, _ yaml: YAMLSource, into sink: inout DiagnosticSink) -> Draft? {
        let here = yaml.location(node)
        guard let map = yaml.fields(of: node, allowed: keys, what: "a fragment", into: &sink) else { return nil }
        guard let id = yaml.string(map["id"], "id", into: &sink), !id.isEmpty else {
            sink.error(here, "a fragment needs an 'id'")
            return nil
        }
        guard id.range(of: #"^[a-z0-9][a-z0-9._-]*$"#, options: .regularExpression) != nil else {
            sink.error(yaml.location(map["id"]!), "fragment id '\(id)' may use only lowercase letters, digits, '.', '_' and '-'")
            return nil
        }
        guard let patternNode = map["pattern"], let source = yaml.string(patternNode, "pattern", into: &sink), !source.isEmpty else {
            sink.error(here, "fragment '\(id)' needs a 'pattern'")
            return nil
        }
        var matches: [String] = []
        var ignores: [String] = []
        if let examples = map["examples"],
            let fields = yaml.fields(of: examples, allowed: ["matches", "ignores"], what: "the examples of fragment '\(id)'", into: &sink)
        {
            matches = yaml.strings(fields["matches"], "examples.matches", into: &sink).map(\.0)
            ignores = yaml.strings(fields["ignores"], "examples.ignores", into: &sink).map(\.0)
        }
        return Draft(
            id: id, description: yaml.string(map["description"], "description", into: &sink), source: source, node: patternNode,
            yaml: yaml, matches: matches, ignores: ignores, location: here)
    }

    /// Fragments that no rule, guard pattern or used fragment includes.
    static func unused(_ lists: WordLists, patternSources: [String]) -> [Fragment] {
        var used = Set<String>()
        var pending = patternSources.flatMap(WordLists.fragmentNames(in:))
        while let name = pending.popLast() {
            guard used.insert(name).inserted, let fragment = lists.fragments[name] else { continue }
            pending += WordLists.fragmentNames(in: fragment.source)
        }
        return lists.fragments.values.filter { !used.contains($0.id) }.sorted {
            ($0.location.path, $0.location.line) < ($1.location.path, $1.location.line)
        }
    }
}
