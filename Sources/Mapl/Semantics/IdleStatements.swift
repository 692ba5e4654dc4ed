// Lines that do nothing: an expression statement whose value is thrown away and that
// calls nothing, such as `  - 50k` on the line after `let total = 100k` (a line break
// ends a statement, so that line is a statement of its own). Reported as warnings; the
// program still runs.

enum IdleStatements {
    /// A warning for each statement of `programs` that computes a value, calls nothing
    /// and keeps nothing (nested blocks and function bodies included).
    static func find(in programs: [Program]) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for program in programs { scan(program.statements, into: &found) }
        return found
    }

    private static func scan(_ statements: [Stmt], into found: inout [Diagnostic]) {
        for statement in statements {
            switch statement.kind {
            case .expression(let expr):
                if case .conditional(_, let then, let otherwise) = expr.kind {
                    scan(then.statements, into: &found)
                    if let otherwise { scan(otherwise.statements, into: &found) }
                } else if callsNothing(expr) {
                    found.append(Diagnostic(.idleStatement(startsWithSign: startsWithSign(expr)), at: statement.span, severity: .warning))
                }
            case .function(let function): scan(function.body.statements, into: &found)
            case .forLoop(_, _, let body), .whileLoop(_, let body): scan(body.statements, into: &found)
            case .letBinding, .assignment, .returnStatement, .breakStatement, .continueStatement, .declaration, .rule, .importFile:
                break
            }
        }
    }

    /// Whether evaluating the expression can have no effect: literals, names, fields,
    /// lists and records, and operators over them. (A call, a query or a function might
    /// do something.)
    static func callsNothing(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .literal, .bool, .nilLiteral, .symbol, .variable: return true
        case .unary(_, let operand): return callsNothing(operand)
        case .binary(_, let left, let right), .range(let left, let right), .index(let left, let right):
            return callsNothing(left) && callsNothing(right)
        case .field(let object, _): return callsNothing(object)
        case .list(let items): return items.allSatisfy(callsNothing)
        case .record(let fields): return fields.allSatisfy { callsNothing($0.value) }
        case .interpolation(let parts):
            return parts.allSatisfy { part in
                if case .expression(let inner) = part { return callsNothing(inner) }
                return true
            }
        case .call, .function, .conditional, .comprehension, .query: return false
        }
    }

    /// Whether the statement begins with a sign (`- 50k`): most likely the rest of the
    /// line above.
    private static func startsWithSign(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .unary(.negate, _): return true
        case .binary(_, let left, _): return startsWithSign(left)
        case .unary, .literal, .bool, .nilLiteral, .symbol, .interpolation, .variable, .list, .record, .call, .index, .field,
             .function, .conditional, .comprehension, .range, .query:
            return false
        }
    }
}
