// libFuzzer entry point for mapl. The input bytes are a source text; the mode comes from
// MAPL_FUZZ_MODE:
//   check  lex + parse + resolve (what `mapl check` does) and render every diagnostic
//   run    the above, then the whole pipeline: compile and run the program, render the
//          outcome (diagnostics or runtime error with its trace) and the final value
// A watchdog thread sets `maplInterruptRequested` once a run passes its time budget
// (MAPL_FUZZ_BUDGET_MS, default 200), so `while true {}` is stopped like Ctrl-C would.
// Any trap, stack overflow or a run that ignores the interrupt (libFuzzer -timeout) is
// a finding: the project rule is that no input may crash the tool.

import Foundation
import Mapl
import Synchronization

enum FuzzMode: Sendable {
    case check, run
}

let fuzzMode: FuzzMode = {
    switch ProcessInfo.processInfo.environment["MAPL_FUZZ_MODE"] ?? "run" {
    case "check": return .check
    default: return .run
    }
}()

let budgetNanoseconds: UInt64 = {
    let ms = UInt64(ProcessInfo.processInfo.environment["MAPL_FUZZ_BUDGET_MS"] ?? "") ?? 200
    return ms * 1_000_000
}()

/// Monotonic time after which the running program should be interrupted; 0: none.
let interruptDeadline = Atomic<UInt64>(0)

/// Starts the watchdog once; evaluated lazily on the first input.
let watchdogStarted: Bool = {
    let thread = Thread {
        while true {
            usleep(10_000)
            let deadline = interruptDeadline.load(ordering: .relaxed)
            if deadline != 0, DispatchTime.now().uptimeNanoseconds >= deadline {
                // The interpreter consumes the flag with exchange(false); keep setting it
                // until the run is over, in case a poll raced with a reset.
                maplInterruptRequested.store(true, ordering: .relaxed)
            }
        }
    }
    thread.stackSize = 1 << 20
    thread.start()
    return true
}()

/// A fixed "today" so that a crash reproduces on any day.
let fixedToday = Day(year: 2026, month: 11, day: 22)!

/// Touches every part of a value's text forms (print, interpolation, the REPL echo).
func exercise(_ value: Value) -> Int {
    value.display.utf8.count &+ value.repr.utf8.count &+ value.typeName.utf8.count
}

func checkOnly(_ text: String) -> Int {
    let session = Session(output: { _ in }, today: fixedToday)
    let source = session.addSource(name: "fuzz.mapl", text: text)
    let diagnostics = session.check(source)
    let renderer = DiagnosticRenderer(sources: session.sources)
    let colored = DiagnosticRenderer(sources: session.sources, useColor: true)
    var total = 0
    for diagnostic in diagnostics {
        total &+= renderer.render(diagnostic).utf8.count
        total &+= colored.render(diagnostic).utf8.count
        total &+= renderer.location(diagnostic.span).utf8.count
    }
    return total
}

func runProgram(_ text: String) -> Int {
    final class Sink: @unchecked Sendable { var bytes = 0 }
    let sink = Sink()
    let session = Session(output: { sink.bytes &+= $0.utf8.count }, today: fixedToday)
    let source = session.addSource(name: "fuzz.mapl", text: text)
    let renderer = DiagnosticRenderer(sources: session.sources)
    var total = 0
    // `mapl check` first (it resolves against a throwaway scope), then `mapl run`.
    for diagnostic in session.check(source) { total &+= renderer.render(diagnostic).utf8.count }
    interruptDeadline.store(DispatchTime.now().uptimeNanoseconds + budgetNanoseconds, ordering: .relaxed)
    let outcome = session.run(source, valueOfLastExpression: true)
    interruptDeadline.store(0, ordering: .relaxed)
    maplInterruptRequested.store(false, ordering: .relaxed)
    switch outcome {
    case .success(let value):
        if let value { total &+= exercise(value) }
    case .rejected(let diagnostics):
        for diagnostic in diagnostics { total &+= renderer.render(diagnostic).utf8.count }
    case .failed(let error):
        total &+= renderer.render(error).utf8.count
    }
    for slot in 0..<session.globals.count { total &+= exercise(session.machine.global(slot)) }
    // Break closure <-> global cycles so memory does not pile up across inputs.
    session.machine.clear()
    return total &+ sink.bytes
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    _ = watchdogStarted
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    let mode = fuzzMode
    // As the CLI does: every phase runs on a thread with a 1 GiB stack.
    let total = withLargeStack {
        switch mode {
        case .check: return checkOnly(text)
        case .run: return runProgram(text)
        }
    }
    blackHole(total)
    return 0
}

@inline(never)
func blackHole(_ value: Int) {
    if value == -42 { print("") }
}
