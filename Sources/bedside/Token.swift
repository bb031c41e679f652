import ArgumentParser
import BedsideServer
import BedsideStore

extension Bedside {
    /// Staff tokens for the review API.
    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make staff tokens for the review API, the console and `bedside queue`.",
            subcommands: [New.self]
        )

        /// `bedside token new NAME [--role reviewer|admin]`.
        struct New: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print a fresh token once, and the line to paste under `tokens:` in bedside.yaml.",
                discussion: """
                    Only the token's SHA-256 goes into bedside.yaml; the token itself is shown this once. Give it to \
                    the person, who sends it as `Authorization: Bearer TOKEN` (or sets $BEDSIDE_TOKEN for \
                    `bedside queue`). To revoke it, delete the line.
                    """
            )

            @Argument(help: "The person's name, recorded as the actor of what they do.")
            var name: String

            @Option(name: .long, help: "reviewer (approve, edit, reject, assign) or admin (may also override the reply guard).")
            var role: String = "reviewer"

            func validate() throws {
                guard StaffToken.Role(rawValue: role) != nil else {
                    throw ValidationError("--role must be 'reviewer' or 'admin', not '\(role)'")
                }
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
                    throw ValidationError("NAME may hold letters, digits, '.', '_' and '-' only")
                }
            }

            func run() throws {
                let token = StaffToken.generate()
                let role = StaffToken.Role(rawValue: role)!
                print("token: \(token)")
                print("")
                print("# add under `tokens:` in bedside.yaml:")
                print(StaffToken.yamlLine(name: name, role: role, token: token))
            }
        }
    }
}
