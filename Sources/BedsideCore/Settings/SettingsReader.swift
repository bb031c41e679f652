import Foundation
import Yams

/// The one reader of `bedside.yaml` sections: every module reads its own section through it, so
/// every setting is checked the same way (unknown keys with a suggestion, ranges, types) and every
/// problem is located as `path:line:column`.
///
/// swift-configuration reads values by key with a default and layers the environment over files,
/// but it cannot say where in a file a value was or that a key is unknown, which is what `bedside
/// check` exists to say; so the file is read here, and the few per-deployment settings that the
/// environment may override are read by ``EnvironmentSetting``.
public struct SettingsReader {
    private let yaml: YAMLSource
    private var sink = DiagnosticSink()

    /// A reader of nodes from the file at `path`.
    public init(path: String) {
        yaml = YAMLSource(path: path)
    }

    /// Every problem found so far, in the order found.
    public var diagnostics: [Diagnostic] { sink.diagnostics }

    /// Whether any problem is an error.
    public var hasErrors: Bool { sink.hasErrors }

    /// The errors found so far as one load error, in file order; `nil` when there are none.
    public var loadError: LoadError? {
        guard hasErrors else { return nil }
        return LoadError(
            diagnostics.enumerated().sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }.map(\.element))
    }

    /// Where `node` is.
    public func location(_ node: Node) -> SourceLocation { yaml.location(node) }

    /// Reports an error at `node`.
    public mutating func error(_ node: Node, _ message: String) { sink.error(yaml.location(node), message) }

    /// Reports an error at a location outside the file (an environment variable, say).
    public mutating func error(at location: SourceLocation, _ message: String) { sink.error(location, message) }

    /// Whether the node is an empty value (`delivery:` with nothing under it).
    public static func isEmpty(_ node: Node) -> Bool {
        if case .scalar(let scalar) = node, ["", "~", "null"].contains(scalar.string) { return true }
        return false
    }

    /// A mapping's values by key; unknown keys are reported with a suggestion.
    public mutating func fields(_ node: Node, allowed: [String], what: String) -> [String: Node]? {
        yaml.fields(of: node, allowed: allowed, what: what, into: &sink)
    }

    /// A scalar as text.
    public mutating func string(_ node: Node, _ what: String) -> String? {
        yaml.string(node, what, into: &sink)
    }

    /// Text that must not be empty.
    public mutating func nonEmpty(_ node: Node, _ what: String, meaning: String) -> String? {
        guard let text = string(node, what) else { return nil }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            error(node, "\(what) must be \(meaning)")
            return nil
        }
        return text
    }

    /// A whole number within `range`.
    public mutating func integer(_ node: Node, _ what: String, in range: ClosedRange<Int>) -> Int? {
        guard case .scalar = node, let value = node.int, range.contains(value) else {
            error(node, "\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(node.string ?? "?")'")
            return nil
        }
        return value
    }

    /// A number within `range`.
    public mutating func number(_ node: Node, _ what: String, in range: ClosedRange<Double>) -> Double? {
        guard case .scalar = node, let value = node.float ?? node.int.map(Double.init), value.isFinite, range.contains(value) else {
            error(
                node,
                "\(what) must be a number from \(Self.plain(range.lowerBound)) to \(Self.plain(range.upperBound)), not '\(node.string ?? "?")'"
            )
            return nil
        }
        return value
    }

    /// One of a fixed set of words, with a suggestion when it is not.
    public mutating func choice(_ node: Node, _ what: String, from known: [String]) -> String? {
        guard let text = string(node, what) else { return nil }
        guard known.contains(text) else {
            var message = "\(what) must be one of \(known.joined(separator: ", ")), not '\(text)'"
            if let guess = Suggestion.closest(to: text, in: known) { message += "; did you mean '\(guess)'?" }
            error(node, message)
            return nil
        }
        return text
    }

    /// An `http` or `https` URL with a host.
    public mutating func httpURL(_ node: Node, _ what: String) -> URL? {
        guard let text = string(node, what) else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil
        else {
            error(node, "\(what) must be an http(s) URL, not '\(text)'")
            return nil
        }
        return url
    }

    /// The name of an environment variable (the value is never in the file).
    public mutating func environmentName(_ node: Node, _ what: String) -> String? {
        guard let text = string(node, what) else { return nil }
        let valid =
            !text.isEmpty && text.first.map { $0.isLetter || $0 == "_" } == true
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard valid else {
            // Do not quote it: someone may have pasted the secret itself here.
            error(node, "\(what) must name an environment variable (like BEDSIDE_SECRET); secrets never go in bedside.yaml")
            return nil
        }
        return text
    }

    /// A ``TimeSpan`` (`500ms`, `10s`, `2m`, `1h`; a bare number is refused) within `range` seconds.
    public mutating func duration(_ node: Node, _ what: String, in range: ClosedRange<TimeInterval>? = nil) -> TimeInterval? {
        guard let text = string(node, what) else { return nil }
        let value: TimeInterval
        do {
            value = try TimeSpan(parsing: text).seconds
        } catch {
            self.error(node, "\(what): \(error.description)")
            return nil
        }
        if let range, !range.contains(value) {
            error(node, "\(what) must be from \(Self.plain(range.lowerBound))s to \(Self.plain(range.upperBound))s, not '\(text)'")
            return nil
        }
        return value
    }

    /// `3` rather than `3.0`, for messages.
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
