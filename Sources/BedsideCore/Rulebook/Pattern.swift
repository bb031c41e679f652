import CPCRE2
import Synchronization

/// One PCRE2 pattern, compiled once (with JIT where available) and shared between threads.
///
/// The compiled code is JIT-compiled the first time a match asks for it (once, under a lock, before
/// any thread matches with it), so patterns never run cost neither time nor memory for machine
/// code; after that it never changes and is safe to share. Match data is per thread and lives in
/// ``Matcher``.
public final class Pattern: @unchecked Sendable {
    /// The pattern as the rule author wrote it (before list expansion).
    public let source: String
    /// The pattern handed to PCRE2 (after `\L{list}` expansion).
    public let expanded: String
    let code: OpaquePointer
    /// Whether JIT compilation succeeded (trying it now if no match has yet); the interpreter is used otherwise.
    public var isJIT: Bool {
        switch jitState.load(ordering: .acquiring) {
        case Self.jitReady: return true
        case Self.jitUnavailable: return false
        default: return compileJIT()
        }
    }
    private static let jitReady: UInt8 = 1
    private static let jitUnavailable: UInt8 = 2
    private let jitState = Atomic<UInt8>(0)
    private let jitLock = Mutex<Void>(())
    /// The options it was compiled with.
    public let options: UInt32

    /// Options every rule pattern is compiled with: caseless, UTF-8, Unicode properties for `\b` and `\w`.
    public static let defaultOptions: UInt32 = UInt32(PCRE2_CASELESS) | UInt32(PCRE2_UTF) | UInt32(PCRE2_UCP)

    /// A pattern that PCRE2 refused, with the byte offset in the expanded pattern where it stopped.
    public struct CompileError: Error, Sendable, Equatable {
        /// PCRE2's message.
        public let message: String
        /// The byte offset into the pattern PCRE2 handed back.
        public let offset: Int
    }

    /// Compiles `expanded` (the pattern after list expansion); `source` is kept for display.
    public init(_ expanded: String, source: String? = nil, options: UInt32 = Pattern.defaultOptions) throws(CompileError) {
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let bytes = Array(expanded.utf8)
        let compiled = bytes.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(buffer.baseAddress, buffer.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw CompileError(message: Pattern.errorMessage(errorCode), offset: errorOffset)
        }
        self.code = compiled
        self.source = source ?? expanded
        self.expanded = expanded
        self.options = options
    }

    /// JIT-compiles the code once; every caller waits until it is done.
    private func compileJIT() -> Bool {
        jitLock.withLock { _ in
            let state = jitState.load(ordering: .acquiring)
            if state != 0 { return state == Self.jitReady }
            let ready = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE)) == 0
            jitState.store(ready ? Self.jitReady : Self.jitUnavailable, ordering: .releasing)
            return ready
        }
    }

    deinit {
        pcre2_code_free_8(code)
    }

    /// PCRE2's text for an error code.
    static func errorMessage(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = buffer.withUnsafeMutableBufferPointer { pcre2_get_error_message_8(code, $0.baseAddress, $0.count) }
        guard length > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer[0..<Int(length)], as: UTF8.self)
    }
}
