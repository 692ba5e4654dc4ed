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

    /// Reads a file (or stdin for "-") as bytes, in one copy; reports and returns nil
    /// when it cannot.
    func readBytes(_ path: String) -> [UInt8]? {
        guard let bytes = readAnyBytes(path) else { return nil }
        // Places in a source are 32-bit byte offsets.
        guard bytes.count < Int(Int32.max) else {
            writeError("mapl: cannot read '\(path)': larger than 2 GB\n")
            return nil
        }
        return bytes
    }

    private func readAnyBytes(_ path: String) -> [UInt8]? {
        if path == "-" {
            return [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            writeError("mapl: cannot open '\(path)': no such file\n")
            return nil
        }
        guard !isDirectory.boolValue, let bytes = Terminal.contents(of: path) else {
            writeError("mapl: cannot read '\(path)'\(isDirectory.boolValue ? ": it is a directory" : "")\n")
            return nil
        }
        return bytes
    }

    /// A file's bytes read straight into one array (Foundation's Data, then an array,
    /// held two copies of a large plan at once).
    private static func contents(of path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: max(0, Int(status.st_size)))
        var filled = 0
        // Read the size stat gave, then on in small pieces should the file have grown
        // (or stat not know its size): growing the array by half each time kept up to
        // twice the file in capacity.
        while filled < bytes.count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                Foundation.read(descriptor, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
            }
            if got < 0 { return nil }
            if got == 0 { break }
            filled += got
        }
        bytes.removeLast(bytes.count - filled)
        var piece = [UInt8](repeating: 0, count: 65_536)
        while true {
            let got = piece.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 { return nil }
            if got == 0 { break }
            bytes.append(contentsOf: piece[0..<got])
        }
        return bytes
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
