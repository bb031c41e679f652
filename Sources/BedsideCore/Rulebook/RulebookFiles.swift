import Foundation

/// The texts a rulebook is loaded from, each with the path diagnostics name.
public struct RulebookFiles: Sendable {
    /// A file's path (as shown in diagnostics) and text.
    public struct File: Sendable {
        /// The path shown in diagnostics.
        public var path: String
        /// The file's contents.
        public var text: String

        /// Creates a file.
        public init(path: String, text: String) {
            self.path = path
            self.text = text
        }
    }

    /// `bedside.yaml`.
    public var configuration: File
    /// `rules/*.yaml`, in name order.
    public var rules: [File]
    /// `responses/*.mustache`.
    public var responses: [File]
    /// `lists/*.txt`.
    public var lists: [File]
    /// `fragments/*.yaml`: named pattern fragments rules share.
    public var fragments: [File]
    /// `guard.yaml`, if the practice has one (else the built-in lexicon alone).
    public var guardFile: File?

    /// Creates a set of files.
    public init(configuration: File, rules: [File], responses: [File], lists: [File] = [], fragments: [File] = [], guardFile: File? = nil) {
        self.configuration = configuration
        self.fragments = fragments
        self.rules = rules
        self.responses = responses
        self.lists = lists
        self.guardFile = guardFile
    }
}

extension RulebookFiles {
    /// A missing or unreadable file or folder.
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        /// What could not be read, and why.
        public let description: String
    }

    /// Reads the configuration file and the folders beside it (or those given).
    ///
    /// `rules/`, `responses/`, `lists/`, `fragments/` and `guard.yaml` are looked for next to the configuration
    /// unless `rulesDirectory` / `responsesDirectory` say otherwise.
    public static func read(configuration path: String, rulesDirectory: String? = nil, responsesDirectory: String? = nil) throws(ReadError)
        -> RulebookFiles
    {
        let base = (path as NSString).deletingLastPathComponent
        func beside(_ name: String) -> String { base.isEmpty ? name : (base as NSString).appendingPathComponent(name) }
        let configuration = try readFile(path, what: "configuration")
        let rules = try readDirectory(rulesDirectory ?? beside("rules"), suffix: ".yaml", what: "rules folder", required: true)
        let responses = try readDirectory(
            responsesDirectory ?? beside("responses"), suffix: ".mustache", what: "responses folder", required: true)
        let lists = try readDirectory(beside("lists"), suffix: ".txt", what: "lists folder", required: false)
        let fragments = try readDirectory(beside("fragments"), suffix: ".yaml", what: "fragments folder", required: false)
        let guardPath = beside("guard.yaml")
        let guardFile = FileManager.default.fileExists(atPath: guardPath) ? try readFile(guardPath, what: "reply guard lexicon") : nil
        return RulebookFiles(
            configuration: configuration, rules: rules, responses: responses, lists: lists, fragments: fragments, guardFile: guardFile)
    }

    static func readFile(_ path: String, what: String) throws(ReadError) -> File {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw ReadError(
                description: "\(path): error: cannot read the \(what): \(exists ? "permission denied or not a file" : "no such file")")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReadError(description: "\(path): error: the \(what) is not valid UTF-8 text")
        }
        return File(path: path, text: text)
    }

    static func readDirectory(_ path: String, suffix: String, what: String, required: Bool) throws(ReadError) -> [File] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            if required { throw ReadError(description: "\(path): error: no \(what) here (use --rules / --responses to point elsewhere)") }
            return []
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw ReadError(description: "\(path): error: cannot list the \(what): \(error.localizedDescription)")
        }
        var files: [File] = []
        for name in names.sorted() where name.hasSuffix(suffix) && !name.hasPrefix(".") {
            files.append(try readFile((path as NSString).appendingPathComponent(name), what: "file"))
        }
        return files
    }
}
