// Renders DOT through Graphviz's `dot` program (SVG, PNG). The program is found on
// PATH, or named by MAPL_DOT (so tests can point at a missing one); when it is not
// there the error says how to install it.

import Foundation

enum Graphviz {
    /// The `dot` program to run: MAPL_DOT when set (a path or a name on PATH), else `dot`.
    static func program(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let name = environment["MAPL_DOT"].flatMap { $0.isEmpty ? nil : $0 } ?? "dot"
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for directory in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let path = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static let missing = """
        Graphviz is not installed: --format svg and png draw the stakeholder map with its `dot` program.
          install it:  apt-get install graphviz   (macOS: brew install graphviz)
          or instead:  --format dot (render it elsewhere), --format mermaid, --format html
                       (its map needs no Graphviz), or --layout builtin for mapl's own SVG layout
        """

    /// Runs `dot -T<format>` on the DOT text and returns what it wrote.
    static func render(_ dot: String, as format: String) throws(ExportError) -> [UInt8] {
        guard let program = program() else { throw .unavailable(missing) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["-T" + format]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        // dot may stop reading early; a closed pipe must not kill mapl.
        signal(SIGPIPE, SIG_IGN)
        do {
            try process.run()
        } catch {
            throw .unavailable(missing + "\n  (running \(program) failed: \(error.localizedDescription))")
        }
        // Feed stdin and drain stderr on other threads so no pipe can fill up and stall.
        let group = DispatchGroup()
        let writer = input.fileHandleForWriting
        let data = Data(dot.utf8)
        group.enter()
        DispatchQueue.global().async {
            try? writer.write(contentsOf: data)
            try? writer.close()
            group.leave()
        }
        let errorBox = ErrorOutput()
        group.enter()
        DispatchQueue.global().async {
            errorBox.data = errors.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let result = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorBox.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw .failed("\(program) failed (exit \(process.terminationStatus))" + (message.isEmpty ? "" : ": " + message))
        }
        return [UInt8](result)
    }
}

/// Carries the stderr bytes back from the reading thread (read only after it is done).
private final class ErrorOutput: @unchecked Sendable {
    var data = Data()
}
