import ArgumentParser
import BedsideCore
import Foundation

extension Bedside {
    /// Measures throughput and peak memory; each measurement runs in its own child process.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure classifier and `run` throughput and peak memory on a labelled corpus.",
            discussion: """
                Cycles the corpus's texts to --messages messages and measures, each in a fresh process on \
                one thread and timed in CPU seconds (user + system, so a busy machine does not skew them): \
                the classifier (Vectorscan literal prefilter + PCRE2 JIT), the same without the prefilter, \
                'bedside run --no-store' end to end, and the same rules matched rule by rule with \
                NSRegularExpression and Swift Regex (on --slow-messages). Build with -c release first:
                  swift build -c release
                  .build/release/bedside bench corpus/dev.jsonl
                """
        )

        @OptionGroup var rulebook: RulebookOptions

        @Argument(help: ArgumentHelp("JSON Lines with a \"text\" field (e.g. corpus/dev.jsonl).", valueName: "corpus"))
        var corpus: String

        @Option(help: "Messages for the fast measurements.") var messages = 1_000_000
        @Option(help: "Messages for PCRE2 without the prefilter.") var baselineMessages = 100_000
        @Option(help: "Messages for NSRegularExpression and Swift Regex.") var slowMessages = 2_000

        func validate() throws {
            for (flag, value) in [("--messages", messages), ("--baseline-messages", baselineMessages), ("--slow-messages", slowMessages)]
            where value < 1 {
                throw ValidationError("\(flag) must be 1 or more, not \(value)")
            }
        }
        @Option(help: .hidden) var measure: String?
        @Flag(help: "List the patterns that cost most time instead (after the prefilter).") var profile = false

        func run() throws {
            let texts = try BenchCorpus.texts(corpus)
            if profile {
                let result = Classifier(rulebook: try rulebook.load()).profile(texts)
                let total = result.entries.reduce(0) { $0 + $1.seconds }
                print(
                    "\(result.texts) texts, \(String(format: "%.1f", total / Double(result.texts) * 1e6)) µs of PCRE2 a text; costliest patterns:"
                )
                for entry in result.entries.prefix(15) {
                    let share = String(format: "%5.1f%%", entry.seconds / total * 100)
                    print(
                        "  \(share)  runs on \(entry.runs * 100 / max(1, result.texts))% of texts  \(entry.rule): \(entry.pattern.prefix(90))"
                    )
                }
                return
            }
            if let measure {
                let loaded = try rulebook.load(usePrefilter: measure != "pcre2")
                let count = measure.hasSuffix("regex") ? slowMessages : measure == "pcre2" ? baselineMessages : messages
                let result = try BenchMeasure.run(measure, rulebook: loaded, texts: texts, count: count)
                print(result)
                return
            }
            var rows: [(String, Double, Int, Int)] = []
            for kind in ["classifier", "pcre2", "nsregex", "swiftregex"] {
                let (output, peak) = try child(["--measure", kind])
                let parts = output.split(separator: " ")
                guard parts.count == 2, let rate = Double(parts[0]), let n = Int(parts[1]) else {
                    throw ValidationError("measurement \(kind) failed: \(output)")
                }
                rows.append((kind, rate, n, peak))
                StandardError.print("bench: \(kind): \(Int(rate)) messages/s over \(n), peak \(peak / 1024) MiB")
            }
            let (rate, n, peak, python) = try runEndToEnd(texts)
            rows.insert(("run", rate, n, peak), at: 1)
            StandardError.print("bench: run: \(Int(rate)) lines/s over \(n), peak \(peak / 1024) MiB")
            if let python {
                rows.insert(("python", python.rate, n, python.peak), at: 2)
                StandardError.print("bench: python keyword script: \(Int(python.rate)) lines/s over \(n), peak \(python.peak / 1024) MiB")
            }
            print(BenchReport(rows: rows).markdown)
        }

        /// Runs this executable with `arguments` added; returns its output and peak RSS (KiB).
        func child(_ extra: [String]) throws -> (String, Int) {
            var arguments =
                [
                    "bench", corpus, "--messages", String(messages), "--baseline-messages", String(baselineMessages), "--slow-messages",
                    String(slowMessages),
                ] + extra
            if let config = rulebook.config { arguments += ["--config", config] }
            let (output, peak, _) = try BenchProcess.run(arguments)
            return (output, peak)
        }

        /// `bedside run --no-store` on the cycled corpus, and on the same file the Python keyword
        /// script (`scripts/bench-keywords.py`, when it and `python3` are found).
        func runEndToEnd(_ texts: [String]) throws -> (Double, Int, Int, (rate: Double, peak: Int)?) {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-bench-\(getpid()).jsonl")
            defer { try? FileManager.default.removeItem(at: file) }
            FileManager.default.createFile(atPath: file.path, contents: nil)
            let handle = try FileHandle(forWritingTo: file)
            var chunk = Data()
            for i in 0..<messages {
                var line: [UInt8] = []
                Decision.appendJSONString("b\(i)", text: texts[i % texts.count], to: &line)
                chunk.append(contentsOf: line)
                chunk.append(0x0A)
                if chunk.count > 1 << 20 { handle.write(chunk); chunk.removeAll(keepingCapacity: true) }
            }
            handle.write(chunk)
            try handle.close()
            var arguments = ["run", "--no-store"]
            if let config = rulebook.config { arguments += ["--config", config] }
            let (_, peak, seconds) = try BenchProcess.run(arguments, stdinPath: file.path, discardOutput: true)
            var python: (Double, Int)?
            let script = "scripts/bench-keywords.py"
            if FileManager.default.fileExists(atPath: script), FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") {
                let (_, pythonPeak, pythonSeconds) = try BenchProcess.run(
                    [script], executable: "/usr/bin/python3", stdinPath: file.path, discardOutput: true)
                python = (Double(messages) / pythonSeconds, pythonPeak)
            }
            return (Double(messages) / seconds, messages, peak, python)
        }
    }
}

/// The texts a benchmark cycles through.
enum BenchCorpus {
    static func texts(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
        let texts = data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            ((try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any])?["text"] as? String
        }
        guard !texts.isEmpty else { throw ValidationError("\(path) has no lines with \"text\"") }
        return texts
    }
}

extension Decision {
    /// `{"id":…,"text":…}` for benchmark input.
    static func appendJSONString(_ id: String, text: String, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":"#.utf8)
        appendString(id, to: &out)
        out.append(contentsOf: #","text":"#.utf8)
        appendString(text, to: &out)
        out.append(UInt8(ascii: "}"))
    }
}
