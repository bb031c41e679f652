import Foundation

/// The `delivery:` section of `bedside.yaml`: where replies go, and how hard to try.
///
/// Secrets are never here: the settings name environment variables, and connectors read their values
/// from the environment when they are made.
public struct DeliverySettings: Sendable, Hashable {
    /// Which connector sends replies.
    public enum ConnectorKind: String, Sendable, Hashable, CaseIterable {
        /// Append one JSON object per reply to a JSON Lines file (the default).
        case outboxFile = "outbox-file"
        /// POST each reply to an HTTPS endpoint, signed per Standard Webhooks.
        case webhook
        /// Reply through the Meta Graph API (Facebook comments, Instagram comments, Messenger).
        case meta
    }

    /// `webhook:` — a generic signed HTTPS receiver.
    public struct Webhook: Sendable, Hashable {
        /// Where to POST.
        public var url: URL
        /// The environment variable holding the `whsec_…` signing secret.
        public var secretEnv: String = "BEDSIDE_OUTBOUND_SECRET"

        /// Creates webhook settings.
        public init(url: URL, secretEnv: String = "BEDSIDE_OUTBOUND_SECRET") {
            self.url = url
            self.secretEnv = secretEnv
        }
    }

    /// `meta:` — the Graph API.
    public struct Meta: Sendable, Hashable {
        /// The Graph API version used unless `graph_url` names another: v24.0 (October 2025; Meta
        /// supports a version for about two years, and retired v19.0 in May 2026).
        public static let defaultGraphURL = URL(string: "https://graph.facebook.com/v24.0")!

        /// The Graph API base, with its version.
        public var graphURL: URL = Meta.defaultGraphURL
        /// The Facebook page id (needed for Messenger replies).
        public var pageID: String?
        /// The environment variable holding the page access token.
        public var tokenEnv: String = "BEDSIDE_META_PAGE_TOKEN"

        /// Creates Meta settings.
        public init(graphURL: URL = Meta.defaultGraphURL, pageID: String? = nil, tokenEnv: String = "BEDSIDE_META_PAGE_TOKEN") {
            self.graphURL = graphURL
            self.pageID = pageID
            self.tokenEnv = tokenEnv
        }
    }

    /// `slack:` — staff notifications that a new review item waits.
    public struct Slack: Sendable, Hashable {
        /// The environment variable holding the incoming-webhook URL (the URL is itself a secret).
        public var webhookURLEnv: String = "BEDSIDE_SLACK_WEBHOOK_URL"
        /// The review console's base URL; a notification links to `console_url/ID`.
        public var consoleURL: String?

        /// Creates Slack settings.
        public init(webhookURLEnv: String = "BEDSIDE_SLACK_WEBHOOK_URL", consoleURL: String? = nil) {
            self.webhookURLEnv = webhookURLEnv
            self.consoleURL = consoleURL
        }
    }

    /// The connector that sends replies.
    public var connector: ConnectorKind = .outboxFile
    /// The outbox file, relative to the store's folder unless absolute.
    public var outbox: String = "outbox.jsonl"
    /// Webhook settings (required for `connector: webhook`).
    public var webhook: Webhook?
    /// Meta settings (required for `connector: meta`).
    public var meta: Meta?
    /// Slack settings, when staff want notifications.
    public var slack: Slack?
    /// Retries with exponential backoff and full jitter.
    public var retry = RetryPolicy()
    /// The limit on every outbound request, in seconds.
    public var timeout: TimeInterval = 10

    /// The defaults: the outbox file, six attempts, ten-second timeouts.
    public init() {}
}
