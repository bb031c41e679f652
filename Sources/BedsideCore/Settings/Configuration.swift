import Foundation
import Yams

/// The practice profile: who is replying, and the contacts a reply may give.
public struct PracticeProfile: Sendable, Hashable {
    /// Profile fields a template may use as `practice.NAME` (all text).
    public static let fieldNames = [
        "name", "phone", "email", "website", "booking_url", "address", "hours", "holiday_hours",
        "parking", "accessibility", "languages", "services", "prices_url", "funding", "new_patients",
    ]

    /// The practice's own contact and service facts, by field name.
    public var fields: [String: String]
    /// The region whose emergency and crisis lines replies signpost (`UK`, `US`, `EU`).
    public var region: String
    /// The practice's own handles and names on its channels: their posts are never answered.
    public var ownAccounts: [String]
    /// The crisis lines replies signpost: the region's, with any the practice set itself.
    public var crisisLines: CrisisLines
    /// The practice's time zone (`practice.timezone`, an IANA name such as `Europe/London`):
    /// times shown to staff are in it; everything is stored in UTC. UTC when not set.
    public var timeZone = TimeZone(identifier: "UTC")!

    /// Creates a profile; `crisisLines` defaults to the region's built-in lines.
    public init(fields: [String: String], region: String, ownAccounts: [String], crisisLines: CrisisLines? = nil) {
        self.fields = fields
        self.region = region
        self.ownAccounts = ownAccounts
        self.crisisLines = crisisLines ?? CrisisLines.regions[region] ?? CrisisLines.regions["UK"]!
    }

    /// The practice's name.
    public var name: String { fields["name"] ?? "" }
}

/// What to do where the rules are silent, and the engine's limits.
public struct Policy: Sendable, Hashable {
    /// How a message reached the practice. Every channel but `listening` is addressed to it.
    public static let channels = ["direct", "comment", "review", "mention", "listening"]

    /// What happens to a message no rule matched, whatever its channel: `review` (the default,
    /// a person decides) unless `unmatchedByChannel` says otherwise for its channel.
    public var unmatched: Action = .review
    /// What happens to an unmatched message, by channel (`listening: ignore`, say).
    public var unmatchedByChannel: [String: Action] = [:]
    /// The channel of a message that names none, by its `platform` (`forum: listening`, say).
    /// A message with neither is taken as addressed to the practice (`comment`).
    public var platformChannels: [String: String] = [:]
    /// How many recent message ids are remembered to refuse a second answer (a bounded window).
    public var duplicateWindow: Int = 100_000
    /// The review store, relative to the configuration file or a URL.
    public var store: String = "bedside.sqlite"
    /// Limits on every pattern match.
    public var limits = Matcher.Limits()

    /// Creates the default policy.
    public init() {}

    /// The channel of a message: its own `channel` when it is one Bedside knows, else what its
    /// platform maps to, else `comment` (addressed to the practice: when unsure, a person decides).
    public func channel(of message: Message) -> String {
        if let channel = message.channel?.lowercased(), Self.channels.contains(channel) { return channel }
        if let platform = message.platform?.lowercased(), let channel = platformChannels[platform] { return channel }
        return "comment"
    }

    /// What happens to a message no rule recognised.
    public func unmatchedAction(for message: Message) -> Action {
        unmatchedByChannel[channel(of: message)] ?? unmatched
    }
}

/// `bedside.yaml`: the practice profile, the policy, and sections other modules read.
/// Never mutated after loading; the raw YAML nodes are read-only, hence `@unchecked`.
public struct Configuration: @unchecked Sendable {
    /// Where it was read from.
    public var path: String
    /// The practice profile.
    public var practice: PracticeProfile
    /// The policy.
    public var policy: Policy
    /// Raw top-level sections read by other modules (`delivery`, `server`, `tokens`), with their file.
    public var sections: [String: Node]

    /// Top-level keys of `bedside.yaml`.
    static let topLevelKeys = ["practice", "policy", "delivery", "server", "tokens"]
}

extension Configuration {
    /// Parses `bedside.yaml` text, collecting every problem.
    static func parse(_ text: String, path: String, into sink: inout DiagnosticSink) -> Configuration? {
        let yaml = YAMLSource(path: path)
        guard let root = yaml.parse(text, into: &sink) else {
            if !sink.hasErrors {
                sink.error(SourceLocation(path: path), "the configuration is empty; it needs at least a 'practice' section")
            }
            return nil
        }
        guard let top = yaml.fields(of: root, allowed: topLevelKeys, what: "the configuration", into: &sink) else { return nil }
        guard let practiceNode = top["practice"] else {
            sink.error(yaml.location(root), "the configuration has no 'practice' section (name, phone, region, own_accounts, …)")
            return nil
        }
        let practice = parsePractice(practiceNode, yaml, into: &sink)
        let policy = top["policy"].map { parsePolicy($0, yaml, into: &sink) } ?? Policy()
        var sections: [String: Node] = [:]
        for key in ["delivery", "server", "tokens"] { sections[key] = top[key] }
        guard let practice else { return nil }
        return Configuration(path: path, practice: practice, policy: policy, sections: sections)
    }

    private static func parsePractice(_ node: Node, _ yaml: YAMLSource, into sink: inout DiagnosticSink) -> PracticeProfile? {
        let allowed = PracticeProfile.fieldNames + ["region", "own_accounts", "crisis", "custom", "timezone"]
        guard let map = yaml.fields(of: node, allowed: allowed, what: "'practice'", into: &sink) else { return nil }
        var fields: [String: String] = [:]
        for name in PracticeProfile.fieldNames {
            if let value = yaml.string(map[name], "practice.\(name)", into: &sink) { fields[name] = value }
        }
        for required in ["name", "phone"] where fields[required]?.isEmpty ?? true {
            sink.error(yaml.location(node), "'practice' needs '\(required)': replies give it to people")
        }
        var region = "UK"
        if let regionNode = map["region"], let value = yaml.string(regionNode, "practice.region", into: &sink) {
            if CrisisLines.regions[value.uppercased()] != nil {
                region = value.uppercased()
            } else {
                let known = CrisisLines.regions.keys.sorted().joined(separator: ", ")
                sink.error(yaml.location(regionNode), "unknown region '\(value)'; Bedside knows the crisis lines of \(known)")
            }
        }
        let own = yaml.strings(map["own_accounts"], "practice.own_accounts", into: &sink).map(\.0)
        if let custom = map["custom"] { parseCustomFields(custom, yaml, into: &fields, &sink) }
        var lines = CrisisLines.regions[region]!
        if let node = map["crisis"], let crisis = yaml.fields(of: node, allowed: CrisisLines.keys, what: "'practice.crisis'", into: &sink) {
            for key in CrisisLines.keys {
                guard let value = yaml.string(crisis[key], "practice.crisis.\(key)", into: &sink) else { continue }
                if value.trimmingCharacters(in: .whitespaces).isEmpty {
                    sink.error(yaml.location(crisis[key]!), "practice.crisis.\(key) is empty; leave it out to use the region's line")
                } else {
                    lines[key] = value
                }
            }
        }
        var profile = PracticeProfile(fields: fields, region: region, ownAccounts: own, crisisLines: lines)
        if let node = map["timezone"], let zone = parseTimeZone(node, yaml, into: &sink) { profile.timeZone = zone }
        return profile
    }

    /// `practice.timezone`: an IANA time zone name, with a suggestion for a near miss.
    private static func parseTimeZone(_ node: Node, _ yaml: YAMLSource, into sink: inout DiagnosticSink) -> TimeZone? {
        guard let name = yaml.string(node, "practice.timezone", into: &sink) else { return nil }
        // Only IANA names: abbreviations such as BST or EST are ambiguous and ignore daylight saving.
        if name.contains("/") || name == "UTC", let zone = TimeZone(identifier: name) { return zone }
        var message = "practice.timezone must be an IANA time zone name such as Europe/London or America/New_York, not '\(name)'"
        if let guess = Suggestion.closest(to: name, in: TimeZone.knownTimeZoneIdentifiers) { message += "; did you mean '\(guess)'?" }
        sink.error(yaml.location(node), message)
        return nil
    }

    /// `practice.custom`: the practice's own fields (a second site, an emergency line), used in
    /// responses as `{{practice.NAME}}` like the built-in ones.
    private static func parseCustomFields(
        _ node: Node, _ yaml: YAMLSource, into fields: inout [String: String], _ sink: inout DiagnosticSink
    ) {
        guard let mapping = node.mapping else {
            sink.error(yaml.location(node), "'practice.custom' must be a mapping of field names to text")
            return
        }
        for (key, value) in mapping {
            guard let name = key.string, name.first?.isLetter == true,
                name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
            else {
                sink.error(
                    yaml.location(key),
                    "'practice.custom' field names are lower case letters, digits and '_' ('\(key.string ?? "?")' is not)")
                continue
            }
            guard !PracticeProfile.fieldNames.contains(name), !["region", "own_accounts", "crisis", "custom", "timezone"].contains(name)
            else {
                sink.error(yaml.location(key), "'practice.custom' cannot redefine '\(name)'; set it in 'practice' itself")
                continue
            }
            if let text = yaml.string(value, "practice.custom.\(name)", into: &sink) { fields[name] = text }
        }
    }

    private static func parsePolicy(_ node: Node, _ yaml: YAMLSource, into sink: inout DiagnosticSink) -> Policy {
        var policy = Policy()
        let allowed = ["unmatched", "channels", "duplicate_window", "store", "match_limit", "depth_limit"]
        guard let map = yaml.fields(of: node, allowed: allowed, what: "'policy'", into: &sink) else { return policy }
        func action(_ n: Node, _ what: String) -> Action? {
            guard let value = yaml.string(n, what, into: &sink) else { return nil }
            switch value {
            case "ignore": return .ignore
            case "review": return .review
            default:
                sink.error(yaml.location(n), "\(what) must be 'ignore' or 'review', not '\(value)'")
                return nil
            }
        }
        if let n = map["unmatched"] {
            if n.mapping != nil {
                // unmatched: {default: review, listening: ignore}
                let keys = ["default"] + Policy.channels
                for (key, value) in yaml.fields(of: n, allowed: keys, what: "'policy.unmatched'", into: &sink) ?? [:] {
                    guard let chosen = action(value, "policy.unmatched.\(key)") else { continue }
                    if key == "default" { policy.unmatched = chosen } else { policy.unmatchedByChannel[key] = chosen }
                }
            } else if let chosen = action(n, "policy.unmatched") {
                policy.unmatched = chosen
            }
        }
        if let n = map["channels"] {
            // channels: {forum: listening, messenger: direct} — a platform's channel
            guard let entries = n.mapping else {
                sink.error(yaml.location(n), "policy.channels maps a platform to its channel (\(Policy.channels.joined(separator: ", ")))")
                return policy
            }
            for (key, value) in entries {
                guard let platform = key.string, let channel = yaml.string(value, "policy.channels.\(key.string ?? "?")", into: &sink)
                else { continue }
                guard Policy.channels.contains(channel) else {
                    var message =
                        "policy.channels.\(platform) is '\(channel)'; a channel is one of \(Policy.channels.joined(separator: ", "))"
                    if let guess = Suggestion.closest(to: channel, in: Policy.channels) { message += "; did you mean '\(guess)'?" }
                    sink.error(yaml.location(value), message)
                    continue
                }
                policy.platformChannels[platform.lowercased()] = channel
            }
        }
        func positive(_ key: String, limit: Int = Int(UInt32.max)) -> Int? {
            guard let n = map[key] else { return nil }
            guard let value = n.int, value > 0, value <= limit else {
                sink.error(yaml.location(n), "policy.\(key) must be a whole number above 0, not '\(n.string ?? "?")'")
                return nil
            }
            return value
        }
        if let value = positive("duplicate_window", limit: 10_000_000) { policy.duplicateWindow = value }
        if let value = positive("match_limit") { policy.limits.matchLimit = UInt32(value) }
        if let value = positive("depth_limit") { policy.limits.depthLimit = UInt32(value) }
        if let value = yaml.string(map["store"], "policy.store", into: &sink) { policy.store = value }
        return policy
    }
}
