import BedsideStore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Appends one JSON object per reply to a JSON Lines file for a downstream tool to post.
///
/// A batch of entries is written with one `write` on an `O_APPEND` descriptor (one line each, in order)
/// and one `fsync`, before the entries are marked delivered. A crash between the append and the mark
/// appends those entries again on resume with the same `idempotency_key`: consumers must deduplicate by
/// that key.
public struct OutboxFileConnector: BatchConnector {
    /// The connector's name in settings and logs.
    public var name: String { "outbox-file" }
    /// The file appended to.
    public let path: String

    /// Creates a connector appending to `path`.
    public init(path: String) { self.path = path }

    /// Appends the reply to the outbox file, durably.
    public func deliver(_ entry: OutboxEntry) async -> DeliveryOutcome {
        await deliver(batch: [entry])
    }

    /// Appends every entry's line with one write and one `fsync`.
    public func deliver(batch entries: [OutboxEntry]) async -> DeliveryOutcome {
        guard !entries.isEmpty else { return .delivered(response: nil) }
        var lines = Data()
        for entry in entries {
            lines.append(ReplyPayload(entry).json())
            lines.append(0x0A)
        }
        do {
            try append(lines)
            return .delivered(response: "appended to \((path as NSString).lastPathComponent)")
        } catch {
            // A full disk or a permission problem may clear up: retry, and dead-letter in the end.
            return .retry(reason: error.description)
        }
    }

    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    func append(_ bytes: Data) throws(WriteError) {
        let existed = FileManager.default.fileExists(atPath: path)
        let fd = try openLocked(O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC)
        defer { close(fd) }
        var failure: String?
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = "cannot write the outbox file: \(String(cString: strerror(errno)))"
                    return
                }
                offset += n
            }
        }
        if let failure { throw WriteError(description: failure) }
        guard fsync(fd) == 0 else { throw WriteError(description: "cannot sync the outbox file: \(String(cString: strerror(errno)))") }
        if !existed { syncDirectory() }
    }

    /// Opens the file under an exclusive lock. `erase` replaces the file by renaming a new one over
    /// it, so a descriptor locked after that names the old file: then it opens again.
    func openLocked(_ flags: Int32) throws(WriteError) -> Int32 {
        while true {
            let fd = open(path, flags, 0o600)
            guard fd >= 0 else { throw WriteError(description: "cannot open the outbox file: \(String(cString: strerror(errno)))") }
            _ = flock(fd, LOCK_EX)
            var opened = stat(), current = stat()
            if fstat(fd, &opened) == 0, stat(path, &current) == 0, opened.st_ino == current.st_ino, opened.st_dev == current.st_dev {
                return fd
            }
            close(fd)
        }
    }

    /// Rewrites the lines of the replies to `messages` (message id → the writer's handle and words)
    /// with `erase` applied to their text, for `queue purge`. Other lines stay byte for byte; the new
    /// file replaces the old one at once, synced. Returns how many lines changed.
    public func erase(_ messages: [String: (handle: String?, text: String?)], with erase: (String, String?, String?) -> String) throws
        -> Int
    {
        guard !messages.isEmpty, FileManager.default.fileExists(atPath: path) else { return 0 }
        let fd = try openLocked(O_RDONLY | O_CLOEXEC)
        defer { close(fd) }
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        var changed = 0
        var out = Data()
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if var object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let id = object["message_id"] as? String, let writer = messages[id], let text = object["text"] as? String
            {
                object["text"] = erase(text, writer.handle, writer.text)
                out.append(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
                changed += 1
            } else {
                out.append(line)
            }
            out.append(0x0A)
        }
        if out.last == 0x0A, data.last == 0x0A || data.isEmpty { out.removeLast() }
        let temporary = path + ".purge-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: out, attributes: [.posixPermissions: 0o600]) else {
            throw WriteError(description: "cannot write \(temporary)")
        }
        let tfd = open(temporary, O_RDONLY | O_CLOEXEC)
        if tfd >= 0 { _ = fsync(tfd); close(tfd) }
        guard rename(temporary, path) == 0 else {
            throw WriteError(description: "cannot replace the outbox file: \(String(cString: strerror(errno)))")
        }
        syncDirectory()
        return changed
    }

    /// Makes a new directory entry durable.
    func syncDirectory() {
        do {
            // A new file's directory entry must be durable too.
            let directory = (path as NSString).deletingLastPathComponent
            let dfd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dfd >= 0 {
                _ = fsync(dfd)
                close(dfd)
            }
        }
    }
}
