import Foundation

/// The settings an operator sets per deployment, which the environment may give instead of
/// `bedside.yaml` or a flag (a flag wins over the environment, the environment over the file).
/// The review store's location is read where the store is opened.
public enum EnvironmentSetting {
    /// The configuration file (`--config` wins).
    public static let config = "BEDSIDE_CONFIG"
    /// The address `serve` listens on (`server.host`).
    public static let host = "BEDSIDE_HOST"
    /// The port `serve` listens on (`server.port`).
    public static let port = "BEDSIDE_PORT"
    /// The least severe log level written (`server.log_level`).
    public static let logLevel = "BEDSIDE_LOG_LEVEL"

    /// Every per-deployment variable, for documentation and `check`.
    public static let all = [config, host, port, logLevel]

    /// The variable's value, or `nil` when it is unset or empty (an empty value means "not set",
    /// as a unit file's `Environment=BEDSIDE_PORT=` does).
    public static func value(_ name: String, in environment: [String: String]) -> String? {
        guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// Where a problem with the variable's value is reported: `$NAME: error: …`.
    public static func location(_ name: String) -> SourceLocation {
        SourceLocation(path: "$" + name, line: 0, column: 0)
    }
}
