import BedsideCore
import Foundation

/// One measurement, run inside a child process so its peak memory is its own.
enum BenchMeasure {
    /// Returns "MESSAGES_PER_SECOND COUNT".
    static func run(_ kind: String, rulebook: Rulebook, texts: [String], count: Int) throws -> String {
        var start = BenchClock.cpuSeconds()
        switch kind {
        case "classifier", "pcre2":
            let classifier = Classifier(rulebook: rulebook)
            var sink = 0
            // patterns compile on first use: one untimed pass over the distinct texts, so this is the
            // steady state (the end-to-end `run` figure includes that first use)
            for text in texts { sink &+= classifier.decide(Message(id: "warm", text: text)).matched.count }
            start = BenchClock.cpuSeconds()
            for i in 0..<count {
                let decision = classifier.decide(Message(id: "b\(i)", text: texts[i % texts.count]))
                sink &+= decision.matched.count
            }
            if sink == -1 { print("") }
        case "nsregex":
            let rules = rulebook.rules.map { rule in
                (rule.match + rule.all + rule.unless).map {
                    try? NSRegularExpression(pattern: $0.pattern.expanded, options: [.caseInsensitive])
                }
            }
            start = BenchClock.cpuSeconds()
            var sink = 0
            for i in 0..<count {
                let text = texts[i % texts.count]
                let range = NSRange(text.startIndex..., in: text)
                for (rule, compiled) in zip(rulebook.rules, rules) {
                    func hit(_ k: Int) -> Bool { compiled[k]?.firstMatch(in: text, range: range) != nil }
                    let m = rule.match.count, a = rule.all.count
                    guard (0..<m).contains(where: hit) else { continue }
                    guard (m..<(m + a)).allSatisfy(hit) else { continue }
                    if !(m + a..<compiled.count).contains(where: hit) { sink += 1 }
                }
            }
            if sink == -1 { print("") }
        case "swiftregex":
            let rules = rulebook.rules.map { rule in
                (rule.match + rule.all + rule.unless).map { try? Regex($0.pattern.expanded).ignoresCase() }
            }
            start = BenchClock.cpuSeconds()
            var sink = 0
            for i in 0..<count {
                let text = texts[i % texts.count]
                for (rule, compiled) in zip(rulebook.rules, rules) {
                    func hit(_ k: Int) -> Bool { (compiled[k].flatMap { try? $0.firstMatch(in: text) }) != nil }
                    let m = rule.match.count, a = rule.all.count
                    guard (0..<m).contains(where: hit) else { continue }
                    guard (m..<(m + a)).allSatisfy(hit) else { continue }
                    if !(m + a..<compiled.count).contains(where: hit) { sink += 1 }
                }
            }
            if sink == -1 { print("") }
        default:
            throw BenchError(message: "unknown measurement \(kind)")
        }
        let seconds = BenchClock.cpuSeconds() - start
        return "\(Double(count) / seconds) \(count)"
    }

    struct BenchError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

/// Runs a child `bedside` and reports its output and peak resident memory (from `wait4`).
enum BenchProcess {
    /// Output, peak resident memory (KiB) and CPU seconds (user + system) of the child.
    static func run(_ arguments: [String], executable: String? = nil, stdinPath: String? = nil, discardOutput: Bool = false) throws -> (
        String, Int, Double
    ) {
        let executable = executable ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("bedside-bench-out-\(getpid())").path
        defer { unlink(outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdinPath { posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0) }
        posix_spawn_file_actions_addopen(&actions, 1, discardOutput ? "/dev/null" : outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard rc == 0 else { throw BenchMeasure.BenchError(message: "cannot start \(executable): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        guard status == 0 else { throw BenchMeasure.BenchError(message: "\(arguments.first ?? executable) exited with status \(status)") }
        let output = discardOutput ? "" : ((try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "")
        let cpu = BenchClock.seconds(usage.ru_utime) + BenchClock.seconds(usage.ru_stime)
        return (output.trimmingCharacters(in: .whitespacesAndNewlines), Int(usage.ru_maxrss), cpu)
    }
}

/// The benchmark's results as a Markdown table.
struct BenchReport {
    let rows: [(String, Double, Int, Int)]

    var markdown: String {
        let names = [
            "classifier": "classifier (literal prefilter by alternative + PCRE2 JIT)",
            "run": "`bedside run --no-store`, end to end",
            "pcre2": "classifier, PCRE2 JIT alone (no prefilter)",
            "nsregex": "rule by rule, NSRegularExpression",
            "swiftregex": "rule by rule, Swift `Regex`",
            "python": "Python: JSON-decode each line, 50 keywords with `in` (`scripts/bench-keywords.py`)",
        ]
        let base = rows.first { $0.0 == "classifier" }?.1 ?? 1
        var lines = ["| measurement | messages | per second | vs classifier | peak memory |", "| --- | ---: | ---: | ---: | ---: |"]
        for (kind, rate, count, peak) in rows {
            let ratio = kind == "classifier" ? "1×" : String(format: "1/%.0f", base / rate)
            lines.append(
                "| \(names[kind] ?? kind) | \(count) | \(Int(rate.rounded())) | \(kind == "run" || kind == "python" ? "—" : ratio) | \(peak / 1024) MiB |"
            )
        }
        if let run = rows.first(where: { $0.0 == "run" })?.1, let python = rows.first(where: { $0.0 == "python" })?.1 {
            lines.append("")
            lines.append(
                "`bedside run --no-store` is \(String(format: "%.1f", run / python))× the Python keyword script on the same input.")
        }
        return lines.joined(separator: "\n")
    }
}

/// CPU time, so figures hold for one core even on a busy machine.
enum BenchClock {
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }
}
