import Mustache

/// One vetted reply template (`responses/ID.mustache`).
public struct Template: Sendable {
    /// The template's id (its file name without `.mustache`).
    public let id: String
    /// Who vetted the wording.
    public let vettedBy: String
    /// When it was vetted.
    public let vettedOn: String
    /// Whether Bedside may send it without a person (`auto: true`); otherwise it is a draft for review.
    public let auto: Bool
    /// The body as written.
    public let body: String
    /// Where the file is.
    public let location: SourceLocation
    let compiled: MustacheTemplate

    /// Variables a template may use: the writer's handle, the practice profile, the crisis lines.
    public static let allowedRoots = ["author", "practice", "crisis"]

    /// Renders the template as plain text (no HTML escaping), trimmed, without control or
    /// bidirectional characters (an author's handle may carry them).
    public func render(_ values: TemplateValues) -> String {
        InvisibleCharacters.outgoing(compiled.render(values.dictionary)).trimmingWhitespace()
    }
}

/// The values a template is rendered with.
public struct TemplateValues: Sendable {
    /// The writer's handle, if known.
    public var author: String?
    /// `practice.*`.
    public var practice: [String: String]
    /// `crisis.*`.
    public var crisis: [String: String]

    var dictionary: [String: Any] {
        var result: [String: Any] = ["practice": practice, "crisis": crisis]
        if let author, !author.isEmpty { result["author"] = author }
        return result
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}
