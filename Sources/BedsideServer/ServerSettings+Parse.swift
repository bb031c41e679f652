import BedsideCore
import BedsideStore
import Foundation
import Yams

extension ServerSettings {
    /// Reads `server:` and `tokens:` from a loaded configuration, reporting every problem at once
    /// with its line and column.
    public static func load(from configuration: Configuration) throws(LoadError) -> ServerSettings {
        var settings = ServerSettings()
        var problems: [Diagnostic] = []
        let path = configuration.path
        func at(_ node: Node) -> SourceLocation {
            guard let mark = node.mark else { return SourceLocation(path: path) }
            return SourceLocation(path: path, line: mark.line, column: mark.column)
        }
        func error(_ node: Node, _ message: String) { problems.append(Diagnostic(.error, at: at(node), message)) }

        if let server = configuration.sections["server"] {
            if case .mapping(let map) = server {
                let known = ["host", "port", "body_limit", "max_in_flight", "read_timeout", "idle_timeout", "max_batch", "delivery_interval", "classifiers"]
                for (keyNode, value) in map {
                    guard let key = keyNode.string else { error(keyNode, "a key in 'server' must be text"); continue }
                    func number(_ range: ClosedRange<Double>) -> Double? {
                        guard let n = value.float ?? value.int.map(Double.init), range.contains(n) else {
                            error(value, "server.\(key) must be a number from \(range.lowerBound) to \(range.upperBound), not '\(value.string ?? "?")'")
                            return nil
                        }
                        return n
                    }
                    switch key {
                    case "host":
                        if let text = value.string, !text.isEmpty { settings.host = text } else { error(value, "server.host must be an address") }
                    case "port": if let n = number(0...65535) { settings.port = Int(n) }
                    case "body_limit": if let n = number(1024...Double(64 << 20)) { settings.bodyLimit = Int(n) }
                    case "max_in_flight": if let n = number(1...100_000) { settings.maxInFlight = Int(n) }
                    case "read_timeout": if let n = number(0.1...3600) { settings.readTimeout = n }
                    case "idle_timeout": if let n = number(1...86_400) { settings.idleTimeout = n }
                    case "max_batch": if let n = number(1...10_000) { settings.maxBatch = Int(n) }
                    case "delivery_interval": if let n = number(0...3600) { settings.deliveryInterval = n }
                    case "classifiers": if let n = number(1...256) { settings.classifiers = Int(n) }
                    default:
                        let hint = Suggestion.closest(to: key, in: known).map { "; did you mean '\($0)'?" } ?? ""
                        error(keyNode, "unknown key '\(key)' in 'server'\(hint)")
                    }
                }
            } else {
                error(server, "'server' must be a mapping (host, port, body_limit, …)")
            }
        }

        if let list = configuration.sections["tokens"] {
            if case .sequence(let entries) = list {
                var tokens: [StaffToken] = []
                var names = Set<String>()
                for entry in entries {
                    guard case .mapping(let map) = entry else { error(entry, "each token is a mapping {name, role, sha256}"); continue }
                    var name: String?, role = StaffToken.Role.reviewer, digest: [UInt8]?
                    var ok = true
                    for (keyNode, value) in map {
                        switch keyNode.string ?? "" {
                        case "name":
                            if let text = value.string, !text.isEmpty { name = text } else { error(value, "a token's name must be text"); ok = false }
                        case "role":
                            if let text = value.string, let parsed = StaffToken.Role(rawValue: text) { role = parsed } else {
                                error(value, "a token's role must be 'reviewer' or 'admin', not '\(value.string ?? "?")'")
                                ok = false
                            }
                        case "sha256":
                            if let hex = value.string, let bytes = Self.hexBytes(hex), bytes.count == 32 { digest = bytes } else {
                                error(value, "a token's sha256 must be 64 hex digits (as `bedside token new` prints)")
                                ok = false
                            }
                        default:
                            let key = keyNode.string ?? "?"
                            let hint = Suggestion.closest(to: key, in: ["name", "role", "sha256"]).map { "; did you mean '\($0)'?" } ?? ""
                            error(keyNode, "unknown key '\(key)' in a token\(hint)")
                            ok = false
                        }
                    }
                    guard ok else { continue }
                    guard let name else { error(entry, "a token needs a 'name'"); continue }
                    guard let digest else { error(entry, "token '\(name)' needs 'sha256'"); continue }
                    guard names.insert(name).inserted else { error(entry, "token name '\(name)' appears twice"); continue }
                    tokens.append(StaffToken(name: name, role: role, digest: digest))
                }
                settings.tokens = StaffTokens(tokens)
            } else {
                error(list, "'tokens' must be a list of {name, role, sha256}")
            }
        }
        if !problems.isEmpty { throw LoadError(problems) }
        return settings
    }

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
