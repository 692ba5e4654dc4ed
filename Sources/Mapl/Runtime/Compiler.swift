// Closure compilation: each resolved syntax node becomes a Swift closure that runs it.
// Variables are frame slots, captured boxes or global slots fixed by the resolver, so
// nothing is looked up by name while a program runs.

/// A compiled program: plan setup first, then the statements.
struct CompiledProgram {
    /// Creates the declared entities, defines top-level functions, fills in fields and
    /// registers rules; returns the plan's problems (none means the body may run).
    let setup: (Frame) -> [Diagnostic]
    let body: StmtCode
}

/// Turns a resolved program into runnable code for one machine.
final class Compiler {
    let machine: Machine
    let resolution: Resolution

    init(machine: Machine, resolution: Resolution) {
        self.machine = machine
        self.resolution = resolution
    }

    /// The frame size of the function being compiled: a call's new frame starts after it.
    var frameSize = 1
    /// The cell of the capture-free function being compiled, if any (see SelfCell).
    var selfCell: SelfCell?

    /// Compiles programs that run together (a file and its imports). Top-level
    /// functions, plan declarations and the top-level lets they use are set up before
    /// any other statement runs.
    func compileProgram(_ programs: [Program], replaceEntities: Bool = false) -> CompiledProgram {
        frameSize = resolution.mainFrameSize
        var hoisted: [StmtCode] = []
        var early: [StmtCode] = []
        var rest: [StmtCode] = []
        var declarations: [Declaration] = []
        var rules: [RuleDecl] = []
        for program in programs {
            for statement in program.statements {
                switch statement.kind {
                case .function: hoisted.append(compileStatement(statement))
                case .declaration(let declaration): declarations.append(declaration)
                case .rule(let rule): rules.append(rule)
                case .letBinding(let name, _) where resolution.letsBeforePlan.contains(name.text):
                    early.append(compileStatement(statement))
                case .letBinding, .expression, .assignment, .forLoop, .whileLoop, .returnStatement, .breakStatement,
                     .continueStatement, .importFile:
                    rest.append(compileStatement(statement))
                }
            }
        }
        let functions = sequence(hoisted + early)
        let plan = compilePlan(declarations, rules: rules, replace: replaceEntities)
        return CompiledProgram(
            setup: { frame in
                var problems = plan.declare(frame)
                do { _ = try functions(frame) } catch let error as RuntimeError { problems.append(error.diagnostic) } catch {}
                problems += plan.fill(frame)
                return problems
            },
            body: sequence(rest))
    }

    // MARK: - Statements

    private func sequence(_ codes: [StmtCode]) -> StmtCode {
        switch codes.count {
        case 0: return { _ in .normal }
        case 1: return codes[0]
        case 2:
            let (a, b) = (codes[0], codes[1])
            return { frame in
                let flow = try a(frame)
                if flow != .normal { return flow }
                return try b(frame)
            }
        default:
            let all = ContiguousArray(codes)
            return { frame in
                for code in all {
                    let flow = try code(frame)
                    if flow != .normal { return flow }
                }
                return .normal
            }
        }
    }

    /// A block's statements chained pairwise. Closures taken out of an array are called
    /// through a reabstraction thunk; chaining keeps every call direct (hot in loops and
    /// function bodies).
    func compileBlock(_ block: Block) -> StmtCode {
        // Long blocks loop over an array instead, so nesting stays shallow.
        block.statements.count <= 8 ? chain(block.statements[...]) : sequence(block.statements.map(compileStatement))
    }

    private func chain(_ statements: ArraySlice<Stmt>) -> StmtCode {
        guard let first = statements.first else { return { _ in .normal } }
        let head = compileStatement(first)
        if statements.count == 1 { return head }
        let rest = chain(statements.dropFirst())
        return { frame in
            let flow = try head(frame)
            if flow != .normal { return flow }
            return try rest(frame)
        }
    }

    func compileStatement(_ statement: Stmt) -> StmtCode {
        switch statement.kind {
        case .expression(let expr):
            if case .conditional(let condition, let then, let otherwise) = expr.kind {
                return compileIfStatement(condition, then, otherwise)
            }
            let code = compileExpr(expr)
            return { frame in _ = try code(frame); return .normal }
        case .letBinding(let name, let value):
            if case .function = value.kind, case .local(let variable)? = resolution.binding(name), variable.isCaptured {
                // A function that calls itself through its own `let`: the box must exist
                // before the closure that captures it is made.
                let slot = variable.slot
                let make = compileExpr(value)
                return { frame in
                    let box = Box(.nil)
                    frame[slot] = .box(box)
                    box.value = try make(frame)
                    return .normal
                }
            }
            let code = compileExpr(value)
            return store(to: resolution.binding(name), code)
        case .function(let function):
            let make = compileFunction(function)
            guard let name = function.name else { return { frame in _ = try make(frame); return .normal } }
            return store(to: resolution.binding(name), make)
        case .assignment(let target, let op, let value):
            return compileAssignment(target, op, value, span: statement.span)
        case .forLoop(let binding, let sequence, let body):
            return compileFor(binding, sequence, compileBlock(body), span: statement.span)
        case .whileLoop(let condition, let body):
            return compileWhile(condition, compileBlock(body), span: statement.span)
        case .returnStatement(let value):
            let machine = self.machine
            guard let value else {
                return { _ in machine.returnValue = .nil; return .returned }
            }
            let code = compileExpr(value)
            return { frame in
                machine.returnValue = try code(frame)
                return .returned
            }
        case .breakStatement:
            return { _ in .breakLoop }
        case .continueStatement:
            return { _ in .continueLoop }
        case .declaration, .rule, .importFile:
            // Plan declarations are set up before the program runs (PlanCompiler.swift).
            return { _ in .normal }
        }
    }

    /// Stores a value in a freshly declared variable.
    private func store(to binding: Binding?, _ code: @escaping ExprCode) -> StmtCode {
        let machine = self.machine
        switch binding {
        case .local(let variable) where variable.isCaptured:
            let slot = variable.slot
            return { frame in frame[slot] = .box(Box(try code(frame))); return .normal }
        case .local(let variable):
            let slot = variable.slot
            return { frame in frame[slot] = try code(frame); return .normal }
        case .global(let slot):
            return { frame in
                machine.globals[slot] = try code(frame)
                machine.globalIsSet[slot] = true
                return .normal
            }
        case nil:
            return { frame in _ = try code(frame); return .normal }
        }
    }

    func condition(_ expr: Expr) -> (Frame) throws -> Bool {
        if case .binary(let op, let left, let right) = expr.kind,
           let fast = compileNumericCondition(op, left, right, span: expr.span) {
            return fast
        }
        let code = compileExpr(expr)
        let span = expr.span
        return { frame in
            let value = try code(frame)
            guard case .bool(let truth) = value else {
                throw RuntimeError(.conditionNotBool(value.typeName), at: span)
            }
            return truth
        }
    }

    private func compileIfStatement(_ test: Expr, _ then: Block, _ otherwise: Block?) -> StmtCode {
        let check = condition(test)
        let thenCode = compileBlock(then)
        guard let otherwise else {
            return { frame in try check(frame) ? try thenCode(frame) : .normal }
        }
        let elseCode: StmtCode
        if otherwise.statements.count == 1, case .expression(let nested) = otherwise.statements[0].kind,
           case .conditional(let c, let t, let o) = nested.kind {
            elseCode = compileIfStatement(c, t, o)  // else-if chains stay statements
        } else {
            elseCode = compileBlock(otherwise)
        }
        return { frame in try check(frame) ? try thenCode(frame) : try elseCode(frame) }
    }

    private func compileWhile(_ test: Expr, _ body: @escaping StmtCode, span: Span) -> StmtCode {
        let check = condition(test)
        let machine = self.machine
        return { frame in
            while try check(frame) {
                try machine.poll(span)
                switch try body(frame) {
                case .normal, .continueLoop: continue
                case .breakLoop: return .normal
                case .returned: return .returned
                }
            }
            return .normal
        }
    }

    // MARK: - Loops over sequences

    /// Writes a loop variable, boxing it afresh each iteration when a closure captures it.
    func loopSetter(_ name: Name?) -> (Frame, Value) -> Void {
        guard let name, case .local(let variable)? = resolution.binding(name) else { return { _, _ in } }
        let slot = variable.slot
        if variable.isCaptured { return { frame, value in frame[slot] = .box(Box(value)) } }
        return { frame, value in frame[slot] = value }
    }

    /// Calls `visit` for each element of a sequence value; `visit` returns false to stop.
    /// Lists give (index, item); records (key, value); strings (index, character);
    /// ranges are handled by the caller without building a list.
    static func iterate(_ sequence: Value, span: Span, _ visit: (Value, Value) throws -> Bool) throws {
        switch sequence {
        case .list(let list):
            let items = list.items  // a snapshot: changing the list inside the loop is safe
            for (index, item) in items.enumerated() where try !visit(.number(Double(index)), item) { return }
        case .record(let record):
            let keys = record.shape.keys, values = record.values
            for (key, value) in zip(keys, values) where try !visit(.string(key), value) { return }
        case .string(let text):
            for (index, character) in text.enumerated() where try !visit(.number(Double(index)), .string(String(character))) { return }
        default:
            throw RuntimeError(.notIterable(sequence.typeName), at: span)
        }
    }

    /// The integer bounds of `a..b`.
    static func rangeBounds(_ low: Value, _ high: Value, span: Span) throws -> (Int, Int) {
        guard case .number(let a) = low, case .number(let b) = high, a == a.rounded(), b == b.rounded(),
              abs(a) < 1e15, abs(b) < 1e15 else {
            throw RuntimeError(.invalidArgument(function: "..", message: "a range needs two whole numbers, found \(low.typeName == "number" ? low.display : low.typeName) and \(high.typeName == "number" ? high.display : high.typeName)"), at: span)
        }
        return (Int(a), Int(b))
    }

    private func compileFor(_ binding: LoopBinding, _ sequence: Expr, _ body: @escaping StmtCode, span: Span) -> StmtCode {
        let machine = self.machine
        let setFirst = loopSetter(binding.first)
        let setSecond = loopSetter(binding.second)
        let pair = binding.second != nil
        if case .range(let lowExpr, let highExpr) = sequence.kind {
            let low = compileExpr(lowExpr), high = compileExpr(highExpr)
            let rangeSpan = sequence.span
            return { frame in
                let (a, b) = try Compiler.rangeBounds(try low(frame), try high(frame), span: rangeSpan)
                guard a <= b else { return .normal }
                for (index, value) in (a...b).enumerated() {
                    try machine.poll(span)
                    if pair { setFirst(frame, .number(Double(index))); setSecond(frame, .number(Double(value))) }
                    else { setFirst(frame, .number(Double(value))) }
                    switch try body(frame) {
                    case .normal, .continueLoop: continue
                    case .breakLoop: return .normal
                    case .returned: return .returned
                    }
                }
                return .normal
            }
        }
        let sequenceCode = compileExpr(sequence)
        return { frame in
            var flow = Flow.normal
            try Compiler.iterate(try sequenceCode(frame), span: sequence.span) { key, item in
                try machine.poll(span)
                if pair { setFirst(frame, key); setSecond(frame, item) } else { setFirst(frame, item) }
                switch try body(frame) {
                case .normal, .continueLoop: return true
                case .breakLoop: return false
                case .returned: flow = .returned; return false
                }
            }
            return flow
        }
    }

    // MARK: - Assignment

    private func compileAssignment(_ target: Expr, _ op: BinaryOperator?, _ value: Expr, span: Span) -> StmtCode {
        let newValue = AssignedValue(valueCode: compileExpr(value), combine: op.map(Compiler.arithmetic), span: span)
        switch target.kind {
        case .variable(let name):
            return compileVariableAssignment(name, target, newValue)
        case .field(let objectExpr, let field):
            return compileFieldAssignment(objectExpr, field, target, newValue)
        case .index(let objectExpr, let indexExpr):
            return compileIndexAssignment(objectExpr, indexExpr, target, newValue)
        case .literal, .bool, .nilLiteral, .symbol, .interpolation, .list, .record, .unary, .binary,
             .call, .function, .conditional, .comprehension, .range, .query:
            return { _ in throw RuntimeError(.invalidAssignmentTarget, at: target.span) }
        }
    }

    /// `name = value` and `name op= value`: a local slot (boxed when captured), a
    /// captured variable or a global.
    private func compileVariableAssignment(_ name: Name, _ target: Expr, _ newValue: AssignedValue) -> StmtCode {
        let machine = self.machine
        let read = compileExpr(target)
        switch resolution.reference(name) {
        case .local(let variable)?:
            let slot = variable.slot
            if variable.isCaptured {
                return { frame in
                    let value = try newValue(frame) { try read(frame) }
                    if case .box(let box) = frame[slot] { box.value = value } else { frame[slot] = .box(Box(value)) }
                    return .normal
                }
            }
            return { frame in frame[slot] = try newValue(frame) { try read(frame) }; return .normal }
        case .capture(let index)?:
            return { frame in
                let value = try newValue(frame) { try read(frame) }
                if case .function(let closure) = frame[0] { closure.captures[index].value = value }
                return .normal
            }
        case .global(let slot)?:
            return { frame in
                machine.globals[slot] = try newValue(frame) { try read(frame) }
                machine.globalIsSet[slot] = true
                return .normal
            }
        case .builtin?, .currentFunction?, .collection?, .singleton?, .symbol?, .rowField?, nil:
            return { _ in throw RuntimeError(.assignToConstant(name: name.text, what: "name"), at: name.span) }
        }
    }

    /// `object.field = value`: records (through shape caches), entities (checked like
    /// the declaration's field) and nothing else.
    private func compileFieldAssignment(_ objectExpr: Expr, _ field: Name, _ target: Expr, _ newValue: AssignedValue) -> StmtCode {
        let valueCode = newValue.valueCode, combine = newValue.combine
        let machine = self.machine
        // The object is evaluated once, also for `r.x += 1`.
        let object = compileExpr(objectExpr)
        let cache = ShapeCache()
        // Adding the field to records of one shape gives them all the same new shape:
        // remembered, so `o.score = …` over many records does no lookups.
        let growth = ShapeCache()
        return { frame in
            let container = try object(frame)
            if combine == nil, case .record(let record) = container {
                if record.shape === cache.entry.pointee.shape {
                    record.values[cache.entry.pointee.index] = try valueCode(frame)
                    return .normal
                }
                if record.shape === growth.entry.pointee.shape, let grown = growth.grownShape {
                    let value = try valueCode(frame)
                    if record.shape === growth.entry.pointee.shape {
                        record.append(value, as: grown)
                        return .normal
                    }
                    record.set(field.text, value)
                    return .normal
                }
            }
            if case .entity(let entity) = container {
                // What-if changes to the plan: checked like the declaration's field.
                guard let index = entity.kind.index[field.text] else {
                    throw RuntimeError(.noSuchField(field: field.text, on: article(entity.kind.name), suggestion: suggestion(for: field.text, among: entity.kind.fields.map(\.name))), at: field.span)
                }
                let value = try newValue(frame) { entity.field(index) }
                let home = entity.plan ?? machine.plan
                switch FieldConversion.convert(value, to: entity.kind.fields[index].type, field: field.text, plan: home) {
                case .success(let converted):
                    entity.setField(index, converted)
                    home.changed()
                case .failure(let problem):
                    throw RuntimeError(problem, at: value.typeName == "nil" ? field.span : target.span.to(field.span))
                }
                return .normal
            }
            guard case .record(let record) = container else {
                throw RuntimeError(.noSuchField(field: field.text, on: container.typeName, suggestion: nil), at: field.span)
            }
            let value = try newValue(frame) {
                guard let old = record[field.text] else {
                    throw RuntimeError(.noSuchField(field: field.text, on: "this record", suggestion: suggestion(for: field.text, among: record.shape.keys)), at: field.span)
                }
                return old
            }
            let before = record.shape
            record.set(field.text, value)
            if before !== record.shape {
                growth.entry.pointee = (before, 0)
                growth.grownShape = record.shape
            } else if let index = record.shape.position(of: field.text) {
                cache.entry.pointee = (record.shape, index)
            }
            return .normal
        }
    }

    /// `container[key] = value`: a list position or a record's existing field.
    private func compileIndexAssignment(_ objectExpr: Expr, _ indexExpr: Expr, _ target: Expr, _ newValue: AssignedValue) -> StmtCode {
        // Container and index are evaluated once, also for `xs[f()] += 1`.
        let object = compileExpr(objectExpr), index = compileExpr(indexExpr)
        return { frame in
            let container = try object(frame), key = try index(frame)
            switch (container, key) {
            case (.list(let list), .number):
                let position = try Compiler.position(key, count: list.items.count, span: indexExpr.span)
                let value = try newValue(frame) { list.items[position] }
                // The list may have shrunk while the right-hand side ran.
                let again = try Compiler.position(key, count: list.items.count, span: indexExpr.span)
                list.items[again] = value
            case (.record(let record), .string(let name)):
                let value = try newValue(frame) {
                    guard let old = record[name] else {
                        throw RuntimeError(.noSuchField(field: name, on: "this record", suggestion: suggestion(for: name, among: record.shape.keys)), at: indexExpr.span)
                    }
                    return old
                }
                record.set(name, value)
            default:
                throw RuntimeError(.invalidIndex(container: container.typeName, index: key.typeName), at: target.span)
            }
            return .normal
        }
    }

    /// A list position from a (possibly negative) whole-number index.
    static func position(_ key: Value, count: Int, span: Span, inString: Bool = false) throws -> Int {
        guard case .number(let number) = key, number == number.rounded(), abs(number) < 1e15 else {
            throw RuntimeError(.invalidIndex(container: "list", index: key.typeName == "number" ? "a fractional number" : key.typeName), at: span)
        }
        let index = Int(number)
        let position = index < 0 ? count + index : index
        guard position >= 0, position < count else {
            let index = formatNumber(number)
            throw RuntimeError(inString ? .stringIndexOutOfRange(index: index, count: count) : .indexOutOfRange(index: index, count: count), at: span)
        }
        return position
    }
}

/// The value an assignment stores, given a way to read the current one (only for `op=`).
private struct AssignedValue {
    let valueCode: ExprCode
    let combine: ((Value, Value, Span) throws -> Value)?
    let span: Span

    func callAsFunction(_ frame: Frame, _ current: () throws -> Value) throws -> Value {
        guard let combine else { return try valueCode(frame) }
        let old = try current()
        return try combine(old, try valueCode(frame), span)
    }
}
