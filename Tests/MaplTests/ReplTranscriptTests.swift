// The real `mapl` binary as a REPL: transcripts fed through stdin (`mapl < FILE`),
// compared with recorded screens, and a session typed into a pseudo-terminal.
//
// Tests/repl/transcripts/NAME.in is the input; NAME.out is stdout and stderr as they
// interleave on a screen. Directives in the input's first comment lines:
//   # args: repl examples/demo.mapl      the command line (default: none, plain `mapl`)
//   # exit: N                            the expected exit status (default 0)
// `UPDATE_SNAPSHOTS=1 make test` re-records every NAME.out.

import Foundation
import Testing

enum ReplBinary {
    static var root: URL { MaplProcess.root }
    static var path: String { MaplProcess.binary }

    /// Runs the binary with `stdin` as its standard input; stdout and stderr share
    /// one pipe, so the text reads as it would on a screen.
    static func run(_ arguments: [String], stdin: String) throws -> (screen: String, status: Int32) {
        let result = try MaplProcess.run(arguments, stdin: stdin, mergeOutput: true)
        return (result.stdout, result.status)
    }
}

struct Transcript: CustomTestStringConvertible, Sendable {
    let name: String
    var testDescription: String { name }

    static var directory: URL { ReplBinary.root.appendingPathComponent("Tests/repl/transcripts") }

    static func all() -> [Transcript] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".in") }.sorted().map { Transcript(name: String($0.dropLast(3))) }
    }
}

@Suite("REPL: the binary")
struct ReplTranscriptTests {
    @Test func transcriptsExist() {
        #expect(Transcript.all().count >= 4)
    }

    @Test(arguments: Transcript.all())
    func transcript(_ transcript: Transcript) throws {
        let inputURL = Transcript.directory.appendingPathComponent(transcript.name + ".in")
        let expectedURL = Transcript.directory.appendingPathComponent(transcript.name + ".out")
        let input = try String(contentsOf: inputURL, encoding: .utf8)
        var arguments: [String] = []
        var status: Int32 = 0
        for line in input.split(separator: "\n") where line.hasPrefix("#") {
            if line.hasPrefix("# args: ") { arguments = line.dropFirst(8).split(separator: " ").map(String.init) }
            if line.hasPrefix("# exit: ") { status = Int32(line.dropFirst(8)) ?? -1 }
        }
        let result = try ReplBinary.run(arguments, stdin: input)
        if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" {
            try result.screen.write(to: expectedURL, atomically: true, encoding: .utf8)
        } else {
            let expected = (try? String(contentsOf: expectedURL, encoding: .utf8)) ?? "(no \(transcript.name).out recorded: run UPDATE_SNAPSHOTS=1 make test)"
            #expect(result.screen == expected, "screen of \(transcript.name)")
        }
        #expect(result.status == status, "exit status of \(transcript.name)")
        // Scripted sessions never see prompts or escape codes.
        #expect(!result.screen.contains("mapl> ") && !result.screen.contains("\u{1B}["))
    }

    @Test func aFileThatCannotBeReadStopsBeforeThePrompt() throws {
        let result = try ReplBinary.run(["repl", "no/such/plan.mapl"], stdin: "1 + 1\n")
        #expect(result.status == 66)
        #expect(result.screen == "cannot open 'no/such/plan.mapl': no such file\n")
    }

    /// Python's `pty` module types into the real binary on a pseudo-terminal:
    /// a multi-line declaration, queries, Tab completions, Ctrl-R, Ctrl-C while
    /// typing, during `while true { }` and during a loop that runs the plan's rules
    /// (export()), Ctrl-D, and the history file.
    @Test(.enabled(if: ReplTerminal.python != nil, "python3 is needed to drive a pseudo-terminal"),
          .timeLimit(.minutes(1)))
    func pseudoTerminalSession() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ReplTerminal.python!)
        process.arguments = [ReplBinary.root.appendingPathComponent("Tests/repl/pty_session.py").path, ReplBinary.path, ReplBinary.root.path]
        process.currentDirectoryURL = ReplBinary.root
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("ok: Ctrl-C interrupts while true { }"), "\(text)")
        #expect(text.contains("ok: Ctrl-C interrupts a loop running the plan's rules"), "\(text)")
    }
}

enum ReplTerminal {
    /// A python3 to run the pseudo-terminal script, if there is one.
    static let python: String? = {
        let candidates = ["/usr/bin/python3", "/usr/local/bin/python3"]
            + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { $0 + "/python3" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}
