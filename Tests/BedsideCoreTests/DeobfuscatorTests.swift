import BedsideCore
import Testing

struct DeobfuscatorTests {
    @Test(
        arguments: [
            ("k1ll mys3lf", "kill myself"),
            ("su!cide", "suicide"),
            ("$uicidal", "suicidal"),
            ("s u i c i d e", "suicide"),
            ("k.i.l.l me", "kill me"),
            ("k m s tonight", "kms tonight"),
            ("e n d i n g  i t  t o n i g h t", "ending  it  tonight"),
            ("I am at a b and c", nil),
            ("ｋｉｌｌ myself", "kill myself"),
            ("kill\u{200B}myself", "killmyself"),
            ("unalive", nil),
            ("help!", nil),
            ("I took 20 pills", nil),
        ] as [(String, String?)])
    func deobfuscates(_ input: String, _ expected: String?) {
        #expect(Deobfuscator.deobfuscate(input) == expected)
    }

    static let spellings = Spellings(corrections: ["sucidal": "suicidal", "siezure": "seizure", "breth": "breathe"])

    @Test(
        arguments: [
            ("feeling sucidal tonight", "feeling suicidal tonight"),
            ("SUCIDAL and he's having a Siezure", "suicidal and he's having a seizure"),
            ("can't breth, l1ps blue", "can't breathe, lips blue"),
            ("a successful visit", nil),
            ("breathe", nil),
        ] as [(String, String?)])
    func repairsListedMisspellingsOnly(_ input: String, _ expected: String?) {
        #expect(Deobfuscator.deobfuscate(input, spellings: Self.spellings) == expected)
    }

    @Test func aSpellingsLineMustBeTwoDifferentWords() throws {
        var files = Fixture.files(rules: FragmentTests.rules)
        files.lists = [RulebookFiles.File(path: "lists/spellings.txt", text: "sucidal suicidal\nsiezure\nsame same\n")]
        files.fragments = [RulebookFiles.File(path: "fragments/base.yaml", text: FragmentTests.base)]
        #expect(throws: LoadError.self) { try Rulebook.load(files) }
        do {
            _ = try Rulebook.load(files)
        } catch {
            let messages = error.diagnostics.map(\.description)
            #expect(messages.contains { $0.contains("lists/spellings.txt") && $0.contains("'siezure'") })
            #expect(messages.contains { $0.contains("'same same'") })
            #expect(!messages.contains { $0.contains("'sucidal suicidal' is not") })
        }
    }
}
