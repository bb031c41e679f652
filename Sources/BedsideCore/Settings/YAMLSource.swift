import Yams

/// A YAML text being loaded, with helpers that turn nodes into located diagnostics.
struct YAMLSource {
    let path: String
    /// Added to every YAML line (front matter starts after the `---` line of a template).
    let lineOffset: Int

    init(path: String, lineOffset: Int = 0) {
        self.path = path
        self.lineOffset = lineOffset
    }

    /// Parses `text`; a syntax error becomes a located diagnostic and `nil`.
    func parse(_ text: String, into sink: inout DiagnosticSink) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
                sink.error(location(mark), "YAML syntax: \(problem)")
            case let .duplicatedKeysInMapping(duplicates, context):
                sink.error(location(context.mark), "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping")
            case let .reader(problem, _, _, _):
                sink.error(SourceLocation(path: path), "YAML syntax: \(problem)")
            default:
                sink.error(SourceLocation(path: path), "YAML: \(error)")
            }
        } catch {
            sink.error(SourceLocation(path: path), "YAML: \(error)")
        }
        return nil
    }

    func location(_ mark: Mark?) -> SourceLocation {
        guard let mark else { return SourceLocation(path: path) }
        return SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column)
    }

    func location(_ node: Node) -> SourceLocation { location(node.mark) }

    /// Reads a mapping's keys, reporting unknown ones with a suggestion, and returns key → value.
    func fields(
        of node: Node, allowed: [String], what: String, into sink: inout DiagnosticSink
    ) -> [String: Node]? {
        guard let mapping = node.mapping else {
            sink.error(location(node), "\(what) must be a mapping of keys to values")
            return nil
        }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else {
                sink.error(location(key), "\(what) has a key that is not text")
                continue
            }
            if allowed.contains(name) {
                result[name] = value
            } else {
                var message = "unknown key '\(name)' in \(what)"
                if let guess = Suggestion.closest(to: name, in: allowed) { message += "; did you mean '\(guess)'?" }
                sink.error(location(key), message)
            }
        }
        return result
    }

    /// A scalar as text, or a diagnostic.
    func string(_ node: Node?, _ what: String, into sink: inout DiagnosticSink) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else {
            sink.error(location(node), "\(what) must be text")
            return nil
        }
        return scalar.string
    }

    /// A list of scalars (a single scalar counts as a one-item list), or a diagnostic.
    func strings(_ node: Node?, _ what: String, into sink: inout DiagnosticSink) -> [(String, Node)] {
        guard let node else { return [] }
        switch node {
        case .scalar(let scalar): return [(scalar.string, node)]
        case .sequence(let sequence):
            var result: [(String, Node)] = []
            for item in sequence {
                if case .scalar(let scalar) = item {
                    result.append((scalar.string, item))
                } else {
                    sink.error(location(item), "each item of \(what) must be text")
                }
            }
            return result
        default:
            sink.error(location(node), "\(what) must be a list of text")
            return []
        }
    }
}

/// "Did you mean" for misspelt keys and ids.
public enum Suggestion {
    /// The candidate nearest to `word` by edit distance, if it is close enough to be a likely typo.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let lower = word.lowercased()
        let scored = candidates.map { ($0, distance(lower, $0.lowercased())) }
        if let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) { return best.0 }
        // a shared start of three or more letters also suggests a typo: 'reponse' → 'reply'
        let prefixed = candidates.map { ($0, zip(lower, $0.lowercased()).prefix { $0 == $1 }.count) }
        if let best = prefixed.max(by: { $0.1 < $1.1 }), best.1 >= 3 { return best.0 }
        return nil
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
