/// A value that holds a secret (a token, a signing key, a URL with a key in it) and so describes
/// itself by its kind alone: string interpolation, `print`, `dump` and a logger's metadata all see
/// the same redacted text, at every log level.
public protocol Redacted: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// What the value is, without any secret (`MetaConnector(graph API, token redacted)`).
    var redactedDescription: String { get }
}

extension Redacted {
    public var description: String { redactedDescription }
    public var debugDescription: String { redactedDescription }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension MetaConnector: Redacted {
    public var redactedDescription: String { "MetaConnector(token redacted)" }
}

extension WebhookConnector: Redacted {
    public var redactedDescription: String { "WebhookConnector(url and secret redacted)" }
}

extension SlackNotifier: Redacted {
    public var redactedDescription: String { "SlackNotifier(webhook URL redacted)" }
}

extension StandardWebhooks: Redacted {
    public var redactedDescription: String { "StandardWebhooks(secret redacted)" }
}

extension Deliverer: Redacted {
    public var redactedDescription: String { "Deliverer(\(connector.name))" }
}
