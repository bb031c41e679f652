import Foundation

/// Builds connectors and notifiers from settings, reading secrets from the environment.
public enum Delivery {
    /// The outbox file's path: `settings.outbox` if absolute, else next to the store (or, when the
    /// store is a URL, next to the configuration file).
    public static func outboxPath(_ settings: DeliverySettings, storeFolder: String) -> String {
        if settings.outbox.hasPrefix("/") { return settings.outbox }
        return (storeFolder.isEmpty ? settings.outbox : (storeFolder as NSString).appendingPathComponent(settings.outbox))
    }

    /// The connector the settings name. Throws when a secret it needs is not in the environment
    /// (naming the variable, never a value).
    public static func connector(
        _ settings: DeliverySettings, storeFolder: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        client: (any HTTPClient)? = nil
    ) throws(ConnectorSetupError) -> any Connector {
        switch settings.connector {
        case .outboxFile:
            return OutboxFileConnector(path: outboxPath(settings, storeFolder: storeFolder))
        case .webhook:
            guard let webhook = settings.webhook else {
                throw ConnectorSetupError("connector 'webhook' needs a 'delivery.webhook' section")
            }
            let secret = try value(of: webhook.secretEnv, for: "the webhook signing secret (whsec_…)", in: environment)
            return try WebhookConnector(url: webhook.url, secret: secret, client: client ?? CurlClient(), timeout: settings.timeout)
        case .meta:
            guard let meta = settings.meta else { throw ConnectorSetupError("connector 'meta' needs a 'delivery.meta' section") }
            let token = try value(of: meta.tokenEnv, for: "the Meta page access token", in: environment)
            return MetaConnector(
                graphURL: meta.graphURL, pageID: meta.pageID, token: token, client: client ?? CurlClient(), timeout: settings.timeout)
        }
    }

    /// The Slack notifier, or `nil` when `delivery.slack` is not configured. Throws when it is but the
    /// webhook URL variable is missing or not a URL.
    public static func slackNotifier(
        _ settings: DeliverySettings, environment: [String: String] = ProcessInfo.processInfo.environment, client: (any HTTPClient)? = nil
    ) throws(ConnectorSetupError) -> SlackNotifier? {
        guard let slack = settings.slack else { return nil }
        let text = try value(of: slack.webhookURLEnv, for: "the Slack incoming-webhook URL", in: environment)
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil
        else {
            throw ConnectorSetupError("$\(slack.webhookURLEnv) is not an http(s) URL")
        }
        return SlackNotifier(webhookURL: url, consoleURL: slack.consoleURL, client: client ?? CurlClient(), timeout: settings.timeout)
    }

    /// How long a claim is held: longer than one attempt can take.
    public static func defaultLease(_ settings: DeliverySettings) -> TimeInterval {
        settings.connector == .outboxFile ? 30 : settings.timeout * 2 + 5
    }

    static func value(of name: String, for what: String, in environment: [String: String]) throws(ConnectorSetupError) -> String {
        guard let value = environment[name], !value.isEmpty else {
            throw ConnectorSetupError("$\(name) is not set: it must hold \(what); secrets come from the environment only")
        }
        return value
    }
}
