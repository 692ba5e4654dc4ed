// The command-line entry point: parses arguments and hands work to the library.

import ArgumentParser
import CEditLine
import Foundation
import Mapl
import MaplREPL

/// Exit statuses, as in BSD sysexits and Crafting Interpreters.
enum Status {
    static let usage: Int32 = 64
    static let dataError: Int32 = 65  // syntax or check errors
    static let noInput: Int32 = 66    // file not found or unreadable
    static let software: Int32 = 70   // runtime error
}

@main
struct MaplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapl",
        abstract: "mapl: major account plans as plain-text programs.",
        discussion: """
            With no arguments, mapl opens an interactive session; `mapl FILE [ARGS…]`
            runs FILE as `mapl run` does (so `#!/usr/bin/env mapl` scripts work), and
            `mapl repl FILE…` opens a session on plan files.
            Exit status: 0 ok, 1 `fmt --check` found unformatted files, 64 usage,
            65 syntax or check errors (or bad import rows), 66 file not found,
            69 Graphviz missing, 70 runtime error, 73 output file cannot be written,
            74 standard output cannot be written (a full disk, a closed stream).
            """,
        version: maplVersion,
        subcommands: [
            Run.self,
            Check.self,
            Repl.self,
            Export.self,
            ImportCommand.self,
            DiffCommand.self,
            Fmt.self,
            Lsp.self,
        ],
        defaultSubcommand: Repl.self
    )

    /// Runs the command, then checks that everything it printed was written.
    static func main() {
        let arguments = scriptArguments(Array(CommandLine.arguments.dropFirst())) ?? Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            Terminal.exitIfOutputFailed()
            exit(withError: error)
        }
        Terminal.exitIfOutputFailed()
        exit()
    }

    /// `mapl FILE ARGS…` means `mapl run FILE ARGS…`, as `python FILE` does: a first
    /// argument that is neither an option nor a subcommand names a script. nil leaves the
    /// arguments to the parser as they are.
    static func scriptArguments(_ arguments: [String]) -> [String]? {
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        let names = Set(configuration.subcommands.map { $0._commandName } + ["help"])
        return names.contains(first) ? nil : ["run"] + arguments
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a mapl script.",
        discussion: "Words after FILE are available to the script as the list `args`."
    )

    @Argument(help: "The script to run, or - for standard input.")
    var file: String

    @OptionGroup var memory: MemoryOption

    @Argument(parsing: .captureForPassthrough, help: "Arguments passed to the script.")
    var arguments: [String] = []

    func run() throws {
        memory.apply()
        let terminal = Terminal()
        guard let bytes = terminal.readBytes(file) else { throw ExitCode(Status.noInput) }
        let status = withLargeStack {
            let session = Session(output: terminal.writeOutput)
            session.arguments = arguments
            session.reportWarnings = { warnings in terminal.writeError(warnings.map(terminal.renderer(session.sources).render).joined()) }
            let source = session.addSource(name: file == "-" ? "<stdin>" : file, bytes: bytes)
            let outcome = session.run(source)
            terminal.flushOutput()
            let renderer = terminal.renderer(session.sources)
            switch outcome {
            case .success: return Int32(0)
            case .rejected(let diagnostics):
                terminal.writeError(diagnostics.map(renderer.render).joined())
                return Status.dataError
            case .failed(let error):
                terminal.writeError(renderer.render(error))
                return Status.software
            }
        }
        if status != 0 { throw ExitCode(status) }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check plans without running their statements: syntax, names, declarations, the built-in checks and the plan's rules.",
        discussion: "Findings are printed in reading order with a count at the end. Errors (a reporting line or unit chain that loops, and every syntax, name and field problem) exit 65; the other checks and rule violations are warnings: the exit status stays 0 unless --strict is given. A plan switches a check off with plan { skip_checks: [ID] }."
    )

    @Argument(help: "The files to check (- for standard input).")
    var files: [String]

    @Flag(help: "Treat rule violations (warnings) as errors: exit 65 when there are any.")
    var strict = false

    @OptionGroup var memory: MemoryOption

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file to check") }
    }

    func run() throws {
        memory.apply()
        let terminal = Terminal()
        var worst: Int32 = 0
        for file in files {
            let name = file == "-" ? "<stdin>" : file
            let errors: Int? = withLargeStack {
                let session = Session(output: terminal.writeOutput)
                // Only the session's sources hold the text, so that it can be let go while
                // the plan is checked (read again from the file for the messages).
                guard let id = Check.addSource(file, named: name, to: session, terminal) else { return nil }
                let diagnostics = session.check(file: id)
                terminal.writeError(terminal.renderer(session.sources).render(diagnostics))
                let count = DiagnosticRenderer.count(diagnostics)
                if !count.isEmpty { terminal.writeError("\(DiagnosticRenderer.visible(name)): \(count)\n") }
                return diagnostics.filter { $0.severity == .error || (strict && $0.severity == .warning) }.count
            }
            guard let errors else { worst = max(worst, Status.noInput); continue }
            if errors > 0 { worst = max(worst, Status.dataError) }
        }
        if worst != 0 { throw ExitCode(worst) }
    }
}

extension Check {
    /// Reads `file` (stdin for "-") into the session's sources, noting the file to read
    /// it again from; its id, or nil (reported) when it cannot be read.
    static func addSource(_ file: String, named name: String, to session: Session, _ terminal: Terminal) -> FileID? {
        guard let bytes = terminal.readBytes(file) else { return nil }
        return session.addSource(name: name, bytes: bytes, readFrom: file == "-" ? nil : file).id
    }
}

struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Open an interactive session (the default).",
        discussion: """
            On a terminal: line editing, history ($MAPL_HISTORY, else \
            $XDG_STATE_HOME/mapl/history, else ~/.mapl_history; /dev/null keeps none), \
            Tab completion and :help. With stdin from a file or pipe, lines are read \
            plainly (no prompts) and the exit status is 65 or 70 if any input failed.
            """
    )

    @Argument(help: "Plan files to load before the first prompt.")
    var files: [String] = []

    @Option(name: .customLong("banner"), help: ArgumentHelp("A line to show before the first prompt on a terminal (repeatable).", visibility: .hidden))
    var bannerLines: [String] = []

    @OptionGroup var memory: MemoryOption

    func run() throws {
        memory.apply()
        let banner = (["mapl \(maplVersion): ask your plan a question. :help for commands and topics, Tab completes, Ctrl-D leaves."]
            + bannerLines).joined(separator: "\n")
        let status = ReplDriver(files: files, banner: banner).run()
        if status != 0 { throw ExitCode(status) }
    }
}

/// `--max-memory SIZE`: how much memory one evaluation may add (see `MemoryBudget`).
struct MemoryOption: ParsableArguments {
    @Option(name: .customLong("max-memory"), help: ArgumentHelp(
        "The most memory a program's values may take, e.g. 512M or 8G (default 4G); past it the program stops with an error.",
        valueName: "size"), transform: { text in
            guard let bytes = MemoryBudget.parse(text) else { throw ValidationError("--max-memory takes a size such as 512M or 8G, not '\(text)'") }
            return bytes
        })
    var maxMemory: Int?

    func apply() {
        if let maxMemory { MemoryBudget.limit.store(maxMemory, ordering: .relaxed) }
    }
}
