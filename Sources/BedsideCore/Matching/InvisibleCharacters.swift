/// Characters that make text look different from what it holds: control characters, bidirectional
/// controls (U+202E reverses what follows) and other formatting characters.
public enum InvisibleCharacters {
    /// Control and formatting characters, line and paragraph separators: never part of an id.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// Bidirectional controls: marks, embeddings, overrides and isolates.
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// Whether outgoing text may carry `scalar`: no control characters but the newline, no
    /// bidirectional controls, no line or paragraph separators.
    static func isAllowedOutgoing(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\n" { return true }
        if isBidiControl(scalar) { return false }
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return false
        default: return true
        }
    }

    /// Text as it may leave the practice: every character ``isAllowedOutgoing(_:)`` refuses removed
    /// (a tab becomes a space).
    public static func outgoing(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy(isAllowedOutgoing) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isAllowedOutgoing(scalar) {
                scalars.append(scalar)
            } else if scalar == "\t" {
                scalars.append(" ")
            }
        }
        return String(scalars)
    }
}
