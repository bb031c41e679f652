import Foundation

/// Reads a file descriptor one line at a time with bounded memory: a line longer than the limit
/// is reported by its first bytes and its length, the rest skipped, so no input can exhaust memory.
final class LineReader {
    enum Line {
        /// A complete line (without its newline or a trailing carriage return).
        case line(UnsafeBufferPointer<UInt8>)
        /// A line over the limit: its first bytes, and its full length.
        case tooLong(prefix: UnsafeBufferPointer<UInt8>, length: Int)
    }

    private let fd: Int32
    private let limit: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var start = 0
    private var end = 0
    private var eof = false
    /// Called before a read that may block, so output reaches a live pipe without delay.
    var beforeBlockingRead: () async -> Void = {}

    init(fd: Int32, limit: Int, chunk: Int = 1 << 16) {
        self.fd = fd
        self.limit = limit
        capacity = limit + chunk + 1
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// The next line, or `nil` at the end of input. The buffer is valid until the next call.
    func next() async throws -> Line? {
        var searchFrom = start
        while true {
            if let newline = indexOfNewline(from: searchFrom) {
                var lineEnd = newline
                if lineEnd > start, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                return complete(upTo: lineEnd, next: newline + 1)
            }
            let scanned = end - start
            // Over the limit even if a carriage return ends it: skip the rest of it as it comes.
            if end - start > limit + 1 {
                return try await skipLongLine()
            }
            if eof {
                guard end > start else { return nil }
                return complete(upTo: end, next: end)
            }
            try await fill()
            searchFrom = start + scanned
        }
    }

    /// The line from `start` to `lineEnd`, judged by its length alone (however the bytes arrived:
    /// a file fills the buffer in one read, a pipe a chunk at a time).
    private func complete(upTo lineEnd: Int, next: Int) -> Line {
        let line = UnsafeBufferPointer(start: buffer + start, count: lineEnd - start)
        start = next
        guard line.count <= limit else {
            return .tooLong(prefix: UnsafeBufferPointer(rebasing: line.prefix(4096)), length: line.count)
        }
        return .line(line)
    }

    private func indexOfNewline(from: Int) -> Int? {
        guard from < end else { return nil }
        guard let found = memchr(buffer + from, 0x0A, end - from) else { return nil }
        return buffer.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Moves pending bytes to the front and reads more.
    private func fill() async throws {
        if start > 0 {
            let pending = end - start
            if pending > 0 { memmove(buffer, buffer + start, pending) }
            start = 0
            end = pending
        }
        if !hasInputReady() { await beforeBlockingRead() }
        let room = capacity - end
        let n = read(fd, buffer + end, room)
        if n < 0 {
            if errno == EINTR { return }
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        if n == 0 { eof = true } else { end += n }
    }

    private func hasInputReady() -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }

    /// Keeps the first bytes of an over-long line (for its id), discards the rest up to its newline.
    private func skipLongLine() async throws -> Line {
        let keep = min(4096, end - start)
        if start > 0 { memmove(buffer, buffer + start, keep) }
        var length = end - start
        start = 0
        end = keep
        let scratchStart = keep
        while true {
            if !hasInputReady() { await beforeBlockingRead() }
            let n = read(fd, buffer + scratchStart, capacity - scratchStart)
            if n < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            if n == 0 {
                eof = true
                end = keep
                start = keep
                return .tooLong(prefix: UnsafeBufferPointer(start: buffer, count: keep), length: length)
            }
            if let found = memchr(buffer + scratchStart, 0x0A, n) {
                let offset = buffer.distance(to: found.assumingMemoryBound(to: UInt8.self)) - scratchStart
                length += offset
                // keep what follows the newline after the prefix
                let rest = n - offset - 1
                memmove(buffer + keep, buffer + scratchStart + offset + 1, rest)
                start = keep
                end = keep + rest
                return .tooLong(prefix: UnsafeBufferPointer(start: buffer, count: keep), length: length)
            }
            length += n
        }
    }
}
