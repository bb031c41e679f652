import BedsideCore
import Testing

struct DeobfuscatorTests {
    @Test(arguments: [
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
}
