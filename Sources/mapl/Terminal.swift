// Standard streams for the CLI: buffered output, diagnostics to stderr, colour only on
// a terminal and never under NO_COLOR.

import Foundation
import Mapl

let maplVersion = "0.1.0"

final class Terminal: @unchecked Sendable {
    private var buffer: [UInt8] = []
    // Touched only by the thread running the program, between its start and end.

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
        case .failure(let error) where error.code == EISDIR:
            writeError("mapl: cannot read '\(path)': it is a directory\n")
        case .failure(let error) where error.code == EFBIG:
            // Places in a source are 32-bit byte offsets.
            writeError("mapl: cannot read '\(path)': larger than 2 GB\n")
        case .failure(let error):
            writeError("mapl: cannot read '\(path)': \(error.message.lowercased())\n")
        }
        return nil
    }

    func writeOutput(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flushOutput() }
    }

    func flushOutput() {
        guard !buffer.isEmpty else { return }
        writeAll(STDOUT_FILENO, buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func writeError(_ text: String) {
        guard !text.isEmpty else { return }
        flushOutput()
        writeAll(STDERR_FILENO, Array(text.utf8))
    }

    private func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, base + offset, raw.count - offset)
                if written <= 0 { return }  // a closed pipe: nothing more can be said
                offset += written
            }
        }
    }
}
