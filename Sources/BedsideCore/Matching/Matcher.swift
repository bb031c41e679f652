import CPCRE2

/// The outcome of matching one pattern against one text.
public enum MatchOutcome: Sendable, Equatable {
    /// The pattern matched the UTF-8 byte range.
    case match(Range<Int>)
    /// The pattern does not match.
    case noMatch
    /// PCRE2 stopped without an answer (match limit, depth limit, JIT stack, or another error).
    /// Never read this as "no match".
    case failed(code: Int32, message: String)

    /// Whether the pattern matched.
    public var isMatch: Bool {
        if case .match = self { return true }
        return false
    }
}

/// Runs patterns under hard limits. Holds per-thread match data: one matcher per task or thread.
public final class Matcher {
    /// Limits applied to every match.
    public struct Limits: Sendable, Hashable {
        /// PCRE2's match limit (calls of its internal match function; JIT counts similarly).
        public var matchLimit: UInt32
        /// PCRE2's depth limit (backtracking depth; the interpreter only, JIT ignores it).
        public var depthLimit: UInt32

        /// Creates limits.
        public init(matchLimit: UInt32 = 100_000, depthLimit: UInt32 = 10_000) {
            self.matchLimit = matchLimit
            self.depthLimit = depthLimit
        }
    }

    private let context: OpaquePointer
    private let jitStack: OpaquePointer?
    private let matchData: OpaquePointer

    /// Creates a matcher with its own match data, match context and JIT stack.
    public init(limits: Limits = Limits()) {
        context = pcre2_match_context_create_8(nil)!
        pcre2_set_match_limit_8(context, limits.matchLimit)
        pcre2_set_depth_limit_8(context, limits.depthLimit)
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 512 * 1024, nil)
        if let jitStack {
            pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack))
        }
        matchData = pcre2_match_data_create_8(1, nil)!
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        pcre2_match_context_free_8(context)
    }

    /// Matches `pattern` against `text` (already valid UTF-8, so PCRE2's UTF check is skipped).
    public func match(_ pattern: Pattern, in text: UnsafeBufferPointer<UInt8>) -> MatchOutcome {
        let options = UInt32(PCRE2_NO_UTF_CHECK)
        // An empty buffer may have a nil base address; PCRE2 wants a valid pointer.
        let rc: Int32
        if let base = text.baseAddress {
            rc =
                pattern.isJIT
                ? pcre2_jit_match_8(pattern.code, base, text.count, 0, options, matchData, context)
                : pcre2_match_8(pattern.code, base, text.count, 0, options, matchData, context)
        } else {
            var empty: UInt8 = 0
            rc = pcre2_match_8(pattern.code, &empty, 0, 0, options, matchData, context)
        }
        if rc >= 0 {
            let ovector = pcre2_get_ovector_pointer_8(matchData)!
            return .match(Int(ovector[0])..<Int(ovector[1]))
        }
        if rc == PCRE2_ERROR_NOMATCH { return .noMatch }
        return .failed(code: rc, message: Pattern.errorMessage(rc))
    }

    /// Matches `pattern` against a Swift string.
    public func match(_ pattern: Pattern, in text: String) -> MatchOutcome {
        var text = text
        return text.withUTF8 { match(pattern, in: $0) }
    }
}
