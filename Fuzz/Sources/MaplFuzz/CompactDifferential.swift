// MAPL_FUZZ_MODE=compact: a differential check of the compact way of reading shorthand
// influence and conflict lines (LineBatch, LineColumns) against reading every line as an
// ordinary declaration (`Session.compactsDeclarations` false). For each input, with
// both settings:
//   1. `Session.check`, every diagnostic rendered;
//   2. `declarePlan` in a fresh session, then the plan exported as JSON (or its problems);
//   3. `run` in a fresh session: what it printed and how it ended (as `mapl run`);
//   4. when the input holds lines `#--`, its pieces are entered one by one into one
//      REPL-style session (redeclaration allowed, last value echoed), then the plan is
//      exported.
// An input whose first line is `#*N` stands for the text after that line repeated N times
// (up to a line `#*/`, whose rest follows once): small inputs that make large plans, to
// slide the parser's token window (chunks of 4096 tokens, dropped after 16,384).
// Any difference traps, so libFuzzer reports the input. A phase that reached the time
// budget on either side (and so was interrupted at an arbitrary point) is not compared.

import Foundation
import Mapl

/// Collects what a session prints.
final class Printed: @unchecked Sendable {
    var text = ""
}

/// The separator between REPL entries in a compact-mode input.
let replEntrySeparator = "\n#--\n"

/// Runs `body` under the interrupt budget; nil when it ran out of time (the result then
/// depends on when the watchdog fired).
func runWithinBudget(_ body: () -> String) -> String? {
    let start = DispatchTime.now().uptimeNanoseconds
    interruptDeadline.store(start + budgetNanoseconds, ordering: .relaxed)
    let result = body()
    interruptDeadline.store(0, ordering: .relaxed)
    maplInterruptRequested.store(false, ordering: .relaxed)
    let elapsed = DispatchTime.now().uptimeNanoseconds - start
    return elapsed < budgetNanoseconds * 9 / 10 ? result : nil
}

func freshSession(compact: Bool, printed: Printed) -> Session {
    let session = Session(output: { printed.text += $0 }, today: fixedToday)
    session.compactsDeclarations = compact
    return session
}

/// The plan of a session as JSON, or a note that it could not be exported.
func exportedJSON(_ session: Session) -> String {
    do {
        switch try session.export.render(.json) {
        case .text(let json): return json
        case .bytes(let bytes): return "bytes: \(bytes.count)"
        }
    } catch {
        return "export failed: \(error)"
    }
}

func describe(_ outcome: Outcome, _ renderer: DiagnosticRenderer) -> String {
    switch outcome {
    case .success(let value):
        return "success: " + (value.map { $0.repr } ?? "-")
    case .rejected(let diagnostics):
        return "rejected:\n" + diagnostics.map(renderer.render).joined()
    case .failed(let error):
        return "failed:\n" + renderer.render(error)
    }
}

/// Which phases run (MAPL_FUZZ_PHASES, e.g. `13`; default all), for triage.
let enabledPhases = Set(ProcessInfo.processInfo.environment["MAPL_FUZZ_PHASES"] ?? "1234")
/// MAPL_FUZZ_SHOW=1 prints every phase's result, for triage.
let showPhases = ProcessInfo.processInfo.environment["MAPL_FUZZ_SHOW"] == "1"

/// The phases of one input with one setting; nil entries ran out of time or are off.
func compactPhases(_ text: String, compact: Bool) -> [String?] {
    var phases: [String?] = []
    func withinBudget(_ body: () -> String) -> String? {
        let phase = Character(String(phases.count + 1))
        return enabledPhases.contains(phase) ? runWithinBudget(body) : nil
    }
    // 1. mapl check
    phases.append(withinBudget {
        let session = freshSession(compact: compact, printed: Printed())
        let source = session.addSource(name: "fuzz.mapl", text: text)
        let renderer = DiagnosticRenderer(sources: session.sources)
        return session.check(source).map(renderer.render).joined()
    })
    // 2. the plan, as `mapl export` sets it up
    phases.append(withinBudget {
        let session = freshSession(compact: compact, printed: Printed())
        let source = session.addSource(name: "fuzz.mapl", text: text)
        let problems = session.declarePlan(source)
        defer { session.machine.clear() }
        if problems.isEmpty { return exportedJSON(session) }
        let renderer = DiagnosticRenderer(sources: session.sources)
        return "no plan:\n" + problems.map(renderer.render).joined()
    })
    // 3. mapl run
    phases.append(withinBudget {
        let printed = Printed()
        let session = freshSession(compact: compact, printed: printed)
        let source = session.addSource(name: "fuzz.mapl", text: text)
        let outcome = session.run(source)
        defer { session.machine.clear() }
        return printed.text + describe(outcome, DiagnosticRenderer(sources: session.sources))
    })
    // 4. REPL entries
    let entries = text.components(separatedBy: replEntrySeparator)
    if entries.count > 1 {
        phases.append(withinBudget {
            let printed = Printed()
            let session = freshSession(compact: compact, printed: printed)
            session.allowRedeclaration = true
            defer { session.machine.clear() }
            var report = ""
            for (index, entry) in entries.enumerated() {
                let source = session.addSource(name: "<repl \(index)>", text: entry)
                let outcome = session.run(source, valueOfLastExpression: true)
                report += printed.text + describe(outcome, DiagnosticRenderer(sources: session.sources))
                printed.text = ""
            }
            return report + exportedJSON(session)
        })
    }
    return phases
}

let phaseNames = ["check diagnostics", "declared plan (JSON)", "run", "REPL entries"]

/// The text an input stands for (see `#*N` above); at most about 300 KB (80k tokens or so).
func expandRepeats(_ input: String) -> String {
    guard input.hasPrefix("#*"), let newline = input.firstIndex(of: "\n") else { return input }
    let digits = input[input.index(input.startIndex, offsetBy: 2)..<newline].prefix { $0.isNumber }
    let rest = input[input.index(after: newline)...]
    let body: Substring, tail: Substring
    if let end = rest.range(of: "\n#*/\n") {
        body = rest[..<end.lowerBound] + "\n"
        tail = rest[end.upperBound...]
    } else {
        body = rest
        tail = ""
    }
    let count = min(Int(digits.prefix(6)) ?? 1, 300_000 / max(1, body.utf8.count))
    return String(repeating: String(body), count: max(1, count)) + tail
}

func compactDifferential(_ input: String) -> Int {
    let text = expandRepeats(input)
    let compact = compactPhases(text, compact: true)
    let written = compactPhases(text, compact: false)
    var total = 0
    for (index, (a, b)) in zip(compact, written).enumerated() {
        guard let a, let b else { continue }
        if showPhases { print("=== \(phaseNames[index]) (compact)\n\(a)\n=== (written out)\n\(b)") }
        total &+= a.utf8.count
        if a != b {
            FileHandle.standardError.write(Data("""
                === compact and written-out shorthand lines differ in \(phaseNames[index]) ===
                --- compact:
                \(a)
                --- written out:
                \(b)
                ===

                """.utf8))
            fatalError("compact/written-out difference in \(phaseNames[index])")
        }
    }
    return total
}
