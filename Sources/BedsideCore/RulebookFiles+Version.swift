import Crypto
import Foundation

extension RulebookFiles {
    /// The rulebook's version: the first 12 hex digits of SHA-256 over every file's name and text.
    /// Names are taken without their folder, so copies of the same files on several machines have
    /// the same version, and any change to a rule, response, list, fragment, the guard or the
    /// configuration gives a new one. Shown by `/healthz` and `/metrics`, so a rollout across
    /// instances can be watched until every instance reports the new version.
    public var version: String {
        var hasher = SHA256()
        func add(_ kind: String, _ files: [File]) {
            for file in files.sorted(by: { name($0) < name($1) }) {
                for part in [kind, name(file), file.text] {
                    hasher.update(data: Array(part.utf8))
                    hasher.update(data: [0])
                }
            }
        }
        add("configuration", [configuration])
        add("rules", rules)
        add("responses", responses)
        add("lists", lists)
        add("fragments", fragments)
        add("guard", guardFile.map { [$0] } ?? [])
        return hasher.finalize().prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    private func name(_ file: File) -> String { (file.path as NSString).lastPathComponent }
}
