// Closure compilation of expressions: literals, variables, operators, collections,
// functions and comprehensions (calls: CompilerCalls.swift; fields and indexing:
// CompilerFields.swift).

extension Compiler {
    func compileExpr(_ expr: Expr) -> ExprCode {
        let span = expr.span
        switch expr.kind {
        case .literal(.money(let amount)):
            // In the plan's currency, known once the plan is filled (after compiling).
            let plan = machine.plan
            return { _ in
                switch plan.money.inPlanCurrency(amount) {
                case .success(let converted): return .money(converted)
                case .failure(let problem): throw RuntimeError(problem, at: span)
                }
            }
        case .literal(let literal):
            let value = Compiler.value(of: literal)
            return { _ in value }
        case .bool(let value):
            return { _ in .bool(value) }
        case .nilLiteral:
            return { _ in .nil }
        case .symbol(let name):
            return { _ in .symbol(name) }
        case .interpolation(let parts):
            return compileInterpolation(parts, span: span)
        case .variable(let name):
            return compileVariable(name)
        case .list(let items):
            return compileList(items)
        case .record(let fields):
            return compileRecord(fields)
        case .unary(let op, let operandExpr):
            return compileUnary(op, operandExpr, span: span)
        case .binary(let op, let leftExpr, let rightExpr):
            return compileBinary(op, leftExpr, rightExpr, span: span)
        case .call(let calleeExpr, let arguments):
            return compileCall(calleeExpr, arguments, span: span)
        case .index(let objectExpr, let indexExpr):
            return compileIndex(objectExpr, indexExpr, span: span)
        case .field(let objectExpr, let name):
            return compileField(compileExpr(objectExpr), name)
        case .function(let function):
            return compileFunction(function)
        case .conditional(let test, let then, let otherwise):
            return compileConditional(test, then, otherwise)
        case .comprehension(let element, let binding, let sequence, let test):
            return compileComprehension(element, binding, sequence, test, span: span)
        case .range(let lowExpr, let highExpr):
            return compileRangeList(lowExpr, highExpr, span: span)
        case .query(let baseExpr, let clause):
            return compileQuery(compileExpr(baseExpr), clause, baseSpan: baseExpr.span)
        }
    }

    /// `[a, b, c]`: a new list of the items' values.
    func compileList(_ items: [Expr]) -> ExprCode {
        let codes = ContiguousArray(items.map(compileExpr))
        return { frame in
            var values = ContiguousArray<Value>()
            values.reserveCapacity(codes.count)
            for code in codes { values.append(try code(frame)) }
            return .list(ListObject(values))
        }
    }

    /// `{key: value, …}`: a new record of one shape fixed at compile time.
    func compileRecord(_ fields: [RecordField]) -> ExprCode {
        let shape = Shape(keys: fields.map(\.key.text))
        let codes = ContiguousArray(fields.map { compileExpr($0.value) })
        return { frame in
            var values = ContiguousArray<Value>()
            values.reserveCapacity(codes.count)
            for code in codes { values.append(try code(frame)) }
            return .record(RecordObject(shape: shape, values: values))
        }
    }

    /// `-x` (numbers directly, other values through Operators) and `not x`.
    func compileUnary(_ op: UnaryOperator, _ operandExpr: Expr, span: Span) -> ExprCode {
        let operand = compileExpr(operandExpr)
        switch op {
        case .negate:
            return { frame in
                let value = try operand(frame)
                if case .number(let x) = value { return .number(-x) }
                return try Operators.negate(value, span)
            }
        case .not:
            return { frame in
                let value = try operand(frame)
                guard case .bool(let truth) = value else {
                    throw RuntimeError(.unaryTypeMismatch(operation: "apply 'not' to", operand: value.typeName), at: span)
                }
                return .bool(!truth)
            }
        }
    }

    /// `container[key]`.
    /// - Parameter missingIsNil: a record's missing key gives nil instead of an error
    ///   (the left side of `??`: `totals[unit] ?? 0` accumulates by key).
    func compileIndex(_ objectExpr: Expr, _ indexExpr: Expr, span: Span, missingIsNil: Bool = false) -> ExprCode {
        let object = compileExpr(objectExpr), index = compileExpr(indexExpr)
        let machine = self.machine
        let indexSpan = indexExpr.span
        guard missingIsNil else {
            return { frame in
                let container = try object(frame), key = try index(frame)
                // A list at a whole number in range (most indexing) without the general switch.
                if case .list(let list) = container, case .number(let number) = key, number >= 0, number < Double(list.items.count),
                   number == number.rounded(.towardZero) {
                    return list.items[Int(number)]
                }
                return try Compiler.index(container, key, span: span, indexSpan: indexSpan, machine: machine)
            }
        }
        return { frame in
            let container = try object(frame), key = try index(frame)
            if case .record(let record) = container, case .string(let name) = key { return record[name] ?? .nil }
            return try Compiler.index(container, key, span: span, indexSpan: indexSpan, machine: machine)
        }
    }

    /// `if` as a value: the value of the branch taken, nil when there is no `else`.
    func compileConditional(_ test: Expr, _ then: Block, _ otherwise: Block?) -> ExprCode {
        let check = condition(test)
        let thenCode = compileValueBlock(then)
        let elseCode = otherwise.map(compileValueBlock) ?? { _ in .nil }
        return { frame in try check(frame) ? try thenCode(frame) : try elseCode(frame) }
    }

    /// `a..b` as a value: the list of whole numbers from a to b (bounded in length).
    func compileRangeList(_ lowExpr: Expr, _ highExpr: Expr, span: Span) -> ExprCode {
        let low = compileExpr(lowExpr), high = compileExpr(highExpr)
        return { frame in
            let (a, b) = try Compiler.rangeBounds(try low(frame), try high(frame), span: span)
            guard a <= b else { return .list(ListObject([])) }
            guard b - a < Limits.maxListItems else {
                throw RuntimeError(.invalidArgument(function: "..", message: "a range of \(b - a + 1) numbers is too long to build as a list"), at: span)
            }
            return .list(ListObject(ContiguousArray((a...b).map { .number(Double($0)) })))
        }
    }

    static func value(of literal: Literal) -> Value {
        switch literal {
        case .number(let value): return .number(value)
        case .money(let value): return .money(value)
        case .percent(let value): return .percent(value)
        case .date(let value): return .date(value)
        case .duration(let value): return .duration(value)
        case .string(let value): return .string(value)
        }
    }

    func compileInterpolation(_ parts: [InterpolationPart], span: Span) -> ExprCode {
        if parts.isEmpty { return { _ in .string("") } }
        if parts.count == 1, case .text(let text) = parts[0] { return { _ in .string(text) } }
        enum Piece {
            case text([UInt8])
            case code(ExprCode)
        }
        let pieces: [Piece] = parts.map { part in
            switch part {
            case .text(let text): return .text(Array(text.utf8))
            case .expression(let expr): return .code(compileExpr(expr))
            }
        }
        // The text is built as bytes, with room for the literal text and a short value
        // per hole, and made a string once: appending to a String piece by piece costs
        // several times as much.
        let room = parts.reduce(0) { room, part in
            if case .text(let text) = part { return room + text.utf8.count }
            return room + 12
        }
        return { frame in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(room)
            for piece in pieces {
                switch piece {
                case .text(let literal): bytes += literal
                case .code(let code): try code(frame).appendDisplay(to: &bytes)
                }
                try Limits.checkText(bytes.count, span)
            }
            return .string(String(decoding: bytes, as: UTF8.self))
        }
    }

    func compileVariable(_ name: Name) -> ExprCode {
        compileReference(resolution.reference(name), name)
    }

    func compileReference(_ reference: VariableRef?, _ name: Name) -> ExprCode {
        let machine = self.machine
        switch reference {
        case .local(let variable)?:
            let slot = variable.slot
            if variable.isCaptured {
                return { frame in
                    if case .box(let box) = frame[slot] { return box.value }
                    return frame[slot]
                }
            }
            return { frame in frame[slot] }
        case .capture(let index)?:
            return { frame in
                guard case .function(let closure) = frame[0] else { return .nil }
                return closure.captures[index].value
            }
        case .global(let slot)?:
            return { _ in
                let value = machine.globals[slot]
                // A top-level `let` read (from a function) before it has run.
                if case .nil = value, !machine.globalIsSet[slot] {
                    throw RuntimeError(.usedBeforeDeclaration(name.text), at: name.span)
                }
                return value
            }
        case .builtin(let index)?:
            return { _ in .builtin(index) }
        case .currentFunction?:
            // A function without captures is one constant closure: read it from its
            // cell, so calls need not keep the closure in frame slot 0.
            if let cell = selfCell { return { _ in cell.pointer.pointee } }
            return { frame in frame[0] }
        case .collection(let kind)?:
            return { _ in .list(machine.plan.collection(kind)) }
        case .singleton(let kind)?:
            return { _ in machine.plan.singleton(kind).map(Value.entity) ?? .nil }
        case .symbol(let word)?:
            return { _ in .symbol(word) }
        case .rowField(let row, let field, let fallback)?:
            let slot = row.slot
            let outer = fallback.map { compileReference($0, name) }
            return { frame in
                var item = frame[slot]
                if case .box(let box) = item { item = box.value }
                if let outer, !Compiler.hasField(item, field, machine: machine) { return try outer(frame) }
                return try Compiler.fieldValue(item, field, span: name.span, machine: machine)
            }
        case nil:
            return { _ in throw RuntimeError(.undefinedName(name.text, suggestion: nil), at: name.span) }
        }
    }

    static func arithmetic(_ op: BinaryOperator) -> (Value, Value, Span) throws -> Value {
        switch op {
        case .add: return Operators.add
        case .subtract: return Operators.subtract
        case .multiply: return Operators.multiply
        case .divide: return Operators.divide
        case .remainder: return Operators.remainder
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .and, .or, .coalesce, .contains:
            return { a, b, span in throw Operators.mismatch(op, a, b, span) }
        }
    }

    func compileBinary(_ op: BinaryOperator, _ leftExpr: Expr, _ rightExpr: Expr, span: Span) -> ExprCode {
        if let fast = compileNumeric(op, leftExpr, rightExpr, span: span) { return fast }
        let left: ExprCode
        if op == .coalesce, case .index(let objectExpr, let indexExpr) = leftExpr.kind {
            left = compileIndex(objectExpr, indexExpr, span: leftExpr.span, missingIsNil: true)
        } else {
            left = compileExpr(leftExpr)
        }
        let right = compileExpr(rightExpr)
        switch op {
        case .add:
            return { frame in
                let a = try left(frame), b = try right(frame)
                if case .number(let x) = a, case .number(let y) = b { return .number(x + y) }
                return try Operators.add(a, b, span)
            }
        case .subtract:
            return { frame in
                let a = try left(frame), b = try right(frame)
                if case .number(let x) = a, case .number(let y) = b { return .number(x - y) }
                return try Operators.subtract(a, b, span)
            }
        case .multiply:
            return { frame in
                let a = try left(frame), b = try right(frame)
                if case .number(let x) = a, case .number(let y) = b { return .number(x * y) }
                return try Operators.multiply(a, b, span)
            }
        case .divide:
            return { frame in try Operators.divide(try left(frame), try right(frame), span) }
        case .remainder:
            return { frame in try Operators.remainder(try left(frame), try right(frame), span) }
        case .equal:
            return { frame in .bool(try left(frame).equals(try right(frame), at: span)) }
        case .notEqual:
            return { frame in .bool(!(try left(frame).equals(try right(frame), at: span))) }
        case .less, .lessEqual, .greater, .greaterEqual:
            return { frame in .bool(try Operators.compare(op, try left(frame), try right(frame), span)) }
        case .and, .or:
            let isAnd = op == .and
            func truth(_ value: Value, _ side: Span) throws -> Bool {
                guard case .bool(let truth) = value else {
                    throw RuntimeError(.conditionNotBool(value.typeName), at: side)
                }
                return truth
            }
            return { frame in
                let first = try truth(try left(frame), leftExpr.span)
                if first != isAnd { return .bool(first) }  // short-circuit
                return .bool(try truth(try right(frame), rightExpr.span))
            }
        case .coalesce:
            return { frame in
                let value = try left(frame)
                if case .nil = value { return try right(frame) }
                return value
            }
        case .contains:
            return { frame in .bool(try Operators.contains(try left(frame), try right(frame), span)) }
        }
    }

    /// A block whose value is that of its last expression statement (for `if` values).
    func compileValueBlock(_ block: Block) -> ExprCode {
        guard let last = block.statements.last, case .expression(let expr) = last.kind else {
            let code = compileBlock(block)
            return { frame in _ = try code(frame); return .nil }
        }
        let leading = block.statements.dropLast().map(compileStatement)
        let value = compileExpr(expr)
        return { frame in
            for statement in leading { _ = try statement(frame) }
            return try value(frame)
        }
    }

    /// Makes the code that creates a closure, capturing boxes from the current frame.
    func compileFunction(_ function: FunctionDecl) -> ExprCode {
        let layout = resolution.functions[ObjectIdentifier(function)] ?? FunctionLayout(frameSize: function.parameters.count + 1, captures: [])
        let name = function.name?.text ?? "anonymous function"
        let savedFrameSize = frameSize
        let savedSelfCell = selfCell
        let cell: SelfCell? = layout.captures.isEmpty ? SelfCell() : nil
        selfCell = cell
        defer { selfCell = savedSelfCell }
        frameSize = layout.frameSize
        // Captured parameters move into boxes when the call starts.
        var boxedParameters: [Int] = []
        for parameter in function.parameters {
            if case .local(let variable)? = resolution.binding(parameter), variable.isCaptured { boxedParameters.append(variable.slot) }
        }
        let body = compileBlock(function.body)
        frameSize = savedFrameSize
        let entry: StmtCode = boxedParameters.isEmpty ? body : { frame in
            for slot in boxedParameters { frame[slot] = .box(Box(frame[slot])) }
            return try body(frame)
        }
        let proto = FunctionProto(name: name, arity: function.parameters.count, frameSize: layout.frameSize, span: function.span,
                                  needsSelfSlot: cell == nil, body: entry)
        let sources = layout.captures
        if sources.isEmpty {
            let closure = Value.function(Closure(proto: proto, captures: []))
            // The function's own name reads this cell. (Cell and closure hold each other
            // until the machine is cleared: see SelfCell.)
            if let cell {
                cell.pointer.pointee = closure
                cell.proto.pointee = Unmanaged.passUnretained(proto)
                machine.selfCells.append(cell)
            }
            return { _ in closure }
        }
        return { frame in
            var boxes = ContiguousArray<Box>()
            boxes.reserveCapacity(sources.count)
            for source in sources {
                switch source {
                case .local(let variable):
                    if case .box(let box) = frame[variable.slot] { boxes.append(box) } else {
                        // Not yet declared (only possible in odd orders); give it a fresh box.
                        let box = Box(frame[variable.slot])
                        frame[variable.slot] = .box(box)
                        boxes.append(box)
                    }
                case .capture(let index):
                    if case .function(let closure) = frame[0] { boxes.append(closure.captures[index]) } else { boxes.append(Box(.nil)) }
                }
            }
            return .function(Closure(proto: proto, captures: boxes))
        }
    }

    func compileComprehension(_ element: Expr, _ binding: LoopBinding, _ sequence: Expr, _ test: Expr?, span: Span) -> ExprCode {
        let sequenceCode: ExprCode
        if case .range(let lowExpr, let highExpr) = sequence.kind {
            // Ranges in comprehensions are walked like lists; building them is bounded above.
            sequenceCode = compileExpr(Expr(kind: .range(lowExpr, highExpr), span: sequence.span))
        } else {
            sequenceCode = compileExpr(sequence)
        }
        let value = compileExpr(element)
        let check = test.map(condition)
        let machine = self.machine
        let pair = binding.second != nil
        let setFirst = loopSetter(binding.first)
        let setSecond = loopSetter(binding.second)
        return { frame in
            var results = ContiguousArray<Value>()
            try Compiler.iterate(try sequenceCode(frame), span: sequence.span) { key, item in
                try machine.poll(span)
                if pair { setFirst(frame, key); setSecond(frame, item) } else { setFirst(frame, item) }
                if let check, try !check(frame) { return true }
                results.append(try value(frame))
                if results.count > Limits.maxListItems { try Limits.checkList(results.count, span) }
                return true
            }
            return .list(ListObject(results))
        }
    }
}

/// "a stakeholder", "an opportunity".
func article(_ noun: String) -> String {
    let vowelSound = (noun.first.map { "aeiou".contains($0) } ?? false) && !noun.hasPrefix("uni") && !noun.hasPrefix("use")
    return (vowelSound ? "an " : "a ") + noun
}

/// Holds a capture-free function's own closure, for calls to itself. Cell and closure
/// hold each other, and the function's code holds its machine: the machine keeps its
/// cells and lets go of their closures when it is cleared (`Machine.clear`), else the
/// machine would never be freed.
final class SelfCell {
    let pointer: UnsafeMutablePointer<Value>
    /// The function's prototype, unretained (the closure in `pointer` keeps it alive),
    /// so a call to itself goes straight to its body.
    let proto: UnsafeMutablePointer<Unmanaged<FunctionProto>?>

    init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: .nil)
        proto = .allocate(capacity: 1)
        proto.initialize(to: nil)
    }

    /// Lets go of the closure (and the prototype with it, so it is forgotten first): a
    /// call to itself still running, or made later through a closure kept elsewhere,
    /// finds no function and fails as a call of nil does.
    func release() {
        proto.pointee = nil
        pointer.pointee = .nil
    }

    deinit {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
        proto.deinitialize(count: 1)
        proto.deallocate()
    }
}
