/// What a reply may call the person it answers: a name people can read, or nothing.
///
/// Platforms often give only an id (`1423587017700999`), and a handle can be anything: a phone
/// number, an email address, bidirectional-override characters, a paragraph. A greeting carrying
/// any of those would fail the reply guard (or mislead), and the whole reply would be lost with it.
/// So the author is checked here once, for `bedside run` and `bedside serve` alike, and anything
/// doubtful leaves the greeting out — never the reply.
public enum AuthorName {
    /// Longer names are left out of greetings.
    public static let maximumLength = 40

    /// `author` as a reply may greet them, or `nil` when a reply should greet nobody by name.
    ///
    /// Left out: empty or whitespace-only names; names longer than ``maximumLength`` characters;
    /// control, format (bidi overrides, zero-width spaces) and private-use characters; names with no
    /// letter; digit-heavy names (five digits or more, or more digits than letters: ids, phone
    /// numbers); email addresses and links.
    public static func greeting(_ author: String?) -> String? {
        guard let author else { return nil }
        let name = author.trimmingWhitespace()
        guard !name.isEmpty, name.count <= maximumLength else { return nil }
        var letters = 0
        var digits = 0
        for scalar in name.unicodeScalars {
            let properties = scalar.properties
            switch properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
                return nil
            case .format:
                // The zero-width joiner inside emoji sequences is harmless; every other format
                // character (bidi controls, zero-width spaces) is not.
                guard scalar == "\u{200D}" else { return nil }
            default:
                if properties.numericType == .decimal {
                    digits += 1
                } else if properties.isAlphabetic {
                    letters += 1
                }
            }
        }
        guard letters > 0, digits < 5, digits <= letters else { return nil }
        let lowered = name.lowercased()
        if lowered.dropFirst().contains("@") || lowered.contains("://") || lowered.contains("www.") { return nil }
        return name
    }
}
