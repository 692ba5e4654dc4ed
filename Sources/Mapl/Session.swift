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
    public let sources = SourceMap()
    public let globals = GlobalScope()
    public let machine: Machine
    /// The REPL may declare a top-level name again; a file may not.
    public var allowRedeclaration = false

    public init(output: @escaping (String) -> Void, today: Day = Session.today()) {
        machine = Machine(output: output, today: today)
        argumentsSlot = globals.declare("args", isFunction: false, arity: nil, span: Span(file: -1, start: 0, end: 0), initialized: true)
        machine.reserveGlobals(globals.count)
        machine.globals[argumentsSlot] = .list(ListObject([]))
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

    /// Lexes, parses and resolves without running: what `mapl check` does.
    public func check(_ source: SourceFile) -> [Diagnostic] {
        let (program, syntaxErrors) = Parser.parse(source)
        if !syntaxErrors.isEmpty { return syntaxErrors }
        // Checking must not declare anything in the session, so resolve against a copy.
        let (_, resolveErrors) = Resolver.resolve(program, globals: GlobalScope(), allowRedeclaration: allowRedeclaration)
        return resolveErrors
    }

    /// Runs a source text through the whole pipeline.
    /// - Parameter valueOfLastExpression: report the value of a final expression statement
    ///   (the REPL prints it).
    public func run(_ source: SourceFile, valueOfLastExpression: Bool = false) -> Outcome {
        let (program, syntaxErrors) = Parser.parse(source)
        if !syntaxErrors.isEmpty { return .rejected(syntaxErrors) }
        let (resolution, resolveErrors) = Resolver.resolve(program, globals: globals, allowRedeclaration: allowRedeclaration)
        if !resolveErrors.isEmpty { return .rejected(resolveErrors) }
        machine.reserveGlobals(globals.count)
        let compiler = Compiler(machine: machine, resolution: resolution)
        var statements = program.statements
        var finalExpression: ExprCode?
        if valueOfLastExpression, let last = statements.last, case .expression(let expr) = last.kind {
            statements.removeLast()
            finalExpression = compiler.compileExprAtTopLevel(expr, frameSize: resolution.mainFrameSize)
        }
        let code = compiler.compileProgram(Program(statements: statements, file: program.file))
        let frame = machine.stack
        do {
            maplInterruptRequested.store(false, ordering: .relaxed)
            machine.depth = 0
            _ = try code(frame)
            let value = try finalExpression?(frame)
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

extension Compiler {
    /// Compiles a top-level expression whose value the caller wants.
    func compileExprAtTopLevel(_ expr: Expr, frameSize: Int) -> ExprCode {
        self.frameSize = frameSize
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
            handoff.work?()
            done.signal()
        }
        thread.stackSize = bytes
        thread.start()
        done.wait()
        handoff.work = nil
        guard let result else { preconditionFailure("large-stack thread did not run") }
        return result
    }
}

/// Carries a closure to the large-stack thread; see `withLargeStack`.
private final class Handoff: @unchecked Sendable {
    var work: (() -> Void)?
}
