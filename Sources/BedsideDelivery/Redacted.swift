/// A value that holds a secret (a token, a signing key, a URL with a key in it) and so describes
/// itself by its kind alone: string interpolation, `print`, `dump` and a logger's metadata all see
/// the same redacted text, at every log level.
public protocol Redacted: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// What the value is, without any secret (`MetaConnector(graph API, token redacted)`).
    var redactedDescription: String { get }
}

extension Redacted {
    /// The value with every secret hidden.
    public var description: String { redactedDescription }
    /// The value with every secret hidden, for debug output too.
    public var debugDescription: String { redactedDescription }
    /// A mirror without children, so `dump` and reflection show no secret.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension MetaConnector: Redacted {
    /// The value as it may be printed: any secret hidden.
    public var redactedDescription: String { "MetaConnector(token redacted)" }
}

extension WebhookConnector: Redacted {
    /// The value as it may be printed: any secret hidden.
    public var redactedDescription: String { "WebhookConnector(url and secret redacted)" }
}

extension SlackNotifier: Redacted {
    /// The value as it may be printed: any secret hidden.
    public var redactedDescription: String { "SlackNotifier(webhook URL redacted)" }
}

extension StandardWebhooks: Redacted {
    /// The value as it may be printed: any secret hidden.
    public var redactedDescription: String { "StandardWebhooks(secret redacted)" }
}

extension Deliverer: Redacted {
    /// The value as it may be printed: any secret hidden.
    public var redactedDescription: String { "Deliverer(\(connector.name))" }
}
