// The pipeline in one place: lex → parse → resolve → compile → run, stopping between
// phases on error. A session keeps globals across runs (for the REPL and `:load`).

import Foundation

/// What running a source text came to.
public enum Outcome {
    /// Ran to the end; the value of a final expression statement when asked for.
    case success(Value?)
    /// Lexing, parsing or resolving failed; nothing ran.
    case rejected([Diagnostic])
    /// Stopped by an error while running.
    case failed(RuntimeError)
}

/// One interpreter session: its sources, global names and machine.
public final class Session {
    public let sources: SourceMap
    /// The global names and their slots. A plan opened with `open_plan` gives its own
    /// up once set up (see `settleOpenedPlan`): nothing resolves names in it again.
    public internal(set) var globals = GlobalScope()
    public let machine: Machine
    /// The REPL may declare a top-level name again; a file may not.
    public var allowRedeclaration = false
    /// Receives the warnings about a program (lines that do nothing) once it is ready,
    /// before it runs; by default they are dropped.
    public var reportWarnings: ([Diagnostic]) -> Void = { _ in }
    /// The warnings about the program last prepared.
    var warnings: [Diagnostic] = []

    public convenience init(output: @escaping (String) -> Void, today: Day = Session.today()) {
        self.init(output: output, today: today, sources: SourceMap())
    }

    init(output: @escaping (String) -> Void, today: Day, sources: SourceMap, sharingStackOf other: Machine? = nil) {
        self.sources = sources
        machine = Machine(output: output, today: today, sharingStackOf: other)
        argumentsSlot = globals.declare("args", isFunction: false, arity: nil, span: Span(file: -1, start: 0, end: 0), initialized: true)
        machine.reserveGlobals(globals.count)
        machine.globals[argumentsSlot] = .list(ListObject([]))
        machine.globalIsSet[argumentsSlot] = true
        machine.session = self
    }

    private let argumentsSlot: Int

    /// The script's command-line words, visible to programs as the list `args`.
    public var arguments: [String] = [] {
        didSet { machine.globals[argumentsSlot] = .list(ListObject(ContiguousArray(arguments.map { .string($0) }))) }
    }

    /// Today's date, or MAPL_TODAY when set (so examples print stable output).
    public static func today(environment: [String: String] = ProcessInfo.processInfo.environment) -> Day {
        if let fixed = environment["MAPL_TODAY"] {
            let parts = fixed.split(separator: "-").compactMap { Int($0) }
            if parts.count == 3, let day = Day(year: parts[0], month: parts[1], day: parts[2]) { return day }
        }
        let seconds = Int(Date().timeIntervalSince1970)
        return Day(ordinal: Int32(seconds / 86_400))
    }

    /// Registers a source text with this session.
    public func addSource(name: String, text: String) -> SourceFile {
        sources.add(name: name, text: text)
    }

    /// Registers a source read as bytes (a large plan is kept as one copy of its bytes).
    public func addSource(name: String, bytes: [UInt8]) -> SourceFile {
        sources.add(name: name, bytes: bytes)
    }

    /// Registers a source read from a file or stream (see `SourceBytes.contents(ofFile:)`).
    /// - Parameter path: the file it was read from, so that `check(file:)` can let the
    ///   text go and read it again for a message; nil for a stream.
    public func addSource(name: String, bytes: SourceBytes, readFrom path: String? = nil) -> SourceFile {
        sources.add(name: name, bytes: bytes, readFrom: path)
    }

    /// Called with the throwaway session `check` makes, before it is used: the fuzz
    /// harness and the tests hold it weakly to see that it is freed.
    public var onScratchSession: ((Session) -> Void)?

    /// Files already loaded through `import`, by path, so each loads once.
    private var importedFiles: Set<String> = []
    /// Plans opened with `open_plan`, by canonical path (see OpenPlan.swift).
    var openedPlans: [String: Session] = [:]
    /// The files being opened with `open_plan` around this session, to stop a cycle.
    var openingChain: [String] = []
    /// The file behind a source whose shown name is not its path (`std/NAME`).
    private var filePaths: [FileID: String] = [:]
    /// Whether a loaded source is a module of the standard library (`import "std/…"`),
    /// whatever its shown name.
    public func isStandardLibrary(_ file: FileID) -> Bool { filePaths[file] != nil }

    /// Texts to use instead of files on disk, by canonical path: an editor's unsaved
    /// changes to files the plan imports.
    public var unsavedFiles: [String: String] = [:]
    /// Keeps what a program with errors declared (an editor asks about a plan while it
    /// is being typed, errors and all); a session that runs code never sets it.
    public var keepsPlanWithErrors = false

    /// Checks a plan without running its statements: syntax, names, every declaration
    /// against the schema, then the plan's rules (their violations are warnings).
    /// Nothing is declared in this session.
    public func check(_ source: SourceFile) -> [Diagnostic] { check(.held(source)) }

    /// `check`, of this session's source `id`: once the file and its imports are lexed
    /// and parsed, the texts read from files are let go (`SourceMap.release`; a large
    /// plan's text is a tenth of what checking it takes at its peak) and read again for
    /// the messages. The caller must hold no `SourceFile` of them for that to free
    /// anything; a text not read from a file (stdin, an editor's) stays in memory.
    public func check(file id: FileID) -> [Diagnostic] { check(.lettingGo(id)) }

    private func check(_ input: PipelineInput) -> [Diagnostic] {
        MemoryBudget.startEvaluation()
        let scratch = Session(output: { _ in }, today: machine.today, sources: sources)
        onScratchSession?(scratch)
        // (Its code holds its machine: the cycles are broken for it to be freed.)
        defer { scratch.machine.clear() }
        scratch.allowRedeclaration = allowRedeclaration
        switch scratch.prepare(input) {
        case .failure(let diagnostics): return diagnostics.list
        // Nothing runs in the scratch session: its rules may start at the stack base.
        case .success: return Session.inSourceOrder(scratch.warnings + scratch.machine.checkPlan(top: scratch.machine.stack))
        }
    }

    /// Loads the source and its imports, resolves, compiles and sets up the plan, running
    /// the plan's code in frames from `base` (the stack's base, or for a plan opened by a
    /// running program the caller's first free slot).
    func prepare(_ source: SourceFile, valueOfLastExpression: Bool = false, from base: Frame? = nil) -> Result<(StmtCode, ExprCode?), Diagnostics> {
        prepare(.held(source), valueOfLastExpression: valueOfLastExpression, from: base)
    }

    private func prepare(_ input: PipelineInput, valueOfLastExpression: Bool = false, from base: Frame? = nil) -> Result<(StmtCode, ExprCode?), Diagnostics> {
        // A rejected program declares nothing: the global names are put back as they were.
        machine.prepareStackGuard()
        warnings = []
        let saved = globals.snapshot()
        let savedPlan = machine.plan.snapshot()
        let imported = importedFiles
        let base = base ?? machine.stack
        let result = Result { () throws(Diagnostics) in try pipeline(input, valueOfLastExpression: valueOfLastExpression, from: base) }
        if case .failure = result, !keepsPlanWithErrors {
            globals.restore(saved)
            machine.plan.restore(savedPlan)
            importedFiles = imported
        }
        return result
    }

    /// The pipeline, each phase stopping the run when it finds errors: lex and parse the
    /// file and its imports, resolve every name to a slot, compile the trees to closures,
    /// then set up the plan (declare the entities, fill in their fields, register the
    /// rules). What it gives back runs the statements.
    private func pipeline(_ input: PipelineInput, valueOfLastExpression: Bool, from base: Frame) throws(Diagnostics) -> (StmtCode, ExprCode?) {
        var programs = try lexAndParse(input)
        let (resolution, compiler) = try resolve(programs, input.id, from: base)
        let finalExpression = valueOfLastExpression ? compiler.takeFinalExpression(from: &programs, resolution) : nil
        warnings = IdleStatements.find(in: programs)
        let compiled = compiler.compileProgram(programs, replaceEntities: allowRedeclaration)
        // The statements are compiled: their list (a statement per declaration, a million
        // in a large plan) goes before the plan is filled, when memory peaks.
        programs = []
        try setUpPlan(compiled, from: base)
        return (compiled.body, finalExpression)
    }

    /// Lexing and parsing: the source and, first, the files it imports. Then the texts
    /// of an input to let go are let go (the parsed program refers to them by offset).
    private func lexAndParse(_ input: PipelineInput) throws(Diagnostics) -> [Program] {
        var programs: [Program] = []
        var problems: [Diagnostic] = []
        switch input {
        case .held(let source):
            load(source, importedFrom: [], into: &programs, problems: &problems)
        case .lettingGo(let id):
            // (Looked up here, so that once this returns only the source map holds it.)
            guard let source = sources.file(id) else {
                throw Diagnostics([Diagnostic(.notText(reason: "it is not a source of this session"), at: Span(file: id, start: 0, end: 0))])
            }
            load(source, importedFrom: [], into: &programs, problems: &problems)
        }
        if case .lettingGo(let id) = input { sources.release(id..<FileID(sources.count)) }
        if !problems.isEmpty { throw Diagnostics(problems) }
        return programs
    }

    /// Resolving: every name to a slot; a compiler for the programs once it is done.
    private func resolve(_ programs: [Program], _ file: FileID, from base: Frame) throws(Diagnostics) -> (Resolution, Compiler) {
        let (resolution, resolveErrors) = Resolver.resolve(programs, globals: globals, allowRedeclaration: allowRedeclaration)
        machine.reserveGlobals(globals.count)
        let start = Span(file: file, start: 0, end: 0)
        do {
            try machine.reserve(base + resolution.mainFrameSize + 8, start)
        } catch {
            throw Diagnostics([Diagnostic(.nestingTooDeep(limit: Machine.stackCapacity), at: start)])
        }
        let compiler = Compiler(machine: machine, resolution: resolution)
        if !resolveErrors.isEmpty {
            // Still fill in the plan, to report its value errors in the same run; a
            // place that already has a name error is not reported twice.
            let planProblems = compiler.compileProgram(programs, replaceEntities: allowRedeclaration).setup(base)
            let reported = Set(resolveErrors.map { SpanKeyValue($0.span) })
            let extra = planProblems.filter { problem in
                !reported.contains(SpanKeyValue(problem.span)) && !resolveErrors.contains { error in
                    error.span.file == problem.span.file && error.span.start >= problem.span.start && error.span.end <= problem.span.end
                }
            }
            throw Diagnostics(Session.inSourceOrder(resolveErrors + extra))
        }
        return (resolution, compiler)
    }

    /// Setting up the plan: entities declared, fields filled in and checked, rules registered.
    /// (The call depth is put back after: a plan opened by a running program is set up on
    /// that program's stack, in the middle of its calls.)
    private func setUpPlan(_ compiled: CompiledProgram, from base: Frame) throws(Diagnostics) {
        let depth = machine.depth
        machine.depth = 0
        defer { machine.depth = depth }
        let problems = compiled.setup(base)
        machine.plan.trim()
        if !problems.isEmpty { throw Diagnostics(problems) }
    }

    /// Lexes and parses a file and, first, the files it imports (each once; cycles
    /// reported). The parser pulls tokens from the file's lexer a chunk at a time.
    private func load(_ source: SourceFile, importedFrom chain: [String], into programs: inout [Program], problems: inout [Diagnostic]) {
        if let reason = Session.notText(source) {
            problems.append(Diagnostic(.notText(reason: reason), at: Span(file: source.id, start: 0, end: 0)))
            return
        }
        let (program, syntaxErrors) = Parser.parse(source, lexer: Lexer(source: source))
        problems += Session.capped(syntaxErrors)
        let ownPath = filePaths[source.id] ?? source.name
        let directory = ownPath.hasPrefix("<") ? "" : PathNames.directory(of: ownPath)
        for statement in program.statements {
            guard case .importFile(let path) = statement.kind else { continue }
            let module = Stdlib.moduleName(ofImport: path)
            var full = path.hasPrefix("/") || directory.isEmpty ? path : directory + "/" + path
            if let module {
                guard let found = Stdlib.path(ofModule: module) else {
                    problems.append(Diagnostic(.stdlibModuleNotFound(path, modules: Stdlib.modules), at: statement.span))
                    continue
                }
                full = found
            }
            let key = Session.canonicalPath(full)
            let own = Session.canonicalPath(ownPath)
            if chain.contains(key) || key == own {
                problems.append(Diagnostic(.importCycle(path, direct: key == own), at: statement.span))
                continue
            }
            if importedFiles.contains(key) { continue }
            let bytes: SourceBytes
            var readFrom: String?
            if let unsaved = unsavedFiles[key] {
                bytes = SourceBytes(Array(unsaved.utf8))
            } else {
                switch SourceBytes.contents(ofFile: full) {
                case .success(let read): (bytes, readFrom) = (read, full)
                case .failure(let error):
                    problems.append(Diagnostic(.importNotFound(path, reason: error.reason), at: statement.span))
                    continue
                }
            }
            importedFiles.insert(key)
            // A standard-library module is shown as `std/NAME`, wherever its file is.
            let file = sources.add(name: module.map(Stdlib.sourceName) ?? full, bytes: bytes, readFrom: readFrom)
            if module != nil { filePaths[file.id] = full }
            load(file, importedFrom: chain + [own], into: &programs, problems: &problems)
        }
        programs.append(program)
    }

    /// Diagnostics sorted by file and position, as a reader goes through the files.
    /// At most this many syntax errors are shown per file; the rest are counted.
    static let syntaxErrorLimit = 50

    /// A file's syntax errors, the first `syntaxErrorLimit` and then one that counts the rest.
    static func capped(_ errors: [Diagnostic]) -> [Diagnostic] {
        guard errors.count > syntaxErrorLimit else { return errors }
        let kept = errors.prefix(syntaxErrorLimit)
        return Array(kept) + [Diagnostic(.moreErrors(errors.count - syntaxErrorLimit), at: errors[syntaxErrorLimit].span)]
    }

    /// Why a source is not text at all (NUL bytes; mostly not UTF-8), or nil: such a file
    /// is one error, not one per byte.
    static func notText(_ source: SourceFile) -> String? {
        // (Every file is read through here: memchr skips ahead many bytes at a time, so a
        // plain ASCII plan costs two passes that find nothing.)
        source.bytes.withUnsafeBufferPointer { bytes -> String? in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
            if memchr(base, 0, bytes.count) != nil { return "it holds NUL bytes" }
            // Ill-formed UTF-8 was repaired to U+FFFD (EF BF BD) when the file was read.
            var repaired = 0, offset = 0
            while offset < bytes.count, let found = memchr(base + offset, 0xEF, bytes.count - offset) {
                let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if index + 2 < bytes.count, bytes[index + 1] == 0xBF, bytes[index + 2] == 0xBD { repaired += 1 }
                offset = index + 1
            }
            return repaired * 3 * 4 > bytes.count ? "most of it is not UTF-8" : nil
        }
    }

    static func inSourceOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            (a.element.span.file, a.element.span.start, a.offset) < (b.element.span.file, b.element.span.start, b.offset)
        }.map(\.element)
    }

    /// An absolute path with `.` and `..` resolved, so one file imported by two routes
    /// (`a/../b.mapl`, `b.mapl`) is loaded once.
    public static func canonicalPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Runs a source text through the whole pipeline.
    /// - Parameter valueOfLastExpression: report the value of a final expression statement
    ///   (the REPL prints it).
    public func run(_ source: SourceFile, valueOfLastExpression: Bool = false) -> Outcome {
        machine.interruptFlag.store(false, ordering: .relaxed)
        MemoryBudget.startEvaluation()
        let prepared: (StmtCode, ExprCode?)
        switch prepare(source, valueOfLastExpression: valueOfLastExpression) {
        case .failure(let problems): return .rejected(problems.list)
        case .success(let code): prepared = code
        }
        if !warnings.isEmpty { reportWarnings(warnings) }
        let frame = machine.stack
        do {
            machine.depth = 0
            _ = try prepared.0(frame)
            let value = try prepared.1?(frame)
            return .success(value)
        } catch let error as RuntimeError {
            machine.depth = 0
            return .failed(error)
        } catch {
            machine.depth = 0
            return .failed(RuntimeError(.invalidArgument(function: "internal", message: "\(error)"), at: Span(file: source.id, start: 0, end: 0)))
        }
    }
}

/// The text a pipeline starts from.
enum PipelineInput {
    /// A text the caller holds (it stays in memory).
    case held(SourceFile)
    /// One of the session's sources, to be let go once it and its imports are parsed
    /// (see `Session.check(file:)`).
    case lettingGo(FileID)

    var id: FileID {
        switch self {
        case .held(let source): return source.id
        case .lettingGo(let id): return id
        }
    }
}

/// Diagnostics as an error, so that `Result` can carry them.
struct Diagnostics: Error {
    let list: [Diagnostic]
    init(_ list: [Diagnostic]) { self.list = list }
}

extension Compiler {
    /// Takes a final expression statement out of the last program and compiles it, for
    /// a caller that wants its value (the REPL prints it).
    func takeFinalExpression(from programs: inout [Program], _ resolution: Resolution) -> ExprCode? {
        guard var last = programs.popLast() else { return nil }
        defer { programs.append(last) }
        guard let statement = last.statements.last, case .expression(let expr) = statement.kind else { return nil }
        last.statements.removeLast()
        frameSize = resolution.mainFrameSize
        return compileExpr(expr)
    }
}

/// Runs `body` on a thread with a large stack, so deep (bounded) recursion in the
/// parser, compiler and interpreter cannot overflow the small default stack.
public func withLargeStack<T>(bytes: Int = 1 << 30, _ body: () -> T) -> T {
    return withoutActuallyEscaping(body) { escapable in
        var result: T?
        let handoff = Handoff()
        // The thread runs strictly between start() and wait(), so the non-Sendable
        // closure and result are never touched by two threads at once.
        handoff.work = { result = escapable() }
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            Thread.current.threadDictionary[largeStackKey] = bytes
            handoff.work?()
            done.signal()
        }
        thread.stackSize = bytes
        thread.start()
        done.wait()
        handoff.work = nil
        // The thread always runs before `done` is signalled; should it ever not have,
        // the work runs here instead of failing.
        return result ?? escapable()
    }
}

/// Carries a closure to the large-stack thread; see `withLargeStack`.
private final class Handoff: @unchecked Sendable {
    var work: (() -> Void)?
}

/// The thread-dictionary key under which `withLargeStack` records its stack size.
let largeStackKey = "mapl.stackBytes"
