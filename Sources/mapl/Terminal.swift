// Standard streams for the CLI: buffered output, diagnostics to stderr, colour only on
// a terminal and never under NO_COLOR.

import Foundation
import Mapl

let maplVersion = "0.1.0"

final class Terminal: @unchecked Sendable {
    // Touched only by the thread running the program, between its start and end.
    private let output = StreamWriter.standardOutput, errors = StreamWriter.standardError

    let useColor: Bool = {
        let environment = ProcessInfo.processInfo.environment
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return isatty(STDERR_FILENO) != 0 && environment["TERM"] != "dumb"
    }()

    func renderer(_ sources: SourceMap) -> DiagnosticRenderer {
        DiagnosticRenderer(sources: sources, useColor: useColor)
    }

    /// Reads a file (or stdin for "-"); reports and returns nil when it cannot.
    func read(_ path: String) -> String? {
        readBytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Reads a file (or stdin for "-") as bytes, in one copy, or maps a large file (see
    /// `SourceBytes`); reports and returns nil when it cannot.
    func readBytes(_ path: String) -> SourceBytes? {
        let read = path == "-" ? SourceBytes.contents(ofDescriptor: STDIN_FILENO) : SourceBytes.contents(ofFile: path)
        switch read {
        case .success(let bytes): return bytes
        case .failure(let error) where error.code == ENOENT:
            writeError("mapl: cannot open '\(path)': no such file\n")
        case .failure(let error):
            writeError("mapl: cannot read '\(path)': \(error.reason)\n")
        }
        return nil
    }

    func writeOutput(_ text: String) { output.write(text) }

    func writeOutput(bytes: [UInt8]) { output.write(bytes: bytes) }

    func flushOutput() { output.flush() }

    func writeError(_ text: String) {
        guard !text.isEmpty else { return }
        flushOutput()
        errors.write(text)
    }

    /// Flushes standard output and, when any of it could not be written (a full disk, a
    /// closed stream), says so and exits 74: the output is incomplete.
    static func exitIfOutputFailed() {
        let output = StreamWriter.standardOutput
        output.flush()
        guard let reason = output.failureReason else { return }
        StreamWriter.standardError.write("mapl: cannot write to standard output: \(reason)\n")
        exit(StreamWriter.ioErrorStatus)
    }
}
