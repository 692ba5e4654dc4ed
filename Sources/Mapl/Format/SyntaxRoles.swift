// What the formatter needs to know from the syntax tree: where statements start, and
// which `{` opens a block and which a record. Tokens alone cannot tell these apart.

/// Byte offsets of the tokens that play a role the formatter lays out differently.
struct SyntaxRoles {
    /// The first token of every statement (a line starting there is not a continuation).
    var statementStarts: Set<Int32> = []
    /// The `{` of every statement block (function bodies, loops, `if` branches).
    var blockStarts: Set<Int32> = []
    /// The first token of every record literal's span (a `{`, or the `(` around it).
    var recordStarts: Set<Int32> = []
    /// Queries, outermost first in each chain: the span of the whole query and where
    /// each of its clauses that may start a line (`where`, `sort by`, `group by`) begins.
    var queries: [(span: Span, breaks: [Int32])] = []
    /// The spans of `sort by` and `select` clauses: their commas separate sort keys and
    /// selected fields, not the items of the bracket around the query.
    var listClauses: [Span] = []

    init(_ program: Program) {
        for statement in program.statements { visit(statement) }
    }

    private mutating func visit(_ statement: Stmt) {
        statementStarts.insert(statement.span.start)
        switch statement.kind {
        case .expression(let expr): visit(expr)
        case .letBinding(_, let value): visit(value)
        case .function(let function): visit(function)
        case .assignment(let target, _, let value):
            visit(target)
            visit(value)
        case .forLoop(_, let sequence, let body):
            visit(sequence)
            visit(body)
        case .whileLoop(let condition, let body):
            visit(condition)
            visit(body)
        case .returnStatement(let value):
            if let value { visit(value) }
        case .breakStatement, .continueStatement, .importFile:
            break
        case .declaration(let declaration):
            for field in declaration.fields { visit(field.value) }
        case .rule(let rule):
            visit(rule.sequence)
            if let when = rule.when { visit(when) }
            visit(rule.expect)
            if let message = rule.message { visit(message) }
        }
    }

    private mutating func visit(_ function: FunctionDecl) {
        visit(function.body)
    }

    /// A block written with braces starts before its first statement; the parser also
    /// builds blocks without braces (`fn(x) => x`, `else if`), whose span is the
    /// statement's own: those contribute no `{` and no statement start of their own.
    private mutating func visit(_ block: Block) {
        if let first = block.statements.first, first.span.start == block.span.start {
            for statement in block.statements {
                switch statement.kind {
                case .returnStatement(let value): if let value { visit(value) }
                case .expression(let expr): visit(expr)
                case .letBinding, .function, .assignment, .forLoop, .whileLoop, .breakStatement,
                     .continueStatement, .declaration, .rule, .importFile:
                    visit(statement)
                }
            }
            return
        }
        blockStarts.insert(block.span.start)
        for statement in block.statements { visit(statement) }
    }

    private mutating func visit(_ expr: Expr) {
        switch expr.kind {
        case .literal, .bool, .nilLiteral, .symbol, .variable:
            break
        case .interpolation(let parts):
            for part in parts {
                switch part {
                case .text: break
                case .expression(let inner): visit(inner)
                }
            }
        case .list(let items):
            for item in items { visit(item) }
        case .record(let fields):
            recordStarts.insert(expr.span.start)
            for field in fields { visit(field.value) }
        case .unary(_, let operand):
            visit(operand)
        case .binary(_, let left, let right), .range(let left, let right), .index(let left, let right):
            visit(left)
            visit(right)
        case .call(let callee, let arguments):
            visit(callee)
            for argument in arguments { visit(argument) }
        case .field(let base, _):
            visit(base)
        case .function(let function):
            visit(function)
        case .conditional(let condition, let then, let otherwise):
            visit(condition)
            visit(then)
            if let otherwise { visit(otherwise) }
        case .comprehension(let element, _, let sequence, let condition):
            visit(element)
            visit(sequence)
            if let condition { visit(condition) }
        case .query:
            // A chain `xs where … sort by …` nests left: walk down to its base once.
            var breaks: [Int32] = []
            var current = expr
            while case .query(let base, let clause) = current.kind {
                visit(clause)
                switch clause.kind {
                case .filter, .sort, .group: breaks.append(clause.span.start)
                case .select, .take: break  // these must stay on their line unless a query continues
                }
                current = base
            }
            visit(current)
            queries.append((expr.span, breaks.reversed()))
        }
    }

    private mutating func visit(_ clause: QueryClause) {
        switch clause.kind {
        case .filter(let condition): visit(condition)
        case .sort(let keys):
            listClauses.append(clause.span)
            for key in keys { visit(key.key) }
        case .group(let key): visit(key)
        case .select(let items):
            listClauses.append(clause.span)
            for item in items { visit(item.value) }
        case .take(let count): visit(count)
        }
    }
}
