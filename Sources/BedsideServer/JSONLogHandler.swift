import Foundation
import Logging
import Synchronization

/// Writes one JSON object per log line to standard error: time, level, label, message, metadata.
/// Callers keep personal data out of messages and metadata; this handler adds none.
public struct JSONLogHandler: LogHandler {
    /// The lowest level written.
    public var logLevel: Logger.Level
    /// Metadata added to every entry.
    public var metadata: Logger.Metadata = [:]
    let label: String
    static let lock = Mutex<Void>(())

    /// Creates a handler for `label` at `level`.
    public init(label: String, level: Logger.Level = .info) {
        self.label = label
        logLevel = level
    }

    /// One item of the metadata added to every entry.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one entry as a line of JSON.
    public func log(event: LogEvent) {
        var object: [String: Any] = [
            "time": Date().formatted(.iso8601), "level": event.level.rawValue, "label": label, "message": "\(event.message)",
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { object[key] = "\(value)" }
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        data.append(0x0A)
        Self.lock.withLock { _ in
            data.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
        }
    }
}
