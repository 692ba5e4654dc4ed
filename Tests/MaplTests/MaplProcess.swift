// Runs the real `mapl` binary for the tests that drive it from outside: the golden
// files, the fuzz regressions and the REPL transcripts.

import Foundation

enum MaplProcess {
    /// The repository root (three folders above this file).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary under test: MAPL_BIN (set by `make test`), else the debug build.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["MAPL_BIN"], !path.isEmpty { return path }
        return root.appendingPathComponent(".build/debug/mapl").path
    }

    struct Result {
        var stdout: String
        /// Empty when the run merged stderr into stdout.
        var stderr: String
        var status: Int32
    }

    /// Runs `mapl ARGUMENTS` from the repository root (or `directory`) with a fixed date,
    /// no colour and no history. With `mergeOutput`, stderr goes into the same pipe as
    /// stdout, so the text interleaves as on a screen.
    static func run(_ arguments: [String], stdin: String, mergeOutput: Bool = false, environment extra: [String: String] = [:],
                    in directory: URL? = nil, executable: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? binary)
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? root
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["MAPL_TODAY"] = "2026-11-22"
        environment["MAPL_HISTORY"] = "/dev/null"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = mergeOutput ? output : errors
        // A program that stops reading early must not kill the test with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
        // Write stdin and read stderr on other threads, so that no pipe can fill up
        // and stall the program.
        let group = DispatchGroup()
        let writer = input.fileHandleForWriting
        let data = Data(stdin.utf8)
        group.enter()
        DispatchQueue.global().async {
            try? writer.write(contentsOf: data)
            try? writer.close()
            group.leave()
        }
        nonisolated(unsafe) var errorData = Data()
        if !mergeOutput {
            group.enter()
            DispatchQueue.global().async {
                errorData = errors.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(stdout: String(decoding: outputData, as: UTF8.self), stderr: String(decoding: errorData, as: UTF8.self),
                      status: process.terminationStatus)
    }

    /// Runs a shell command line (for redirections), with the binary under test in $MAPL.
    static func runShell(_ script: String) throws -> Result {
        try run(["-c", script], stdin: "", environment: ["MAPL": binary], executable: "/bin/sh")
    }
}
