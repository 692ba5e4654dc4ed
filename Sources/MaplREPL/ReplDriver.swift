// The read–eval–print loop: libedit on a terminal; plain lines, without prompts or
// escape codes, when stdin is a file or a pipe (`mapl < session.txt`).

import CEditLine
import Foundation
import Mapl

/// Runs the REPL until `:quit` or end of input.
public struct ReplDriver {
    let files: [String]
    let banner: String?

    /// - Parameters:
    ///   - files: plan files loaded before the first prompt.
    ///   - banner: printed before the first prompt on a terminal.
    public init(files: [String], banner: String? = nil) {
        self.files = files
        self.banner = banner
    }

    /// Returns the process exit status: 0 on a terminal; for a scripted session the
    /// worst outcome (65 for rejected input, 70 for a runtime error); 66 when a file
    /// given on the command line cannot be read.
    public func run() -> Int32 {
        let interactive = isatty(STDIN_FILENO) != 0
        let console = Console(buffered: !interactive)
        let repl = ReplSession(writeOutput: console.writeOutput, writeError: console.writeError)
        let environment = ProcessInfo.processInfo.environment
        repl.useColor = interactive && isatty(STDERR_FILENO) != 0
            && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        // On a terminal the editor (and its Ctrl-C handler) exists before files load,
        // so an endless loop in a plan file can be interrupted too.
        let editor = interactive ? LineEditor(historyPath: HistoryFile.path()) : nil
        for file in files {
            repl.load(file)
            console.flush()
            if !repl.loadedFiles.contains(file) { return 66 }
        }
        if let editor {
            return interact(repl, editor, console)
        }
        return readPlainly(repl, console)
    }

    private func readPlainly(_ repl: ReplSession, _ console: Console) -> Int32 {
        var assembler = InputAssembler()
        while let line = readLine(strippingNewline: true) {
            guard let input = assembler.add(line) else { continue }
            let reply = repl.submit(input)
            console.flush()
            if reply == .quit { return repl.status }
        }
        if let rest = assembler.finish() { repl.submit(rest) }
        console.flush()
        return repl.status
    }

    private func interact(_ repl: ReplSession, _ editor: LineEditor, _ console: Console) -> Int32 {
        var assembler = InputAssembler(blankLinesSubmit: true)
        editor.completion = { [unowned repl] line, cursor, continuing in
            repl.complete(line: line, cursor: cursor, continuing: continuing)
        }
        repl.beforeInterruptReport = "\n"
        if let banner { console.writeOutput(banner + "\n") }
        loop: while true {
            editor.continuing = assembler.isContinuing
            let columns = Int(mapl_terminal_columns(STDOUT_FILENO))
            repl.width = columns > 0 ? columns : Int.max
            switch editor.readLine() {
            case .endOfInput:
                console.writeOutput("\n")
                break loop
            case .interrupted:
                console.writeOutput("^C\n")
                assembler.clear()
            case .line(let line):
                guard let input = assembler.add(line) else { continue }
                // A multi-line entry is one history entry, recalled whole.
                let entry = input.hasSuffix("\n") ? String(input.dropLast()) : input
                if !entry.allSatisfy(\.isWhitespace) { editor.addToHistory(entry) }
                if repl.submit(input) == .quit { break loop }
            }
        }
        editor.saveHistory()
        return 0
    }
}

/// Standard output and error for the REPL. On a terminal, output is written at once
/// (a long evaluation shows its prints as they come); otherwise it is buffered until
/// the input is done, and always flushed before an error so the two stay in order.
final class Console: @unchecked Sendable {
    // Used by one thread at a time: the REPL's, or the evaluation thread it waits for.
    private let output = StreamWriter.standardOutput, errors = StreamWriter.standardError

    init(buffered: Bool) {
        output.buffered = buffered
    }

    func writeOutput(_ text: String) { output.write(text) }

    func writeError(_ text: String) {
        flush()
        errors.write(text)
    }

    func flush() { output.flush() }
}
