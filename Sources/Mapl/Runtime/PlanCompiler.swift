// Compiles plan declarations and rules. Entities are created first (so that any field
// may refer to any entity, wherever it is declared), then their fields are filled in
// source order and checked against the schema.

/// The compiled plan part of a program.
struct CompiledPlan {
    /// Creates every declared entity and binds its id.
    let declare: (Frame) -> [Diagnostic]
    /// Evaluates and checks every field, and registers the rules.
    let fill: (Frame) -> [Diagnostic]
}

extension Compiler {
    // A plan is mostly words and literals, so declarations are not compiled into a
    // closure each: declare and fill walk the declaration tables themselves, and only
    // fields that are real expressions get compiled code (kept in one array, in field
    // order).
    func compilePlan(_ declarations: [Declaration], rules: [RuleDecl], replace: Bool) -> CompiledPlan {
        let machine = self.machine
        let rows = PlanRows()
        rows.reserve(declarations.count)
        var columns = DeclarationRows(file: -1), columnsOf: DeclarationTable?
        for declaration in declarations {
            if columnsOf !== declaration.table { (columns, columnsOf) = (declaration.table.rows, declaration.table) }
            let written = columns.row(declaration.index)
            var slot: Int?
            if written.id >= 0, case .global(let global)? = resolution.bindings[SpanKeyValue(file: columns.file, start: written.idStart)] { slot = global }
            rows.append(declaration, slot: slot)
            let kind = written.kind, firstCode = rows.codes.count
            for field in written.fieldRange where columns.fields[field].slot >= 0 {
                guard case .expression(let index) = columns.fields[field].value else { continue }
                forEachCodePart(columns.expressions[Int(index)], as: kind.fields[Int(columns.fields[field].slot)].type) { rows.codes.append(compileExpr($0)) }
            }
            if rows.codes.count > firstCode { rows.noteCode(from: firstCode) }
        }
        let ruleSetups = rules.map(compileRule)
        return CompiledPlan(
            declare: { _ in
                var problems: [Diagnostic] = []
                let (counts, identified) = rows.counts()
                machine.plan.reserve(counts, identified: identified)
                // Ctrl-C stops a large plan's set-up (`:load`, `open_plan`) between rows.
                var interrupt = InterruptCheck(machine)
                rows.declare(in: machine, replace: replace, into: &problems) { interrupt.requested() }
                return problems
            },
            fill: { frame in
                var problems: [Diagnostic] = []
                self.settleCurrency(rows, into: &problems)
                var words = WordMeanings()
                var interrupt = InterruptCheck(machine)
                let codes = rows.codes
                rows.forEachDeclaration { table, columns, written, entityTable, entityRow, firstCode in
                    if interrupt.requested() {
                        problems.append(Diagnostic(.interrupted, at: columns.header(of: written)))
                        return false
                    }
                    if let entityTable {
                        self.fill(written, of: Entity(table: entityTable, row: entityRow), in: table, columns, firstCode: firstCode, frame,
                                  codes, &words, into: &problems)
                    }
                    machine.plan.changed()  // a later field's code may ask the graph
                    return true
                }
                // The rows are done with: a compiled program is kept to the end of the run.
                rows.finished()
                for setup in ruleSetups { setup() }
                return problems
            })
    }

    /// Evaluates one field's value (taking its code from `codes` at `cursor`) and stores it.
    func fillField(_ entity: Entity, _ index: Int, _ expr: Expr, _ frame: Frame, _ codes: [ExprCode], _ cursor: inout Int,
                           into problems: inout [Diagnostic]) {
        let spec = entity.kind.fields[index]
        let fieldStart = cursor
        if case .function = spec.type { entity.setCodeSpan(index, expr.span) }
        do {
            store(try fieldValue(expr, as: spec.type, frame, codes, &cursor), in: entity, index, at: expr.span, into: &problems)
        } catch let error as RuntimeError {
            problems.append(error.diagnostic)
            if error.isInterruption { machine.interruptAtNextPoll() }  // the other fields stop too
            // Code after the failure in this field did not run: skip past it.
            var count = 0
            forEachCodePart(expr, as: spec.type) { _ in count += 1 }
            cursor = fieldStart + count
        } catch {}
    }

    /// Converts a value to the type of an entity's field `index` and stores it there, or
    /// reports why not; the value stored.
    @discardableResult
    func store(_ value: Value, in entity: Entity, _ index: Int, at span: Span, into problems: inout [Diagnostic]) -> Value? {
        let spec = entity.kind.fields[index]
        switch FieldConversion.convert(value, to: spec.type, field: spec.name, plan: machine.plan) {
        case .success(let converted):
            entity.setField(index, converted)
            return converted
        case .failure(let kind):
            problems.append(Diagnostic(kind, at: span))
            return nil
        }
    }

    /// How a field value is made. Literals, scale words and entity ids (the bulk of a
    /// large plan) need no compiled code: the resolver left such words without a
    /// reference (see `Resolver.resolveLevelWord`), so a word without one is read here by
    /// the field's type.
    func fieldShape(_ expr: Expr, as type: FieldType) -> FieldShape {
        switch expr.kind {
        case .literal(let literal): return .constant(Compiler.value(of: literal))
        case .bool(let value): return .constant(.bool(value))
        case .nilLiteral: return .constant(.nil)
        case .symbol(let word): return .constant(.symbol(word))
        case .variable(let name):
            switch type {
            case .level(let scale), .levels(let scale):
                // (A word on the field's scale is that level, whatever else it names: the
                // resolver gave it no reference.)
                if scale.value(named: name.text) != nil { return .constant(.symbol(name.text)) }
            case .ref(let kinds), .refs(let kinds):
                if resolution.reference(name) == nil { return .entity(name, kinds: kinds) }
            default:
                break
            }
        case .list(let items):
            switch type {
            case .levels(let scale): return .list(items, element: .level(scale))
            case .refs(let kinds): return .list(items, element: .ref(kinds))
            default: return .list(items, element: type)
            }
        case .record(let entries):
            if case .refMap(_, let valueType) = type { return .record(entries, values: valueType) }
        case .interpolation, .unary, .binary, .call, .index, .field, .function, .conditional, .comprehension, .range, .query:
            break
        }
        return .code
    }

    /// Calls `visit` with each part of a field value that needs compiled code, in the
    /// order `fieldValue` takes their code.
    func forEachCodePart(_ expr: Expr, as type: FieldType, _ visit: (Expr) -> Void) {
        switch fieldShape(expr, as: type) {
        case .constant, .entity: return
        case .list(let items, let element): for item in items { forEachCodePart(item, as: element, visit) }
        case .record(let entries, let valueType): for entry in entries { forEachCodePart(entry.value, as: valueType, visit) }
        case .code: visit(expr)
        }
    }

    func fieldValue(_ expr: Expr, as type: FieldType, _ frame: Frame, _ codes: [ExprCode], _ cursor: inout Int) throws -> Value {
        switch fieldShape(expr, as: type) {
        case .constant(let value):
            return value
        case .entity(let name, let kinds):
            // Only missing when the resolver has already reported the word.
            guard let entity = machine.plan.entity(id: name.text) else {
                throw RuntimeError(.unknownEntity(kind: kinds.joined(separator: " or "), id: name.text, suggestion: nil), at: name.span)
            }
            return .entity(entity)
        case .list(let items, let element):
            var values = ContiguousArray<Value>()
            values.reserveCapacity(items.count)
            for item in items { values.append(try fieldValue(item, as: element, frame, codes, &cursor)) }
            return .list(ListObject(values))
        case .record(let entries, let valueType):
            var values = ContiguousArray<Value>()
            values.reserveCapacity(entries.count)
            for entry in entries { values.append(try fieldValue(entry.value, as: valueType, frame, codes, &cursor)) }
            return .record(RecordObject(shape: Shape(keys: entries.map(\.key.text)), values: values))
        case .code:
            let code = codes[cursor]
            cursor += 1
            return try code(frame)
        }
    }

    /// Registers a rule: its items come from the sequence; when/expect/message run in a
    /// frame of their own with the item in slot 1.
    ///
    /// Rules are checked when asked (`mapl check`, `export()`), possibly from deep inside
    /// running code, so nothing here holds on to a frame: each check is given the first
    /// free stack slot, and both the sequence and the rule's body get frames from there.
    private func compileRule(_ rule: RuleDecl) -> () -> Void {
        let machine = self.machine
        // The sequence is top-level code: it is laid out in the main frame (its
        // comprehension and query variables have slots there), so it runs in a frame
        // of that size, cleared afterwards.
        let mainFrameSize = frameSize
        let sequenceCode = compileExpr(rule.sequence)
        let sequence: (Frame) throws -> Value = { top in
            try machine.reserve(top + mainFrameSize, rule.span)
            defer { for slot in 0..<mainFrameSize { top[slot] = .nil } }
            return try sequenceCode(top)
        }
        if rule.reportsFindings {
            return {
                machine.plan.rules.append(RuleDefinition(
                    id: rule.id.text, title: rule.title, span: rule.span, sequence: sequence,
                    violation: { item, _ in RuleFindings.message(of: item, ruleID: rule.id.text, title: rule.title) }))
            }
        }
        let layout = resolution.rules[ObjectIdentifier(rule)] ?? FunctionLayout(frameSize: 2, captures: [])
        frameSize = layout.frameSize
        let setItem = loopSetter(rule.binding)
        let when = rule.when.map(condition)
        let expect = condition(rule.expect)
        let message = rule.message.map(compileExpr)
        frameSize = mainFrameSize
        return {
            machine.plan.rules.append(RuleDefinition(
                id: rule.id.text, title: rule.title, span: rule.span,
                sequence: sequence,
                violation: { item, ruleFrame in
                    try machine.reserve(ruleFrame + layout.frameSize, rule.span)
                    setItem(ruleFrame, item)
                    defer { for slot in 0..<layout.frameSize { ruleFrame[slot] = .nil } }
                    if let when, try !when(ruleFrame) { return nil }
                    if try expect(ruleFrame) { return nil }
                    if let message { return try message(ruleFrame).display }
                    return rule.title ?? "rule '\(rule.id.text)' is not met"
                }))
        }
    }
}

extension Plan {
    /// Runs every rule over its items: each violation is a warning at the offending
    /// entity's declaration (or at the rule, for items that are not entities).
    /// `top` is the first free slot of the plan's machine's value stack: the rules' code
    /// runs in frames from there (a built-in passes its `CallContext.top`; the stack's
    /// base will do only when no code of the machine is running).
    func checkRules(top: Frame) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for rule in rules {
            do {
                let items: ContiguousArray<Value>
                switch try rule.sequence(top) {
                case .list(let list): items = list.items
                case let single: items = [single]
                }
                for item in items {
                    guard let message = try rule.violation(item, top) else { continue }
                    var span = rule.span
                    if let entity = RuleFindings.entity(of: item) { span = entity.span }
                    let id = RuleFindings.check(of: item) ?? rule.id
                    found.append(Diagnostic(.ruleViolation(rule: id, message: message), at: span, severity: .warning))
                }
            } catch let error as RuntimeError {
                found.append(error.diagnostic)
                // Ctrl-C: the rules stop here (Machine.checkPlan hands it on).
                if error.isInterruption { break }
            } catch {}
        }
        return found
    }
}

/// What a field value is, read from its syntax and the field's type (see `fieldShape`).
enum FieldShape {
    case constant(Value)
    case entity(Name, kinds: [String])
    case list([Expr], element: FieldType)
    case record([RecordField], values: FieldType)
    case code
}
