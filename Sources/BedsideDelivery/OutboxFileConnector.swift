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
    public var name: String { "outbox-file" }
    /// The file appended to.
    public let path: String

    /// Creates a connector appending to `path`.
    public init(path: String) { self.path = path }

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
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw WriteError(description: "cannot open the outbox file: \(String(cString: strerror(errno)))") }
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
        if !existed {
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
