import Synchronization

/// A pattern compiled the first time it is needed, then shared by every thread.
///
/// The prefilter splits rule patterns into many alternatives, most of which a given stream never
/// reaches; compiling (and JIT-compiling) them on first use keeps start-up and memory to what the
/// stream needs.
final class LazyPattern: Sendable {
    /// The pattern text handed to PCRE2.
    let text: String
    private let options: UInt32
    private let compiled: Mutex<Result<Pattern, Pattern.CompileError>?>

    /// A pattern to compile on first use.
    init(_ text: String, options: UInt32) {
        self.text = text
        self.options = options
        compiled = Mutex(nil)
    }

    /// A pattern already compiled.
    init(_ pattern: Pattern) {
        text = pattern.expanded
        options = pattern.options
        compiled = Mutex(.success(pattern))
    }

    /// The compiled pattern, compiling it now if no thread has yet.
    var pattern: Result<Pattern, Pattern.CompileError> {
        compiled.withLock { state in
            if let state { return state }
            let result: Result<Pattern, Pattern.CompileError>
            do throws(Pattern.CompileError) {
                result = .success(try Pattern(text, options: options))
            } catch {
                result = .failure(error)
            }
            state = result
            return result
        }
    }
}
