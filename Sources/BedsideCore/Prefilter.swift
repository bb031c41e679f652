import Foundation
import CVectorscan

/// One Vectorscan pass over a text that finds which patterns could match, so PCRE2 runs only on those.
///
/// Compiled in prefilter mode, Vectorscan may report a pattern that PCRE2 then rejects, but never
/// misses one that PCRE2 would match; every candidate is confirmed by PCRE2, so decisions are exactly
/// what PCRE2 alone gives. Patterns Vectorscan cannot take, and patterns that might backtrack into
/// the engine limit, are always candidates.
final class Prefilter: @unchecked Sendable {
    /// Every distinct pattern, indexed; rules refer to them by index.
    let patterns: [Pattern]
    /// Per rule (same order as the rulebook): the indices of its `match`, `all` and `unless` clauses.
    let ruleClauses: [(match: [Int], all: [Int], unless: [Int])]
    /// Bits always set: patterns PCRE2 must always try.
    let alwaysCandidates: [UInt64]
    private let database: OpaquePointer?
    private let prototypeScratch: OpaquePointer?

    init?(rules: [Rule]) {
        var indexOf: [ObjectIdentifier: Int] = [:]
        var patterns: [Pattern] = []
        func index(_ clause: Rule.Clause) -> Int {
            let key = ObjectIdentifier(clause.pattern)
            if let i = indexOf[key] { return i }
            patterns.append(clause.pattern)
            indexOf[key] = patterns.count - 1
            return patterns.count - 1
        }
        ruleClauses = rules.map { rule in
            (rule.match.map(index), rule.all.map(index), rule.unless.map(index))
        }
        self.patterns = patterns
        let flags = UInt32(HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_PREFILTER | HS_FLAG_SINGLEMATCH)
        var always = [UInt64](repeating: 0, count: (patterns.count + 63) / 64)
        var accepted: [Int] = []
        for (i, pattern) in patterns.enumerated() {
            if !Self.mayBacktrack(pattern.source), Self.compiles(pattern.expanded, flags: flags) {
                accepted.append(i)
            } else {
                always[i / 64] |= 1 << UInt64(i % 64)
            }
        }
        alwaysCandidates = always
        guard !accepted.isEmpty else {
            database = nil
            prototypeScratch = nil
            return
        }
        var db: OpaquePointer?
        var error: UnsafeMutablePointer<hs_compile_error_t>?
        let cStrings = accepted.map { strdup(patterns[$0].expanded)! }
        defer { cStrings.forEach { free($0) } }
        let expressions: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
        let flagList = [UInt32](repeating: flags, count: accepted.count)
        let ids = accepted.map { UInt32($0) }
        let rc = hs_compile_multi(expressions, flagList, ids, UInt32(accepted.count), UInt32(HS_MODE_BLOCK), nil, &db, &error)
        if rc != HS_SUCCESS {
            if let error { hs_free_compile_error(error) }
            return nil
        }
        var scratch: OpaquePointer?
        guard hs_alloc_scratch(db, &scratch) == HS_SUCCESS else {
            hs_free_database(db)
            return nil
        }
        database = db
        prototypeScratch = scratch
    }

    deinit {
        if let prototypeScratch { hs_free_scratch(prototypeScratch) }
        if let database { hs_free_database(database) }
    }

    static func compiles(_ expression: String, flags: UInt32) -> Bool {
        var db: OpaquePointer?
        var error: UnsafeMutablePointer<hs_compile_error_t>?
        let rc = hs_compile(expression, flags, UInt32(HS_MODE_BLOCK), nil, &db, &error)
        if let error { hs_free_compile_error(error) }
        if let db { hs_free_database(db) }
        return rc == HS_SUCCESS
    }

    /// A heuristic for catastrophic backtracking: a repeated group that itself contains an
    /// unbounded repeat, as in `(a+)+` or `(\w*\s)*`.
    static func mayBacktrack(_ pattern: String) -> Bool {
        let chars = Array(pattern)
        var stack: [Bool] = []  // per open group: does it contain an unbounded repeat?
        var i = 0
        var inClass = false
        while i < chars.count {
            let c = chars[i]
            if c == "\\" { i += 2; continue }
            if inClass { if c == "]" { inClass = false }; i += 1; continue }
            switch c {
            case "[": inClass = true
            case "(": stack.append(false)
            case "+", "*":
                if !stack.isEmpty { stack[stack.count - 1] = true }
            case "{":
                if let close = chars[i...].firstIndex(of: "}"), String(chars[i...close]).range(of: #"^\{\d*,\}$"#, options: .regularExpression) != nil,
                    !stack.isEmpty
                {
                    stack[stack.count - 1] = true
                }
            case ")":
                let inner = stack.popLast() ?? false
                let next = i + 1 < chars.count ? chars[i + 1] : " "
                let possessive = i + 2 < chars.count && chars[i + 2] == "+"
                let repeated = !possessive && (next == "+" || next == "*" || (next == "{" && String(chars[(i + 1)...]).range(of: #"^\{\d*,\}"#, options: .regularExpression) != nil))
                if inner && repeated { return true }
                if inner, !stack.isEmpty { stack[stack.count - 1] = true }
            default: break
            }
            i += 1
        }
        return false
    }

    /// Per-thread scanning state.
    final class Scratch {
        let raw: OpaquePointer?
        var bits: [UInt64]

        init(_ prefilter: Prefilter) {
            var clone: OpaquePointer?
            if let prototype = prefilter.prototypeScratch { hs_clone_scratch(prototype, &clone) }
            raw = clone
            bits = prefilter.alwaysCandidates
        }

        deinit {
            if let raw { hs_free_scratch(raw) }
        }

        @inline(__always) func isCandidate(_ index: Int) -> Bool {
            bits[index >> 6] & (1 << UInt64(index & 63)) != 0
        }
    }

    /// Scans `text`, leaving the candidate set in `scratch.bits`.
    func scan(_ text: UnsafeBufferPointer<UInt8>, into scratch: Scratch) -> Bool {
        for i in scratch.bits.indices { scratch.bits[i] = alwaysCandidates[i] }
        guard let database, let raw = scratch.raw else {
            for i in scratch.bits.indices { scratch.bits[i] = ~0 }
            return false
        }
        let rc = scratch.bits.withUnsafeMutableBufferPointer { bits -> hs_error_t in
            withUnsafeMutablePointer(to: &bits) { pointer in
                hs_scan(database, text.baseAddress ?? UnsafePointer(bitPattern: 1), UInt32(text.count), 0, raw, { id, _, _, _, context in
                    let bits = context!.assumingMemoryBound(to: UnsafeMutableBufferPointer<UInt64>.self).pointee
                    bits[Int(id) >> 6] |= 1 << UInt64(id & 63)
                    return 0
                }, pointer)
            }
        }
        if rc != HS_SUCCESS {
            // Fail open to PCRE2: every pattern becomes a candidate, so nothing is missed.
            for i in scratch.bits.indices { scratch.bits[i] = ~0 }
            return false
        }
        return true
    }
}
