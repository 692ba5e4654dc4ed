// Replays inputs outside libFuzzer, without sanitizers, and shows what mapl says: printed
// output, rendered diagnostics or runtime error, and the final value. For triage:
//
//   .build-fuzz-replay/release/mapl-replay [--check | --parse-on-main] [--budget-ms N] FILE…
//
// Like `mapl run` (or `mapl check` with --check), on a 1 GiB stack. With --budget-ms the
// program is interrupted after N ms, as the fuzz harness does.

import Foundation
import Mapl

var checkOnly = false
var parseOnMain = false
var budget: Int?
var files: [String] = []
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--check": checkOnly = true
    // Parser.parse on the main thread's default stack, as the REPL's input-completeness
    // test does for every line typed.
    case "--parse-on-main": parseOnMain = true
    case "--budget-ms": budget = arguments.popFirst().flatMap { Int($0) }
    default: files.append(argument)
    }
}
for file in files {
    if parseOnMain {
        guard let data = FileManager.default.contents(atPath: file) else { continue }
        let source = SourceFile(id: 0, name: file, text: String(decoding: data, as: UTF8.self))
        let (_, diagnostics) = Parser.parse(source)
        say("== \(file): parsed on the main thread, \(diagnostics.count) diagnostic(s)\n")
    } else {
        replay(file, checkOnly: checkOnly, budget: budget)
    }
}

/// Unbuffered, so nothing is lost when an input crashes the process.
nonisolated func say(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// Not on the main actor: the work runs on `withLargeStack`'s thread.
nonisolated func replay(_ file: String, checkOnly: Bool, budget: Int?) {
    guard let data = FileManager.default.contents(atPath: file) else {
        say("cannot read \(file)\n")
        return
    }
    let text = String(decoding: data, as: UTF8.self)
    say("== \(file) (\(data.count) bytes)\n")
    let started = Date()
    let summary: String = withLargeStack {
        let session = Session(output: { FileHandle.standardOutput.write(Data($0.utf8)) },
                              today: Day(year: 2026, month: 11, day: 22)!)
        let source = session.addSource(name: file, text: text)
        let renderer = DiagnosticRenderer(sources: session.sources)
        if checkOnly {
            let diagnostics = session.check(source)
            say(diagnostics.map(renderer.render).joined())
            return "check: \(diagnostics.count) diagnostic(s)"
        }
        if let budget {
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(budget)) {
                maplInterruptRequested.store(true, ordering: .relaxed)
            }
        }
        switch session.run(source, valueOfLastExpression: true) {
        case .success(let value):
            return "success" + (value.map { ": " + $0.repr } ?? "")
        case .rejected(let diagnostics):
            say(diagnostics.map(renderer.render).joined())
            return "rejected: \(diagnostics.count) diagnostic(s)"
        case .failed(let error):
            say(renderer.render(error))
            return "runtime error"
        }
    }
    say("-> \(summary) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s\n")
}
