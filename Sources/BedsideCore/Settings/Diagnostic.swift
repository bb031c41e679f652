/// Where in which file a problem is.
public struct SourceLocation: Sendable, Hashable, Comparable {
    /// The file's path as the user gave it.
    public var path: String
    /// 1-based line; 0 for a place that has no lines (an environment variable).
    public var line: Int
    /// 1-based column.
    public var column: Int

    /// Creates a location.
    public init(path: String, line: Int = 1, column: Int = 1) {
        self.path = path
        self.line = line
        self.column = column
    }

    /// Orders locations by path, then line, then column.
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.path, a.line, a.column) < (b.path, b.line, b.column)
    }
}

/// One problem found while loading or checking configuration, rules or responses.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How bad it is.
    public enum Severity: String, Sendable {
        case error
        case warning
        case note
    }

    /// How bad it is.
    public var severity: Severity
    /// Where it is.
    public var location: SourceLocation
    /// What is wrong, quoting the offending value.
    public var message: String

    /// Creates a diagnostic.
    public init(_ severity: Severity = .error, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// `path:line:column: error: message`, the form editors and CI understand; a problem with no
    /// line (an environment variable's value) is `$NAME: error: message`.
    public var description: String {
        guard location.line > 0 else { return "\(location.path): \(severity.rawValue): \(message)" }
        return "\(location.path):\(location.line):\(location.column): \(severity.rawValue): \(message)"
    }
}

/// The problems that stopped a load. A rulebook never half-loads: any error means no rulebook.
public struct LoadError: Error, Sendable, CustomStringConvertible {
    /// Every problem found, errors and warnings, in file order.
    public var diagnostics: [Diagnostic]

    /// Creates a load error.
    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// The diagnostics, one a line, as `bedside check` prints them.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// Collects diagnostics during a load.
struct DiagnosticSink {
    private(set) var diagnostics: [Diagnostic] = []

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    mutating func error(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(.error, at: location, message))
    }

    mutating func warning(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(.warning, at: location, message))
    }
}
