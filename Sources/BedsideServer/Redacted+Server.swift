import BedsideDelivery
import BedsideStore

extension ServerSettings: Redacted {
    /// The settings as they may be printed: secrets hidden.
    public var redactedDescription: String { "ServerSettings(\(host):\(port), secrets and tokens redacted)" }
}

extension StaffTokens: Redacted {
    /// The settings as they may be printed: secrets hidden.
    public var redactedDescription: String { "StaffTokens(redacted)" }
}

extension LiveTokens: Redacted {
    var redactedDescription: String { "LiveTokens(redacted)" }
}

// Services are described in ServiceLifecycle's debug logs: by their name alone, never their parts
// (a connector's token, the signing secret).
extension OutboxService: Redacted {
    var redactedDescription: String { "OutboxService" }
}

extension RulebookReloader: Redacted {
    var redactedDescription: String { "RulebookReloader" }
}
