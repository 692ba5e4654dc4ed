// `mapl fmt`: rewrites mapl files in the canonical layout, or checks that they are in it.

import ArgumentParser
import Foundation
import Mapl

struct Fmt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Format mapl files in the canonical layout (or check that they are).",
        discussion: """
            Rewrites each file in place, atomically and only when its layout changes, and \
            lists the files it changed. With - it reads standard input and writes the \
            formatted text to standard output (so does --stdout for files). A folder \
            stands for every .mapl file in it, recursively.

            The layout: two-space indentation, one space around operators and after ',' \
            and ':', at most one blank line, no trailing spaces, a final newline. Line \
            breaks are kept (they end statements in mapl); lines longer than the line \
            width are broken inside their brackets or before query clauses. Every \
            comment is kept on its line. Formatting never changes what a program means: the formatter re-reads its \
            output and refuses to write it if any token or comment would differ.

            A file with syntax errors is not touched: its errors are shown as by `mapl check`.

            Exit status: 0 done (or, with --check, all formatted), 1 with --check when a \
            file would change, 65 syntax errors, 66 file not found, 70 internal error or \
            a file that could not be written.
            """
    )

    @Argument(help: ArgumentHelp("Files or folders to format; - for standard input.", valueName: "file"))
    var files: [String]

    @Flag(help: "Write nothing: list the files that are not formatted, and exit 1 if there are any.")
    var check = false

    @Flag(help: "Print the formatted text to standard output instead of rewriting the files.")
    var stdout = false

    @Option(help: "Break lines longer than this, inside their brackets, where possible.")
    var lineWidth = 120

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file to format (or - for standard input)") }
        if lineWidth < 20 { throw ValidationError("--line-width must be at least 20") }
        if check && stdout { throw ValidationError("--check and --stdout do not go together") }
    }

    func run() throws {
        let terminal = Terminal()
        var worst: Int32 = 0
        let options = FormatOptions(lineWidth: lineWidth)
        for path in expand(files, terminal: terminal, worst: &worst) {
            let status = withLargeStack { format(path, options: options, terminal: terminal) }
            worst = max(worst, status)
        }
        terminal.flushOutput()
        if worst != 0 { throw ExitCode(worst) }
    }

    /// Folders become the .mapl files inside them, sorted; missing paths are reported.
    private func expand(_ paths: [String], terminal: Terminal, worst: inout Int32) -> [String] {
        var result: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            if path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                let walker = FileManager.default.enumerator(atPath: path)
                var found: [String] = []
                while let relative = walker?.nextObject() as? String {
                    if relative.hasSuffix(".mapl") { found.append((path as NSString).appendingPathComponent(relative)) }
                }
                result += found.sorted()
            } else if path != "-", !FileManager.default.fileExists(atPath: path) {
                terminal.writeError("mapl: cannot open '\(path)': no such file\n")
                worst = max(worst, Status.noInput)
            } else {
                result.append(path)
            }
        }
        return result
    }

    /// Formats one file (or stdin) and returns its exit status.
    private func format(_ path: String, options: FormatOptions, terminal: Terminal) -> Int32 {
        let name = path == "-" ? "<stdin>" : path
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                terminal.writeError("mapl: cannot read '\(path)'\n")
                return Status.noInput
            }
            data = contents
        }
        // Decoding must not replace bytes: a rewritten file would silently lose them.
        guard let text = String(validating: data, as: UTF8.self) else {
            terminal.writeError("mapl: '\(name)' is not UTF-8 text; left unchanged\n")
            return Status.dataError
        }
        let sources = SourceMap()
        let source = sources.add(name: name, text: text)
        switch SourceFormatter.format(source, options: options) {
        case .rejected(let diagnostics):
            let renderer = terminal.renderer(sources)
            terminal.writeError(diagnostics.map(renderer.render).joined())
            return Status.dataError
        case .unsafe(let problem):
            terminal.writeError("mapl: internal error: formatting '\(name)' would change it (\(problem)); left unchanged\n")
            return Status.software
        case .formatted(let formatted):
            if stdout || (path == "-" && !check) {
                terminal.writeOutput(formatted)
                return 0
            }
            guard formatted != text else { return 0 }
            terminal.writeOutput("\(name)\n")
            if check || path == "-" { return 1 }
            do {
                try AtomicFile.write(formatted, to: path)
            } catch {
                terminal.writeError("mapl: \(error.description)\n")
                return Status.cannotCreate
            }
            return 0
        }
    }
}
