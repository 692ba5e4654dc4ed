// The syntax tree. Every node carries its span; resolver facts are kept in side tables
// keyed by the spans of names, so the tree stays plain syntax (for fmt, check and run).

/// A name as written, with where it was written.
public struct Name: Sendable, Equatable {
    public var text: String
    public var span: Span
}

public struct Expr: Sendable {
    public var kind: ExprKind
    public var span: Span
}

// Only the cases that hold an Expr directly are indirect: leaves (literals, names),
// the bulk of a plan's fields, need no box of their own.
public enum ExprKind: Sendable {
    case literal(Literal)
    case bool(Bool)
    case nilLiteral
    /// `.champion`: a symbol, the value of an enumerated scale.
    case symbol(String)
    /// `"text {expr} text"`: alternating text and expressions.
    case interpolation([InterpolationPart])
    case variable(Name)
    case list([Expr])
    case record([RecordField])
    indirect case unary(UnaryOperator, Expr)
    indirect case binary(BinaryOperator, Expr, Expr)
    indirect case call(callee: Expr, arguments: [Expr])
    indirect case index(Expr, Expr)
    indirect case field(Expr, Name)
    case function(FunctionDecl)
    /// `if c { … } else { … }`, used as a statement or for its value.
    indirect case conditional(condition: Expr, then: Block, otherwise: Block?)
    /// `[element for x in xs if condition]`
    indirect case comprehension(element: Expr, binding: LoopBinding, sequence: Expr, condition: Expr?)
    /// `a..b`: the integers from a to b inclusive.
    indirect case range(Expr, Expr)
    /// `items where …`, `items sort by …`: a query clause applied to a collection.
    indirect case query(Expr, QueryClause)
}

/// One clause of a query. Inside it, bare field names mean the current item's fields
/// and `it` is the item itself.
public struct QueryClause: Sendable {
    public var kind: QueryClauseKind
    /// From the clause word to its end; also identifies the clause's item variable.
    public var span: Span
}

public enum QueryClauseKind: Sendable {
    case filter(Expr)
    case sort([SortKey])
    case group(Expr)
    case select([RecordField])
    case take(Expr)
}

public struct SortKey: Sendable {
    public var key: Expr
    public var descending: Bool
}

public enum InterpolationPart: Sendable {
    case text(String)
    case expression(Expr)
}

public struct RecordField: Sendable {
    public var key: Name
    public var value: Expr
}

public enum UnaryOperator: Sendable {
    case negate, not
}

public enum BinaryOperator: Sendable {
    case add, subtract, multiply, divide, remainder
    case equal, notEqual, less, lessEqual, greater, greaterEqual
    case and, or, coalesce, contains

    /// The verb used in "cannot … a and b" messages.
    var verb: String {
        switch self {
        case .add: return "add"
        case .subtract: return "subtract"
        case .multiply: return "multiply"
        case .divide: return "divide"
        case .remainder: return "take the remainder of"
        case .equal, .notEqual: return "compare"
        case .less, .lessEqual, .greater, .greaterEqual: return "compare"
        case .and, .or: return "combine"
        case .coalesce: return "default"
        case .contains: return "look for"
        }
    }
}

/// `x` or `key, value` in `for` loops and comprehensions.
public struct LoopBinding: Sendable {
    public var first: Name
    public var second: Name?
}

/// A function literal or declaration. A class so that resolver facts can refer to it
/// by identity and the tree stays cheap to pass around.
public final class FunctionDecl: Sendable {
    public let name: Name?
    public let parameters: [Name]
    public let body: Block
    /// From `fn` to the end of the body.
    public let span: Span

    public init(name: Name?, parameters: [Name], body: Block, span: Span) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.span = span
    }
}

public struct Block: Sendable {
    public var statements: [Stmt]
    public var span: Span
}

public struct Stmt: Sendable {
    public var kind: StmtKind
    public var span: Span
}

// Cases holding expressions are indirect, so that a statement is 24 bytes, not 144: a
// plan is mostly declarations (a reference each), and a large one has a million.
public enum StmtKind: Sendable {
    indirect case expression(Expr)
    indirect case letBinding(Name, Expr)
    case function(FunctionDecl)
    indirect case assignment(target: Expr, op: BinaryOperator?, value: Expr)
    indirect case forLoop(LoopBinding, sequence: Expr, body: Block)
    indirect case whileLoop(condition: Expr, body: Block)
    indirect case returnStatement(Expr?)
    case breakStatement
    case continueStatement
    /// `stakeholder dana "Dana Wright" { … }`: a plan entity (a row of the file's
    /// `DeclarationTable`).
    case declaration(Declaration)
    /// `rule id "title" for x in xs { when: …, expect: …, message: … }`
    case rule(RuleDecl)
    /// `import "people.mapl"`
    case importFile(String)
}

/// A methodology rule, checked by `mapl check` for every item of its collection.
public final class RuleDecl: Sendable {
    public let id: Name
    public let title: String?
    public let binding: Name
    public let sequence: Expr
    /// Only items for which `when` is true are checked (all when absent).
    public let when: Expr?
    /// What must hold for each checked item.
    public let expect: Expr
    /// The warning text (the title when absent).
    public let message: Expr?
    public let span: Span
    /// `rule ID = expression`: each item of the sequence is a finding (a violation);
    /// binding and expect are placeholders.
    public let reportsFindings: Bool

    public init(id: Name, title: String?, binding: Name, sequence: Expr, when: Expr?, expect: Expr, message: Expr?, span: Span, reportsFindings: Bool = false) {
        self.reportsFindings = reportsFindings
        self.id = id
        self.title = title
        self.binding = binding
        self.sequence = sequence
        self.when = when
        self.expect = expect
        self.message = message
        self.span = span
    }
}

/// A parsed source text.
public struct Program: Sendable {
    public var statements: [Stmt]
    public var file: FileID
}
