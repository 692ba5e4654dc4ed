// Specialised code for the commonest arithmetic and comparisons: when both operands
// are numbers the work is done inline, and operands that are a local variable or a
// number literal are read directly instead of through a closure call. Anything else
// falls back to the general unit-aware rules in Operators.

extension Compiler {
    /// The operators with a numeric fast path.
    enum NumericOp {
        case add, subtract, multiply, divide, remainder, less, lessEqual, greater, greaterEqual, equal, notEqual

        init?(_ op: BinaryOperator) {
            switch op {
            case .add: self = .add
            case .subtract: self = .subtract
            case .multiply: self = .multiply
            case .less: self = .less
            case .lessEqual: self = .lessEqual
            case .greater: self = .greater
            case .greaterEqual: self = .greaterEqual
            case .equal: self = .equal
            case .notEqual: self = .notEqual
            case .divide: self = .divide
            case .remainder: self = .remainder
            case .and, .or, .coalesce, .contains: return nil
            }
        }

        var isComparison: Bool {
            switch self {
            case .add, .subtract, .multiply, .divide, .remainder: return false
            case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: return true
            }
        }

        /// The result for two numbers; nil where the general rule must decide (÷ 0).
        @inline(__always)
        func value(_ x: Double, _ y: Double) -> Value? {
            switch self {
            case .add: return .number(x + y)
            case .subtract: return .number(x - y)
            case .multiply: return .number(x * y)
            case .divide: return y == 0 ? nil : .number(x / y)
            case .remainder:
                return y == 0 ? nil : .number(Operators.floorRemainder(x, y))
            case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: return .bool(truth(x, y))
            }
        }

        @inline(__always)
        func truth(_ x: Double, _ y: Double) -> Bool {
            switch self {
            case .less: return x < y
            case .lessEqual: return x <= y
            case .greater: return x > y
            case .greaterEqual: return x >= y
            case .equal: return x == y
            case .notEqual: return x != y
            case .add, .subtract, .multiply, .divide, .remainder: return false
            }
        }

        /// The general rule, for operands that are not both numbers.
        func slow(_ op: BinaryOperator, _ a: Value, _ b: Value, _ span: Span) throws -> Value {
            switch self {
            case .add: return try Operators.add(a, b, span)
            case .subtract: return try Operators.subtract(a, b, span)
            case .multiply: return try Operators.multiply(a, b, span)
            case .divide: return try Operators.divide(a, b, span)
            case .remainder: return try Operators.remainder(a, b, span)
            case .equal: return .bool(try a.equals(b, at: span))
            case .notEqual: return .bool(!(try a.equals(b, at: span)))
            case .less, .lessEqual, .greater, .greaterEqual: return .bool(try Operators.compare(op, a, b, span))
            }
        }
    }

    /// How an operand is read.
    enum Operand {
        case local(Int)
        case number(Double)
        case code(ExprCode)
    }

    func operand(_ expr: Expr) -> Operand {
        switch expr.kind {
        case .literal(.number(let n)): return .number(n)
        case .variable(let name):
            if case .local(let variable)? = resolution.reference(name), !variable.isCaptured { return .local(variable.slot) }
            return .code(compileExpr(expr))
        case .literal, .bool, .nilLiteral, .symbol, .interpolation, .list, .record, .unary, .binary, .call, .index, .field,
             .function, .conditional, .comprehension, .range, .query:
            return .code(compileExpr(expr))
        }
    }

    /// `a op b` for an operator with a numeric fast path, or nil for other operators.
    func compileNumeric(_ op: BinaryOperator, _ leftExpr: Expr, _ rightExpr: Expr, span: Span) -> ExprCode? {
        guard let fast = NumericOp(op) else { return nil }
        switch (operand(leftExpr), operand(rightExpr)) {
        case (.local(let slot), .number(let y)):
            let constant = Value.number(y)
            return { frame in
                if case .number(let x) = frame[slot], let result = fast.value(x, y) { return result }
                return try fast.slow(op, frame[slot], constant, span)
            }
        case (.code(let left), .number(let y)):
            let constant = Value.number(y)
            return { frame in
                let a = try left(frame)
                if case .number(let x) = a, let result = fast.value(x, y) { return result }
                return try fast.slow(op, a, constant, span)
            }
        case (.local(let a), .local(let b)):
            return { frame in
                if case .number(let x) = frame[a], case .number(let y) = frame[b], let result = fast.value(x, y) { return result }
                return try fast.slow(op, frame[a], frame[b], span)
            }
        case (let l, let r):
            let left = code(l), right = code(r)
            return { frame in
                let a = try left(frame), b = try right(frame)
                if case .number(let x) = a, case .number(let y) = b, let result = fast.value(x, y) { return result }
                return try fast.slow(op, a, b, span)
            }
        }
    }

    /// A comparison used as a condition, giving a Bool without making a Value.
    func compileNumericCondition(_ op: BinaryOperator, _ leftExpr: Expr, _ rightExpr: Expr, span: Span) -> ((Frame) throws -> Bool)? {
        guard let fast = NumericOp(op), fast.isComparison else { return nil }
        func truth(_ value: Value) -> Bool {
            if case .bool(let b) = value { return b }
            return false
        }
        switch (operand(leftExpr), operand(rightExpr)) {
        case (.local(let slot), .number(let y)):
            let constant = Value.number(y)
            return { frame in
                if case .number(let x) = frame[slot] { return fast.truth(x, y) }
                return truth(try fast.slow(op, frame[slot], constant, span))
            }
        case (.code(let left), .number(let y)):
            let constant = Value.number(y)
            return { frame in
                let a = try left(frame)
                if case .number(let x) = a { return fast.truth(x, y) }
                return truth(try fast.slow(op, a, constant, span))
            }
        case (let l, let r):
            let left = code(l), right = code(r)
            return { frame in
                let a = try left(frame), b = try right(frame)
                if case .number(let x) = a, case .number(let y) = b { return fast.truth(x, y) }
                return truth(try fast.slow(op, a, b, span))
            }
        }
    }

    private func code(_ operand: Operand) -> ExprCode {
        switch operand {
        case .local(let slot): return { frame in frame[slot] }
        case .number(let n):
            let value = Value.number(n)
            return { _ in value }
        case .code(let code): return code
        }
    }
}
