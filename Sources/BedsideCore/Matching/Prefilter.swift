import CVectorscan
import Foundation

/// One Vectorscan pass over a text that finds which patterns could match, so PCRE2 runs only on those.
///
/// Each pattern is first split into the alternatives a match must come from (``Alternatives``):
/// `\F{stroke-sign}|\F{allergy-sign}` becomes the branches of both fragments. For each branch,
/// ``RequiredLiterals`` proves the literal sets it needs, one literal from each
/// (`\bchest\b.{0,60}\bpain\b` needs "chest" and "pain"); Vectorscan's literal matcher finds all
/// of them in one pass. A branch missing any of its literals cannot match and is skipped; every
/// other branch is confirmed by PCRE2, and a pattern matches when one of its branches does, so
/// decisions are exactly what PCRE2 alone gives. Branches without a provable literal are always
/// tried; a pattern that might backtrack into the engine limit is kept whole and always tried, so
/// it still fails closed where PCRE2 alone would.
///
/// (Vectorscan's regex prefilter mode was tried first: compiling this rulebook's caseless,
/// Unicode patterns took over 30 seconds, too slow to start a filter. Literals compile in
/// milliseconds.)
final class Prefilter: @unchecked Sendable {
    /// Every distinct pattern, indexed; rules refer to them by index.
    let patterns: [Pattern]
    /// Per rule (same order as the rulebook): the indices of its `match`, `all` and `unless` clauses.
    let ruleClauses: [(match: [Int], all: [Int], unless: [Int])]

    /// A piece PCRE2 runs: one alternative of a pattern (or the pattern whole), and the
    /// requirements that must all be met in a text before it is worth running. An alternative is
    /// compiled the first time a text needs it, so pieces no text reaches cost no time or memory.
    struct Unit {
        let piece: LazyPattern
        let needs: [Int32]
    }
    /// Per pattern, the requirements the whole pattern proves: checked before any of its units.
    let patternNeeds: [[Int32]]
    /// Every unit; those of pattern `i` are `units[patternUnits[i]]`.
    let units: [Unit]
    /// Per pattern, the range of its units.
    let patternUnits: [Range<Int>]
    /// How many requirements there are (bits in a scratch).
    let requirementCount: Int
    /// For each literal id, the requirements it meets.
    let literalRequirements: [[Int32]]
    /// For each literal id: its length in bytes and which of its ends must sit at a word boundary.
    let literalEdges: [LiteralEdges]

    /// Where a literal must stand: `\b` before and/or after it, checked on its ASCII edges.
    struct LiteralEdges {
        var length: Int32
        var start: Bool
        var end: Bool
    }
    /// How many patterns the literal scan can rule out (every unit of them needs a literal).
    let filteredCount: Int
    private let database: OpaquePointer?
    private let prototypeScratch: OpaquePointer?

    init(rules: [Rule]) {
        // rules that share a pattern (a fragment alone, say) share its index, so it runs once a text
        var indexOf: [String: Int] = [:]
        var patterns: [Pattern] = []
        func index(_ clause: Rule.Clause) -> Int {
            let key = "\(clause.pattern.options) \(clause.pattern.expanded)"
            if let i = indexOf[key] { return i }
            patterns.append(clause.pattern)
            indexOf[key] = patterns.count - 1
            return patterns.count - 1
        }
        ruleClauses = rules.map { rule in
            (rule.match.map(index), rule.all.map(index), rule.unless.map(index))
        }
        self.patterns = patterns
        struct Key: Hashable { let text: String; let start: Bool; let end: Bool }
        var literalIDs: [Key: Int] = [:]
        var literalRequirements: [[Int32]] = []
        var literalEdges: [LiteralEdges] = []
        var requirementIDs: [[Int]: Int32] = [:]
        func requirementID(_ requirement: RequiredLiterals.Requirement) -> Int32 {
            var ids: [Int] = []
            for literal in requirement.literals {
                let bytes = Array(literal.utf8)
                // a boundary is checked only where the literal's own edge is an ASCII word character
                let key = Key(
                    text: literal, start: requirement.wordStart && Self.isASCIIWord(bytes.first!),
                    end: requirement.wordEnd && Self.isASCIIWord(bytes.last!))
                let id =
                    literalIDs[key]
                    ?? {
                        literalIDs[key] = literalRequirements.count
                        literalRequirements.append([])
                        literalEdges.append(LiteralEdges(length: Int32(bytes.count), start: key.start, end: key.end))
                        return literalRequirements.count - 1
                    }()
                ids.append(id)
            }
            ids.sort()
            if let known = requirementIDs[ids] { return known }
            let new = Int32(requirementIDs.count)
            requirementIDs[ids] = new
            for id in ids { literalRequirements[id].append(new) }
            return new
        }
        var units: [Unit] = []
        var patternUnits: [Range<Int>] = []
        var patternNeeds: [[Int32]] = []
        var filtered = 0
        // fragments recur across rules: a piece met before is analysed and compiled once
        var known: [String: Unit] = [:]
        let memo = RequiredLiterals.Memo()
        for pattern in patterns {
            let first = units.count
            if Self.mayBacktrack(pattern.source) {
                units.append(Unit(piece: LazyPattern(pattern), needs: []))
                patternNeeds.append([])
            } else {
                patternNeeds.append(Set(RequiredLiterals.conjunction(pattern.expanded, memo: memo).map(requirementID)).sorted())
                let split = Alternatives.split(pattern.expanded)
                for text in split {
                    let key = "\(pattern.options) \(text)"
                    if let unit = known[key] {
                        units.append(unit)
                        continue
                    }
                    let needs = Set(RequiredLiterals.conjunction(text, memo: memo).map(requirementID))
                    let piece = split.count == 1 ? LazyPattern(pattern) : LazyPattern(text, options: pattern.options)
                    let unit = Unit(piece: piece, needs: needs.sorted())
                    known[key] = unit
                    units.append(unit)
                }
            }
            patternUnits.append(first..<units.count)
            if units[first...].allSatisfy({ !$0.needs.isEmpty }) { filtered += 1 }
        }
        self.patternNeeds = patternNeeds
        self.units = units
        self.patternUnits = patternUnits
        requirementCount = requirementIDs.count
        self.literalEdges = literalEdges
        self.literalRequirements = literalRequirements
        filteredCount = filtered
        var db: OpaquePointer?
        var scratch: OpaquePointer?
        if !literalIDs.isEmpty {
            let ordered = literalIDs.sorted { $0.value < $1.value }
            let bytes = ordered.map { Array($0.key.text.utf8) }
            let pointers = bytes.map { b -> UnsafeMutablePointer<CChar> in
                let p = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, b.count))
                b.withUnsafeBufferPointer { src in src.withMemoryRebound(to: CChar.self) { p.update(from: $0.baseAddress!, count: b.count) }
                }
                return p
            }
            defer { pointers.forEach { $0.deallocate() } }
            let expressions: [UnsafePointer<CChar>?] = pointers.map { UnsafePointer($0) }
            // a literal with a boundary to check must report every occurrence, not just the first
            let flags = ordered.map {
                $0.key.start || $0.key.end ? UInt32(HS_FLAG_CASELESS) : UInt32(HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH)
            }
            let ids = ordered.map { UInt32($0.value) }
            let lengths = bytes.map(\.count)
            var error: UnsafeMutablePointer<hs_compile_error_t>?
            if hs_compile_lit_multi(expressions, flags, ids, lengths, UInt32(ordered.count), UInt32(HS_MODE_BLOCK), nil, &db, &error)
                != HS_SUCCESS
            {
                if let error { hs_free_compile_error(error) }
                db = nil
            } else if hs_alloc_scratch(db, &scratch) != HS_SUCCESS {
                hs_free_database(db)
                db = nil
            }
        }
        database = db
        prototypeScratch = scratch
    }

    deinit {
        if let prototypeScratch { hs_free_scratch(prototypeScratch) }
        if let database { hs_free_database(database) }
    }

    /// Whether pattern `index` may match: the scan found everything the pattern needs, and
    /// everything one of its units needs.
    @inline(__always)
    func mayMatch(_ index: Int, scratch: Scratch) -> Bool {
        scratch.has(patternNeeds[index]) && patternUnits[index].contains { scratch.has(units[$0].needs) }
    }

    /// Runs pattern `index` on `text`: each of its units the scan left as a candidate, until one
    /// matches. A unit that fails (or, which should not happen, does not compile alone) makes the
    /// pattern fail unless another matches: never a silent "no match".
    @inline(__always)
    func match(_ index: Int, in text: UnsafeBufferPointer<UInt8>, scratch: Scratch, matcher: Matcher) -> MatchOutcome {
        guard scratch.has(patternNeeds[index]) else { return .noMatch }
        if scratch.decidedIn[index] == scratch.epoch { return scratch.matched[index] ? .match(0..<0) : .noMatch }
        var failure: MatchOutcome?
        for u in patternUnits[index] where scratch.has(units[u].needs) {
            let outcome: MatchOutcome
            switch units[u].piece.pattern {
            case .success(let pattern): outcome = matcher.match(pattern, in: text)
            case .failure(let error): outcome = .failed(code: 0, message: "an alternative would not compile alone: \(error.message)")
            }
            switch outcome {
            case .match:
                scratch.remember(index, matched: true)
                return outcome
            case .noMatch: continue
            case .failed: failure = outcome
            }
        }
        if let failure { return failure }
        scratch.remember(index, matched: false)
        return .noMatch
    }

    /// Per-thread scanning state.
    final class Scratch {
        let raw: OpaquePointer?
        var bits: [UInt64]

        init(_ prefilter: Prefilter) {
            var clone: OpaquePointer?
            if let prototype = prefilter.prototypeScratch { hs_clone_scratch(prototype, &clone) }
            raw = clone
            bits = [UInt64](repeating: ~0, count: max(1, (prefilter.requirementCount + 63) / 64))
            decidedIn = [UInt32](repeating: 0, count: prefilter.patterns.count)
            matched = [Bool](repeating: false, count: prefilter.patterns.count)
        }

        /// The scan the outcomes below belong to; each scan starts a new one.
        var epoch: UInt32 = 1
        /// Per pattern: the scan in which its outcome was decided, and whether it matched
        /// (failures are not remembered: they are tried again).
        var decidedIn: [UInt32]
        var matched: [Bool]

        @inline(__always) func remember(_ index: Int, matched outcome: Bool) {
            decidedIn[index] = epoch
            matched[index] = outcome
        }

        deinit {
            if let raw { hs_free_scratch(raw) }
        }

        /// Whether the scan found every requirement in `needs`.
        @inline(__always) func has(_ needs: [Int32]) -> Bool {
            for need in needs where bits[Int(need) >> 6] & (1 << UInt64(need & 63)) == 0 { return false }
            return true
        }

        func markAll() {
            for i in bits.indices { bits[i] = ~0 }
        }
    }

    /// What the scan callback reads and writes.
    private struct ScanContext {
        let bits: UnsafeMutablePointer<UInt64>
        let literalRequirements: UnsafePointer<[Int32]>
        let edges: UnsafePointer<LiteralEdges>
        let text: UnsafePointer<UInt8>?
        let count: Int
    }

    @inline(__always) static func isASCIIWord(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
    }

    /// Scans `text`, leaving the candidate set in `scratch.bits`.
    func scan(_ text: UnsafeBufferPointer<UInt8>, into scratch: Scratch) {
        scratch.epoch &+= 1
        if scratch.epoch == 0 {
            // after 2^32 scans, forget every outcome rather than mistake an old one for new
            for i in scratch.decidedIn.indices { scratch.decidedIn[i] = 0 }
            scratch.epoch = 1
        }
        guard let database, let raw = scratch.raw, !Self.hasSpecialCaseFolds(text) else {
            scratch.markAll()
            return
        }
        for i in scratch.bits.indices { scratch.bits[i] = 0 }
        let rc = scratch.bits.withUnsafeMutableBufferPointer { bits in
            literalRequirements.withUnsafeBufferPointer { table in
                literalEdges.withUnsafeBufferPointer { edges in
                    var context = ScanContext(
                        bits: bits.baseAddress!, literalRequirements: table.baseAddress!, edges: edges.baseAddress!,
                        text: text.baseAddress, count: text.count)
                    return withUnsafeMutablePointer(to: &context) { pointer in
                        hs_scan(
                            database, text.baseAddress ?? UnsafePointer(bitPattern: 1), UInt32(text.count), 0, raw,
                            { id, _, to, _, context in
                                let context = context!.assumingMemoryBound(to: ScanContext.self).pointee
                                let edge = context.edges[Int(id)]
                                if edge.start || edge.end, let text = context.text {
                                    // PCRE2's \b (Unicode) cannot hold next to an ASCII word character on
                                    // both sides; a non-ASCII neighbour may be either, so it passes.
                                    let end = Int(to)
                                    let start = end - Int(edge.length)
                                    if edge.start, start > 0, Prefilter.isASCIIWord(text[start - 1]) { return 0 }
                                    if edge.end, end < context.count, Prefilter.isASCIIWord(text[end]) { return 0 }
                                }
                                for requirement in context.literalRequirements[Int(id)] {
                                    context.bits[Int(requirement) >> 6] |= 1 << UInt64(requirement & 63)
                                }
                                return 0
                            }, pointer)
                    }
                }
            }
        }
        // Fail open to PCRE2: on any scan error every pattern is tried, so nothing is missed.
        if rc != HS_SUCCESS { scratch.markAll() }
    }

    /// The Kelvin sign (U+212A) and long s (U+017F) match `k` and `s` under PCRE2's Unicode
    /// caselessness, which an ASCII literal scan would miss: such texts skip the prefilter.
    static func hasSpecialCaseFolds(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count >= 2 else { return false }
        for i in 0..<(text.count - 1) {
            let b = text[i]
            if b == 0xC5, text[i + 1] == 0xBF { return true }
            if b == 0xE2, i + 2 < text.count, text[i + 1] == 0x84, text[i + 2] == 0xAA { return true }
        }
        return false
    }
}
