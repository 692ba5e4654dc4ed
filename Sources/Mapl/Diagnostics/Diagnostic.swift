// Diagnostics as values: a kind (with its facts), a span and a severity. Wording lives in
// DiagnosticMessages.swift, drawing in DiagnosticRenderer.swift.

public enum Severity: String, Sendable {
    case error, warning, note
}

/// A problem found in a plan or script, located by a span.
public struct Diagnostic: Error, Sendable {
    public var severity: Severity
    public var kind: DiagnosticKind
    public var span: Span
    /// Related places, e.g. where a duplicate name was first declared.
    public var notes: [Note]

    public struct Note: Sendable {
        public var span: Span
        public var message: String
    }

    public init(_ kind: DiagnosticKind, at span: Span, severity: Severity = .error, notes: [Note] = []) {
        self.kind = kind
        self.span = span
        self.severity = severity
        self.notes = notes
    }

    public var message: String { kind.message }
    public var hint: String? { kind.hint }
}

/// Every kind of problem mapl reports, at every phase. Each case carries the facts its
/// message needs; the words are chosen in one place (`message`, `hint`).
public enum DiagnosticKind: Sendable, Equatable {
    // Lexical
    case unexpectedCharacter(String)
    /// A file that is not text (binary data): one error for the whole file.
    case notText(reason: String)
    /// How many more syntax errors a file has beyond those shown.
    case moreErrors(Int)
    /// A run of characters that cannot start a token, reported once.
    case unexpectedCharacters(String)
    case invalidUTF8
    case unterminatedString
    case invalidEscape(String)
    case malformedNumber(String)
    case unknownSuffix(literal: String, suffix: String)
    case ambiguousSuffix(literal: String)
    case invalidDate(literal: String, reason: String)
    case malformedMoney(String)
    case numberTooLarge(String)

    // Syntax
    case expected(what: String, found: String)
    case expectedExpression(found: String)
    case nestingTooDeep(limit: Int)
    case expressionTooLong(limit: Int)
    /// Two values nested too deep to compare.
    case comparisonTooDeep(limit: Int)
    case invalidAssignmentTarget
    case callOnNewLine

    // Plan declarations
    case unknownField(kind: String, field: String, suggestion: String?)
    case missingField(kind: String, field: String)
    case duplicateField(String)
    case notOnScale(value: String, scale: String, suggestion: String?, values: [String])
    case unknownEntity(kind: String, id: String, suggestion: String?)
    case wrongFieldType(field: String, expected: String, found: String)
    case outOfRange(field: String, value: String, range: String)
    case singletonRedeclared(String)
    case idRequired(String)
    /// An import that cannot be read, and why ("no such file", "it is a directory").
    case importNotFound(String, reason: String)
    case importCycle(String, direct: Bool)
    /// `import "std/NAME"` for a module the standard library does not have (no
    /// modules at all: its files were not found).
    case stdlibModuleNotFound(String, modules: [String])
    case ruleViolation(rule: String, message: String)
    /// An expression statement that computes a value and throws it away.
    case idleStatement(startsWithSign: Bool)
    /// A finding of one of the built-in checks (PlanChecks.swift).
    case checkFinding(check: String, message: String, hint: String)
    case declarationInBlock(String)

    // Resolution and checks
    case undefinedName(String, suggestion: String?)
    case duplicateDeclaration(String)
    case duplicateKey(String)
    case wrongArity(name: String, expected: Arity, got: Int)
    case returnOutsideFunction
    case loopControlOutsideLoop(String)
    case controlFlowInValueIf(String)
    case assignToConstant(name: String, what: String)
    case usedBeforeDeclaration(String)

    // Runtime
    case typeMismatch(operation: String, left: String, right: String)
    /// Amounts in two currencies met in arithmetic or a comparison (codes, e.g. EUR).
    case currencyMismatch(operation: String, left: String, right: String)
    /// An amount in a currency the plan has no rate for (codes; `to` is the plan's).
    case noExchangeRate(from: String, to: String)
    /// The account names another currency after amounts were stored in the old one.
    case currencyChanged(from: String, to: String)
    case unaryTypeMismatch(operation: String, operand: String)
    case divisionByZero
    case notCallable(String)
    case indexOutOfRange(index: String, count: Int)
    case stringIndexOutOfRange(index: String, count: Int)
    case invalidIndex(container: String, index: String)
    case noSuchField(field: String, on: String, suggestion: String?)
    case assertionFailed(String?)
    case callDepthExceeded(limit: Int)
    case overflow(String)
    case sizeLimit(String)
    /// An evaluation took more memory than its budget (the budget, described).
    case memoryBudget(String)
    case notIterable(String)
    case invalidArgument(function: String, message: String)
    case conditionNotBool(String)
    case interrupted
}

/// How many arguments a function takes.
public struct Arity: Sendable, Equatable, CustomStringConvertible {
    public var min: Int
    public var max: Int?  // nil: any number beyond `min`

    public init(_ exactly: Int) { min = exactly; max = exactly }
    public init(min: Int, max: Int?) { self.min = min; self.max = max }

    public func accepts(_ count: Int) -> Bool {
        count >= min && (max.map { count <= $0 } ?? true)
    }

    public var description: String {
        func args(_ n: Int) -> String { n == 1 ? "1 argument" : "\(n) arguments" }
        switch max {
        case .some(let max) where max == min: return args(min)
        case .some(let max): return "\(min) to \(args(max))"
        case .none: return "at least \(args(min))"
        }
    }
}

/// An error that stops a running program: its diagnostic plus the calls it passed through.
public struct RuntimeError: Error, Sendable {
    public var diagnostic: Diagnostic
    /// Innermost call first: the function that was running and where it was called from.
    public var trace: [TraceFrame] {
        get { storage.frames }
        set { storage = TraceStorage(newValue) }
    }
    /// Shared, so that adding a frame while the error unwinds does not copy the trace
    /// at every level (which made deep recursion errors quadratic).
    private var storage = TraceStorage([])

    /// Adds the call the error is passing through.
    func appendTrace(_ frame: TraceFrame) { storage.frames.append(frame) }

    private final class TraceStorage: @unchecked Sendable {
        // Appended to only by the thread unwinding the error, before it is handed on.
        var frames: [TraceFrame]
        init(_ frames: [TraceFrame]) { self.frames = frames }
    }

    public struct TraceFrame: Sendable {
        public var function: String
        public var callSite: Span
    }

    public init(_ kind: DiagnosticKind, at span: Span) {
        diagnostic = Diagnostic(kind, at: span)
    }
}

extension RuntimeError {
    /// Whether this is Ctrl-C stopping the program (see `maplInterruptRequested`).
    var isInterruption: Bool { diagnostic.kind == .interrupted }
}

/// Lets plan checks return a kind as the failure of a `Result`.
extension DiagnosticKind: Error {}
