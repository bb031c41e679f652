import BedsideCore
import Testing

/// Who a reply may greet by name: a name people can read, or nobody.
struct AuthorNameTests {
    @Test(arguments: ["Jane", "jane_d", "@nightowl", "tom.h", "Zoë O'Brien", "Rosie 🌸", "李小龙", "promo_bot_22", "  Sam  "])
    func readableNamesAreGreeted(_ name: String) {
        #expect(AuthorName.greeting(name) == name.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: [
        "", "   ", "1423587017700999", "+44 7700 900123", "020 7946 0321", "user_12345", "jane@example.com",
        "https://spam.example", "www.spam.example", String(repeating: "a", count: 41), "Ev\u{202E}lin", "\u{2067}Sam\u{2069}",
        "Ja\u{0007}ne", "Jane\nDoe", "Jane\u{200B}", "🌸🌸🌸", "___", "R2D2X99",
    ])
    func doubtfulNamesAreLeftOut(_ name: String) {
        #expect(AuthorName.greeting(name) == nil)
    }

    @Test func nobodyIsNobody() {
        #expect(AuthorName.greeting(nil) == nil)
    }
}
