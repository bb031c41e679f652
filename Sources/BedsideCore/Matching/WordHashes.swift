/// Words as the reply guard sees them, and fast hashes of runs of words for the copy check.
///
/// A word is a run of letters, digits, combining marks and apostrophes, lowercased. The same
/// tokenizer serves the exact check and the hashed one, so the hashed check never misses a copy
/// the exact one would find (a hash collision only sends a reply to a person).
enum WordHashes {
    @inline(__always) static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x27
        }
        let p = s.properties
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return p.isAlphabetic || p.numericType != nil
        }
    }

    /// The words of `text`, lowercased.
    static func words(_ text: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if isWordScalar(s) {
                if s.isASCII {
                    current.append(s.value >= 0x41 && s.value <= 0x5A ? Unicode.Scalar(s.value + 32)! : s)
                } else {
                    current.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
                }
            } else if !current.isEmpty {
                result.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { result.append(String(current)) }
        return result
    }

    /// One 64-bit hash per word of `text` (FNV-1a over the lowercased scalars), without building strings.
    static func hashes(_ text: String) -> [UInt64] {
        var result: [UInt64] = []
        forEachHash(text) {
            result.append($0)
            return true
        }
        return result
    }

    /// Whether any word of `text` hashes to one of `wanted`, stopping at the first; nothing is allocated.
    static func containsWord(_ text: String, hashedIn wanted: Set<UInt64>) -> Bool {
        var found = false
        forEachHash(text) {
            found = wanted.contains($0)
            return !found
        }
        return found
    }

    /// Calls `body` with each word's hash in order until it returns `false`.
    @inline(__always) static func forEachHash(_ text: String, _ body: (UInt64) -> Bool) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var inWord = false
        @inline(__always) func mix(_ v: UInt32) {
            h = (h ^ UInt64(v)) &* 0x100_0000_01b3
        }
        for s in text.unicodeScalars {
            if isWordScalar(s) {
                inWord = true
                if s.isASCII {
                    mix(s.value >= 0x41 && s.value <= 0x5A ? s.value + 32 : s.value)
                } else {
                    for l in s.properties.lowercaseMapping.unicodeScalars { mix(l.value) }
                }
            } else if inWord {
                guard body(h) else { return }
                h = 0xcbf2_9ce4_8422_2325
                inWord = false
            }
        }
        if inWord { _ = body(h) }
    }

    /// The hash of `n` consecutive word hashes starting at `i`.
    @inline(__always) static func gram(_ words: [UInt64], _ i: Int, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9e37_79b9_7f4a_7c15
        for k in i..<(i + n) { h = (h ^ words[k]) &* 0xff51_afd7_ed55_8ccd &+ 0x2545_f491_4f6c_dd1d }
        return h
    }
}
