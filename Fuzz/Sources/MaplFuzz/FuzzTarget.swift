// libFuzzer entry point for mapl. The input bytes are a source text; the mode comes from
// MAPL_FUZZ_MODE:
//   check  `Session.check` (lex, parse, resolve, plan checks; nothing runs) and render
//          every diagnostic, plain and coloured
//   run    a fresh Session per input, as `mapl run` does: the whole pipeline (lex,
//          parse, resolve, compile, run), render the outcome and every global's value.
//   repl   one Session serves up to 256 inputs with REPL semantics (redeclaration
//          allowed, final value echoed, globals kept until the session is replaced);
//          each input is checked first against that session (`:check`), then run.
//          Re-check a crash found here in `run` mode.
// A watchdog thread sets `maplInterruptRequested` once a check or run passes its time
// budget (MAPL_FUZZ_BUDGET_MS, default 200), so `while true {}` is stopped like Ctrl-C
// would (checking runs code too: field values, rules).
// Any trap, stack overflow or a run that ignores the interrupt (libFuzzer -timeout) is
// a finding: the project rule is that no input may crash the tool.

import Foundation
import Mapl
import Synchronization

enum FuzzMode: Sendable {
    case check, run, repl
}

let fuzzMode: FuzzMode = {
    switch ProcessInfo.processInfo.environment["MAPL_FUZZ_MODE"] ?? "run" {
    case "check": return .check
    case "repl": return .repl
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

/// Touches every part of a value's text forms (print, interpolation, the REPL echo), up
/// to 64 KiB of each: a value may be 64 MiB of text (or a list that holds one string a
/// thousand times), and spelling it out would cost far more than the run that made it.
func exercise(_ value: Value) -> Int {
    value.display(limit: 1 << 16).utf8.count &+ value.repr(limit: 1 << 16).utf8.count &+ value.typeName.utf8.count
}

/// What one check or run may add to the process's memory (MAPL_FUZZ_MAX_MEMORY MiB,
/// default 256) before it stops with mapl's memory-budget error: the CLI's 4 GiB would
/// meet libFuzzer's -rss_limit_mb first, and every program that keeps values in a loop
/// would be an out-of-memory "finding".
let memoryBudgetSet: Bool = {
    let mib = Int(ProcessInfo.processInfo.environment["MAPL_FUZZ_MAX_MEMORY"] ?? "") ?? 256
    MemoryBudget.limit.store(mib << 20, ordering: .relaxed)
    return true
}()

/// Holds a machine weakly, to see that a session is freed once its input is done: the
/// compiled code of a session holds its machine, and a cycle left unbroken keeps the
/// whole session (and 24 MB of stack address space) for good. Such a leak only shows
/// as memory growing over millions of inputs; this makes it a crash at the input.
/// On in check mode, and in every mode with MAPL_FUZZ_LEAKS=1 (`run.sh regress` sets
/// it); off in run and repl mode by default, where a closure that captures itself (a
/// local recursive function bound with `let`) forms a cycle that is never freed, and so
/// keeps its machine: a known limitation (Fuzz/regressions/leak-self-capturing-closure.mapl).
let watchLeaks = ProcessInfo.processInfo.environment["MAPL_FUZZ_LEAKS"].map { $0 == "1" } ?? (fuzzMode == .check)

final class Watch: @unchecked Sendable {
    weak var machine: Machine?

    func expectFreed(_ what: String) {
        if watchLeaks, machine != nil { fatalError("\(what) outlived its input: a reference cycle keeps its machine") }
    }
}
let scratchWatch = Watch()

/// The session `check` mode adds its sources to; `Session.check` works on a scratch
/// session of its own and declares nothing here. Replaced every 256 inputs so the
/// source map does not grow without end.
nonisolated(unsafe) var checkSession: Session?
nonisolated(unsafe) var checkUses = 0

func checkOnly(_ text: String) -> Int {
    if checkSession == nil || checkUses >= 256 {
        checkSession = Session(output: { _ in }, today: fixedToday)
        checkSession?.onScratchSession = { scratchWatch.machine = $0.machine }
        checkUses = 0
    }
    checkUses += 1
    let session = checkSession!
    let source = session.addSource(name: "fuzz.mapl", text: text)
    // Checking runs code too (field values, rules): the watchdog stops it as in run mode.
    interruptDeadline.store(DispatchTime.now().uptimeNanoseconds + budgetNanoseconds, ordering: .relaxed)
    let diagnostics = session.check(source)
    interruptDeadline.store(0, ordering: .relaxed)
    maplInterruptRequested.store(false, ordering: .relaxed)
    scratchWatch.expectFreed("Session.check's scratch session")
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

/// The process's resident memory in MiB, from /proc/self/statm (0 if unreadable).
func residentMiB() -> Int {
    let descriptor = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return 0 }
    defer { close(descriptor) }
    var buffer = [UInt8](repeating: 0, count: 96)
    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    guard count > 0 else { return 0 }
    // "size resident shared …", in pages: the second number.
    let fields = buffer.prefix(count).split(separator: 32)
    guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE))) >> 20
}

#if os(Linux)
/// glibc's malloc_trim (not in the Glibc module).
@_silgen_name("malloc_trim") func mallocTrim(_ pad: Int) -> Int32
#endif

/// The REPL session is replaced once the process holds more than this (MiB).
let replSessionMiB = Int(ProcessInfo.processInfo.environment["MAPL_FUZZ_REPL_RSS_MB"] ?? "") ?? 1024

final class Sink: @unchecked Sendable { var bytes = 0 }
let sink = Sink()

func makeSession(repl: Bool) -> Session {
    let session = Session(output: { sink.bytes &+= $0.utf8.count }, today: fixedToday)
    session.allowRedeclaration = repl
    session.onScratchSession = { scratchWatch.machine = $0.machine }
    return session
}

/// The REPL-mode session and how many inputs it has served. Touched only by the one
/// large-stack thread running the current input.
nonisolated(unsafe) var sharedSession: Session?
nonisolated(unsafe) var sharedUses = 0

func runProgram(_ text: String, repl: Bool, watch: Watch? = nil) -> Int {
    let session: Session
    if repl {
        if sharedSession == nil || sharedUses >= 256 {
            // Break closure <-> global cycles so memory does not pile up.
            sharedSession?.machine.clear()
            sharedSession = makeSession(repl: true)
            sharedUses = 0
            #if os(Linux)
            _ = mallocTrim(0)  // give back what the last session's values took
            #endif
        }
        sharedUses += 1
        session = sharedSession!
    } else {
        session = makeSession(repl: false)
    }
    let source = session.addSource(name: "fuzz.mapl", text: text)
    let renderer = DiagnosticRenderer(sources: session.sources)
    var total = 0
    // The REPL's `:check` first: it resolves against a throwaway scope that sees the
    // globals earlier inputs declared. (`mapl run` does not check first; a fresh
    // session's check is what check mode fuzzes.)
    // (One budget for the check and the run.)
    interruptDeadline.store(DispatchTime.now().uptimeNanoseconds + budgetNanoseconds, ordering: .relaxed)
    let checked = repl ? session.check(source) : []
    if repl { scratchWatch.expectFreed("Session.check's scratch session") }
    for diagnostic in checked { total &+= renderer.render(diagnostic).utf8.count }
    // `mapl run` does not ask for the final value; the REPL does.
    let outcome = session.run(source, valueOfLastExpression: repl)
    interruptDeadline.store(0, ordering: .relaxed)
    maplInterruptRequested.store(false, ordering: .relaxed)
    switch outcome {
    case .success(let value):
        if let value { total &+= exercise(value) }
    case .rejected(let diagnostics):
        // A rejected program mostly has the problems its check found: those are drawn
        // once (the same drawing again would reach no new code).
        for diagnostic in diagnostics where !checked.contains(where: {
            $0.kind == diagnostic.kind && $0.span == diagnostic.span && $0.severity == diagnostic.severity
        }) {
            total &+= renderer.render(diagnostic).utf8.count
        }
    case .failed(let error):
        total &+= renderer.render(error).utf8.count
    }
    // Each input may keep up to its memory budget in globals; 256 of them would pass
    // libFuzzer's -rss_limit_mb. A session that holds a lot is replaced early.
    if repl, residentMiB() > replSessionMiB { sharedUses = 256 }
    if !repl {
        for slot in 0..<session.globals.count { total &+= exercise(session.machine.global(slot)) }
        session.machine.clear()  // break closure <-> global cycles
        watch?.machine = session.machine
    }
    return total &+ sink.bytes
}

/// One long-lived thread with the same 1 GiB stack that `withLargeStack` gives the CLI.
/// (Calling `withLargeStack` per input spends most of the time creating and tearing down
/// the thread under ASan; MAPL_FUZZ_THREAD=per-input does it anyway.)
final class Worker: @unchecked Sendable {
    private let start = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private var job: (() -> Void)?

    init() {
        let thread = Thread { [unowned self] in
            while true {
                self.start.wait()
                self.job?()
                self.job = nil
                self.done.signal()
            }
        }
        thread.stackSize = 1 << 30
        thread.start()
    }

    func run(_ body: @escaping () -> Void) {
        job = body
        start.signal()
        done.wait()
    }
}

let worker = Worker()
let threadPerInput = ProcessInfo.processInfo.environment["MAPL_FUZZ_THREAD"] == "per-input"

func evaluate(_ text: String, _ mode: FuzzMode) -> Int {
    switch mode {
    case .check: return checkOnly(text)
    case .run:
        // (Checked once runProgram has let go of the session and its outcome.)
        let watch = Watch()
        let total = runProgram(text, repl: false, watch: watch)
        watch.expectFreed("A cleared session")
        return total
    case .repl: return runProgram(text, repl: true)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    _ = watchdogStarted
    _ = memoryBudgetSet
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    let mode = fuzzMode
    var total = 0
    if threadPerInput {
        total = withLargeStack { evaluate(text, mode) }
    } else {
        nonisolated(unsafe) var result = 0
        worker.run { result = evaluate(text, mode) }
        total = result
    }
    blackHole(total)
    return 0
}

@inline(never)
func blackHole(_ value: Int) {
    if value == -42 { print("") }
}
