// The interactive session without a terminal: evaluates inputs against one mapl
// session, runs meta commands, and remembers what was declared (for :save). The
// terminal driver and the tests both drive it through `submit` and `complete`.

import Foundation
import Mapl

/// One REPL session: a mapl `Session` plus the files it loaded and its commands.
public final class ReplSession {
    public enum Reply: Equatable, Sendable {
        case proceed, quit
    }

    /// Where values, printed text and command output go (stdout).
    public var writeOutput: (String) -> Void {
        get { sink.write }
        set { sink.write = newValue }
    }
    /// Where diagnostics and command errors go (stderr).
    public var writeError: (String) -> Void
    /// ANSI colour in diagnostics.
    public var useColor = false
    /// Columns available for tables; a table wider than this prints as a list.
    public var width = Int.max
    /// Written before the report of an interrupted evaluation: a line break on a
    /// terminal, where the tty has just echoed ^C.
    public var beforeInterruptReport = ""

    public private(set) var session: Session
    /// Files loaded (from the command line or `:load`), for `:reload`.
    public private(set) var loadedFiles: [String] = []
    public private(set) var commands: [MetaCommand] = MetaCommand.standard
    public let completer = Completer()
    /// The worst outcome so far: 0, 65 (an input was rejected) or 70 (a runtime
    /// error); the exit status of a scripted session.
    public private(set) var status: Int32 = 0

    var log = SessionLog()
    private var inputCount = 0
    /// Doc comment lines typed before the input they document.
    private var pendingDoc = ""
    private let sink: OutputSink

    public init(writeOutput: @escaping (String) -> Void = { _ in }, writeError: @escaping (String) -> Void = { _ in }) {
        sink = OutputSink(writeOutput)
        self.writeError = writeError
        session = ReplSession.makeSession(sink)
    }

    /// A session around a `Session` set up elsewhere (an editor's analysis of a plan),
    /// to complete words and look up help over it; what it would print is dropped.
    public init(session: Session) {
        sink = OutputSink({ _ in })
        writeError = { _ in }
        self.session = session
    }

    private static func makeSession(_ sink: OutputSink) -> Session {
        let session = Session(output: { sink.write($0) })
        session.allowRedeclaration = true
        return session
    }

    /// Adds (or replaces, by name) a meta command.
    public func register(_ command: MetaCommand) {
        commands.removeAll { $0.name == command.name }
        commands.append(command)
    }

    // MARK: - Inputs

    /// Runs one whole input: a meta command (`:…`) or mapl text.
    @discardableResult
    public func submit(_ input: String) -> Reply {
        let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .proceed }
        if trimmed.hasPrefix(":") { return runCommand(trimmed) }
        if FunctionDocs.isDocOnly(trimmed) {
            // `##` lines typed alone document the next input (a `fn`, for :help).
            pendingDoc += trimmed + "\n"
            return .proceed
        }
        inputCount += 1
        evaluate(name: "<repl:\(inputCount)>", text: pendingDoc + input, isFile: false, echo: true)
        pendingDoc = ""
        return .proceed
    }

    /// Completes the word before `cursor` (a UTF-8 offset) in a typed line.
    public func complete(line: String, cursor: Int? = nil, continuing: Bool = false) -> CompletionResult {
        completer.complete(line: line, cursor: cursor ?? line.utf8.count, continuing: continuing, in: self)
    }

    /// Reads and runs a plan file in this session; false when it could not be read
    /// or had errors (which are reported).
    @discardableResult
    public func load(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            fail("cannot open '\(path)': no such file")
            return false
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            fail("cannot read '\(path)'\(isDirectory.boolValue ? ": it is a directory" : "")")
            return false
        }
        if !loadedFiles.contains(path) { loadedFiles.append(path) }
        let outcome = evaluate(name: path, text: String(decoding: data, as: UTF8.self), isFile: true, echo: false)
        if case .success = outcome { return true }
        return false
    }

    /// Parses, checks, runs and reports one text; records what it declared.
    @discardableResult
    func evaluate(name: String, text: String, isFile: Bool, echo: Bool, show: ((Value) -> String)? = nil) -> Outcome {
        let session = self.session
        let source = session.addSource(name: name, text: text)
        let renderer = self.renderer, writeError = self.writeError
        session.reportWarnings = { warnings in writeError(warnings.map(renderer.render).joined()) }
        // A rejected input declares nothing: Session.run puts names and plan back. The log
        // is kept on the same large stack: it walks the input's tree, which may be deep.
        let outcome: Outcome = withLargeStack {
            let outcome = session.run(source, valueOfLastExpression: echo)
            switch outcome {
            case .success: log.record(source, isFile: isFile)
            case .failed(let error): log.record(source, isFile: isFile, stoppedAt: stoppingPoint(of: error, in: source))
            case .rejected: break
            }
            return outcome
        }
        switch outcome {
        case .success(let value):
            if let value, echo {
                if let show {
                    writeOutput(show(value) + "\n")
                } else if !value.isNil {
                    writeOutput(ValueDisplay.echo(value, width: width) + "\n")
                }
            }
        case .rejected(let diagnostics):
            status = max(status, 65)
            writeError(diagnostics.map(renderer.render).joined())
        case .failed(let error):
            status = max(status, 70)
            if error.diagnostic.kind == .interrupted { writeError(beforeInterruptReport) }
            writeError(renderer.render(error))
        }
        return outcome
    }

    var renderer: DiagnosticRenderer { DiagnosticRenderer(sources: session.sources, useColor: useColor) }

    /// Reports a meta command's or a file's problem, and counts it for the exit status.
    func fail(_ message: String) {
        status = max(status, 65)
        writeError(message + "\n")
    }

    /// Where in `source` the top-level statement that failed starts: the outermost
    /// call in the trace made from this source, or the error's own place.
    private func stoppingPoint(of error: RuntimeError, in source: SourceFile) -> Int32 {
        if let outer = error.trace.last(where: { $0.callSite.file == source.id }) { return outer.callSite.start }
        if error.diagnostic.span.file == source.id { return error.diagnostic.span.start }
        return 0
    }

    /// Starts afresh: a new session with no names and no loaded files.
    func reset() {
        session.machine.clear()
        session = ReplSession.makeSession(sink)
        log.clear()
        loadedFiles.removeAll()
        inputCount = 0
    }

    /// The kinds `:ls` filters by.
    func listingKinds() -> [String] {
        ["boolean", "date", "duration", "function", "list", "money", "number", "percentage", "record", "string", "symbol"]
            + Schema.kinds.map(\.name)
    }
}

/// The text a session prints goes through here, so that `writeOutput` can change
/// after the session was made.
private final class OutputSink {
    var write: (String) -> Void
    init(_ write: @escaping (String) -> Void) { self.write = write }
}

/// The closest of some names to a misspelt one, if it is close enough: at most one
/// edit (insert, delete, replace or swap two neighbours) per three letters.
func closest(to word: String, among names: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
    let typed = Array(word.lowercased())
    let scored = names.map { ($0, distance(typed, Array($0.lowercased()))) }.filter { $0.1 <= max(1, typed.count / 3) }
    return scored.min { $0.1 < $1.1 }?.0
}
