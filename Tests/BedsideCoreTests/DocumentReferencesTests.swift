import Foundation
import Testing

/// Every document that code, messages and tests point a reader at is in the repository, and every
/// README.md section they name by its title is there.
struct DocumentReferencesTests {
    static let root = Fixture.repositoryRoot

    /// The Swift files under Sources/ and Tests/, with their text.
    static func swiftFiles() throws -> [(path: String, text: String)] {
        var found: [(String, String)] = []
        for folder in ["Sources", "Tests"] {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let relative as String in walker where relative.hasSuffix(".swift") {
                found.append(("\(folder)/\(relative)", try String(contentsOf: base.appendingPathComponent(relative), encoding: .utf8)))
            }
        }
        return found
    }

    @Test func everyDocumentNamedIsInTheRepository() throws {
        let files = try Self.swiftFiles()
        #expect(files.count > 50, "the test reads the tree")
        for (path, text) in files where !path.hasSuffix("DocumentReferencesTests.swift") {
            for match in text.matches(of: /\b([A-Z][A-Z0-9_-]*\.md)\b/) {
                let name = String(match.output.1)
                #expect(
                    FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(name).path),
                    "\(path) names \(name), which is not in the repository")
            }
        }
    }

    @Test func everyReadmeSectionNamedExists() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let headings = Set(
            readme.split(separator: "\n").filter { $0.hasPrefix("#") }.map { $0.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces) })
        var named = 0
        for (path, text) in try Self.swiftFiles() where !path.hasSuffix("DocumentReferencesTests.swift") {
            // `README.md, "Section"` or `README.md's "Section"`, quotes escaped or not.
            for match in text.matches(of: /README\.md(?:,|'s) \\?"([^"\\]+)\\?"/) {
                let section = String(match.output.1)
                named += 1
                #expect(
                    headings.contains { $0 == section || $0.hasPrefix(section + ":") || $0.hasPrefix(section + " (") },
                    "\(path) names README.md section \"\(section)\", which is not there")
            }
        }
        #expect(named >= 5, "the test finds the references")
    }
}
