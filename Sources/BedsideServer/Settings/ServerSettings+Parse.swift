import BedsideCore
import BedsideStore
import Foundation
import Logging
import Yams

extension ServerSettings {
    /// Keys of `server:`.
    static let keys = [
        "host", "port", "log_level", "body_limit", "max_in_flight", "read_timeout", "idle_timeout", "max_batch",
        "delivery_interval", "classifiers",
    ]

    /// Reads `server:` and `tokens:` from a loaded configuration, reporting every problem at once
    /// with its line and column. The environment is not consulted (see ``load(from:environment:)``).
    public static func load(from configuration: Configuration) throws(LoadError) -> ServerSettings {
        var reader = SettingsReader(path: configuration.path)
        var settings = ServerSettings()
        if let node = configuration.sections["server"] { reader.server(node, into: &settings) }
        if let node = configuration.sections["tokens"] { settings.tokens = reader.tokens(node) }
        if let error = reader.loadError { throw error }
        return settings
    }

    /// The settings `bedside serve` runs with: the file's, then the per-deployment ones the
    /// environment sets (`BEDSIDE_HOST`, `BEDSIDE_PORT`, `BEDSIDE_LOG_LEVEL`), then the secrets.
    /// A bad value in either place is reported with where it came from.
    public static func load(from configuration: Configuration, environment: [String: String]) throws(LoadError) -> ServerSettings {
        var problems: [Diagnostic] = []
        var settings = ServerSettings()
        do {
            settings = try load(from: configuration)
        } catch {
            problems = error.diagnostics
        }
        problems += settings.applyEnvironment(environment)
        if problems.contains(where: { $0.severity == .error }) { throw LoadError(problems) }
        settings.readSecrets(from: environment)
        return settings
    }

    /// Applies `BEDSIDE_HOST`, `BEDSIDE_PORT` and `BEDSIDE_LOG_LEVEL`; returns what was wrong with them.
    mutating func applyEnvironment(_ environment: [String: String]) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        func problem(_ name: String, _ message: String) {
            problems.append(Diagnostic(.error, at: EnvironmentSetting.location(name), message))
        }
        if let value = EnvironmentSetting.value(EnvironmentSetting.host, in: environment) { host = value }
        if let value = EnvironmentSetting.value(EnvironmentSetting.port, in: environment) {
            if let number = Int(value), (0...65535).contains(number) {
                port = number
            } else {
                problem(EnvironmentSetting.port, "must be a port from 0 to 65535, not '\(value)'")
            }
        }
        if let value = EnvironmentSetting.value(EnvironmentSetting.logLevel, in: environment) {
            if let level = Logger.Level(rawValue: value) {
                logLevel = level
            } else {
                problem(EnvironmentSetting.logLevel, "must be one of \(Self.logLevels.joined(separator: ", ")), not '\(value)'")
            }
        }
        return problems
    }

    /// The log levels, least severe first.
    public static let logLevels = Logger.Level.allCases.map(\.rawValue)
}

/// `server:` and `tokens:`, read through the shared settings reader.
extension SettingsReader {
    mutating func server(_ node: Node, into settings: inout ServerSettings) {
        guard let map = fields(node, allowed: ServerSettings.keys, what: "'server'") else { return }
        if let n = map["host"], let value = nonEmpty(n, "server.host", meaning: "an address") { settings.host = value }
        if let n = map["port"], let value = integer(n, "server.port", in: 0...65535) { settings.port = value }
        if let n = map["log_level"], let value = choice(n, "server.log_level", from: ServerSettings.logLevels) {
            settings.logLevel = Logger.Level(rawValue: value) ?? .info
        }
        if let n = map["body_limit"], let value = integer(n, "server.body_limit", in: 1024...(64 << 20)) { settings.bodyLimit = value }
        if let n = map["max_in_flight"], let value = integer(n, "server.max_in_flight", in: 1...100_000) { settings.maxInFlight = value }
        if let n = map["read_timeout"], let value = number(n, "server.read_timeout", in: 0.1...3600) { settings.readTimeout = value }
        if let n = map["idle_timeout"], let value = number(n, "server.idle_timeout", in: 1...86_400) { settings.idleTimeout = value }
        if let n = map["max_batch"], let value = integer(n, "server.max_batch", in: 1...10_000) { settings.maxBatch = value }
        if let n = map["delivery_interval"], let value = number(n, "server.delivery_interval", in: 0...3600) {
            settings.deliveryInterval = value
        }
        if let n = map["classifiers"], let value = integer(n, "server.classifiers", in: 1...256) { settings.classifiers = value }
    }

    mutating func tokens(_ node: Node) -> StaffTokens {
        guard case .sequence(let entries) = node else {
            error(node, "'tokens' must be a list of {name, role, sha256}")
            return StaffTokens([])
        }
        var tokens: [StaffToken] = []
        var names = Set<String>()
        for entry in entries {
            let before = diagnostics.count
            guard let map = fields(entry, allowed: ["name", "role", "sha256"], what: "a token") else { continue }
            let name = map["name"].flatMap { nonEmpty($0, "a token's name", meaning: "text") }
            let roles = StaffToken.Role.allCases.map(\.rawValue)
            let role: StaffToken.Role? =
                map["role"].map { choice($0, "a token's role", from: roles).flatMap { StaffToken.Role(rawValue: $0) } } ?? .reviewer
            var digest: [UInt8]?
            if let n = map["sha256"], let hex = string(n, "a token's sha256") {
                if let bytes = ServerSettings.hexBytes(hex), bytes.count == 32 {
                    digest = bytes
                } else {
                    error(n, "a token's sha256 must be 64 hex digits (as `bedside token new` prints)")
                }
            }
            guard diagnostics.count == before, let role else { continue }
            guard let name else { error(entry, "a token needs a 'name'"); continue }
            guard let digest else { error(entry, "token '\(name)' needs 'sha256'"); continue }
            guard names.insert(name).inserted else { error(entry, "token name '\(name)' appears twice"); continue }
            tokens.append(StaffToken(name: name, role: role, digest: digest))
        }
        return StaffTokens(tokens)
    }
}

extension ServerSettings {
    /// The bytes of a hex string, or `nil`.
    static func hexBytes(_ hex: String) -> [UInt8]? {
        let digits = Array(hex.lowercased().utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            default: return nil
            }
        }
        var i = 0
        while i < digits.count {
            guard let hi = value(digits[i]), let lo = value(digits[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}
