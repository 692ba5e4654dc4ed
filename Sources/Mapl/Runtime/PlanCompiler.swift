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
    func compilePlan(_ declarations: [Declaration], rules: [RuleDecl], replace: Bool) -> CompiledPlan {
        let machine = self.machine
        final class Cell { var entity: Entity? }
        var declares: [(Frame) -> Diagnostic?] = []
        var fills: [(Frame) -> [Diagnostic]] = []
        for declaration in declarations {
            guard let kind = Schema.kind(named: declaration.kind.text) else { continue }
            let cell = Cell()
            let binding = declaration.id.flatMap { resolution.binding($0) }
            declares.append { _ in
                let plan = machine.plan
                if let existing = declaration.id.flatMap({ plan.entity(id: $0.text) }) ?? (kind.isSingleton ? plan.singleton(kind) : nil) {
                    if !replace {
                        let problem = kind.isSingleton && declaration.id.map({ $0.text != existing.id }) ?? kind.isSingleton
                            ? Diagnostic(.singletonRedeclared(kind.name), at: declaration.span, notes: [.init(span: existing.span, message: "the \(kind.name) was declared here")])
                            : Diagnostic(.duplicateDeclaration(existing.id), at: declaration.id?.span ?? declaration.span, notes: [.init(span: existing.span, message: "'\(existing.id)' was first declared here")])
                        return problem
                    }
                    plan.remove(existing)
                }
                let id = declaration.id?.text ?? "\(kind.name)#\(plan.entities(of: kind).count + 1)"
                let entity = Entity(kind: kind, id: id, hasDeclaredID: declaration.id != nil, title: declaration.title, span: declaration.span)
                plan.add(entity)
                cell.entity = entity
                if case .global(let slot)? = binding {
                    machine.globals[slot] = .entity(entity)
                    machine.globalIsSet[slot] = true
                }
                return nil
            }
            let fields: [(index: Int, spec: FieldSpec, source: FieldSource, span: Span)] = declaration.fields.compactMap { field in
                guard let index = kind.index[field.key.text] else { return nil }
                let spec = kind.fields[index]
                return (index, spec, fieldSource(field.value, as: spec.type), field.value.span)
            }
            fills.append { frame in
                guard let entity = cell.entity else { return [] }
                var problems: [Diagnostic] = []
                for field in fields {
                    do {
                        let value = try field.source.value(frame, plan: machine.plan)
                        switch FieldConversion.convert(value, to: field.spec.type, field: field.spec.name, plan: machine.plan) {
                        case .success(let converted):
                            entity.fields[field.index] = converted
                        case .failure(let kind):
                            problems.append(Diagnostic(kind, at: field.span))
                        }
                    } catch let error as RuntimeError {
                        problems.append(error.diagnostic)
                    } catch {}
                }
                machine.plan.changed()
                return problems
            }
        }
        let ruleSetups = rules.map(compileRule)
        return CompiledPlan(
            declare: { frame in declares.compactMap { $0(frame) } },
            fill: { frame in
                let problems = fills.flatMap { $0(frame) }
                for setup in ruleSetups { setup(frame) }
                return problems
            })
    }

    /// How a field's value is made. Literals, scale words and entity ids (the bulk of a
    /// large plan) need no compiled code; the resolver left the words unrecorded (see
    /// `Resolver.resolveLevelWord`), so a word without a reference is read here by the
    /// field's type.
    func fieldSource(_ expr: Expr, as type: FieldType) -> FieldSource {
        switch expr.kind {
        case .literal(let literal): return .constant(Compiler.value(of: literal))
        case .bool(let value): return .constant(.bool(value))
        case .nilLiteral: return .constant(.nil)
        case .symbol(let word): return .constant(.symbol(word))
        case .variable(let name) where resolution.reference(name) == nil:
            switch type {
            case .level(let scale), .levels(let scale):
                if scale.value(named: name.text) != nil { return .constant(.symbol(name.text)) }
            case .ref(let kinds), .refs(let kinds):
                return .entity(name.text, kinds: kinds, span: name.span)
            default:
                break
            }
        case .list(let items):
            let element: FieldType
            switch type {
            case .levels(let scale): element = .level(scale)
            case .refs(let kinds): element = .ref(kinds)
            default: element = type
            }
            let sources = items.map { fieldSource($0, as: element) }
            if sources.allSatisfy(\.isConstant) {
                return .constant(.list(ListObject(ContiguousArray(sources.map { $0.constantValue ?? .nil }))))
            }
            return .list(sources)
        case .record(let entries):
            if case .refMap(_, let valueType) = type {
                return .record(Shape(keys: entries.map(\.key.text)), entries.map { fieldSource($0.value, as: valueType) })
            }
        default:
            break
        }
        return .code(compileExpr(expr))
    }

    /// Registers a rule: its items come from the sequence; when/expect/message run in a
    /// frame of their own with the item in slot 1.
    private func compileRule(_ rule: RuleDecl) -> (Frame) -> Void {
        let machine = self.machine
        let sequence = compileExpr(rule.sequence)
        let mainFrameSize = frameSize
        let layout = resolution.rules[ObjectIdentifier(rule)] ?? FunctionLayout(frameSize: 2, captures: [])
        frameSize = layout.frameSize
        let setItem = loopSetter(rule.binding)
        let when = rule.when.map(condition)
        let expect = condition(rule.expect)
        let message = rule.message.map(compileExpr)
        frameSize = mainFrameSize
        return { frame in
            let ruleFrame = frame + mainFrameSize
            machine.plan.rules.append(RuleDefinition(
                id: rule.id.text, title: rule.title, span: rule.span,
                sequence: { try sequence(frame) },
                violation: { item in
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
    public func checkRules() -> [Diagnostic] {
        var found: [Diagnostic] = []
        for rule in rules {
            do {
                let items: ContiguousArray<Value>
                switch try rule.sequence() {
                case .list(let list): items = list.items
                case let single: items = [single]
                }
                for item in items {
                    guard let message = try rule.violation(item) else { continue }
                    var span = rule.span
                    if case .entity(let entity) = item { span = entity.span }
                    found.append(Diagnostic(.ruleViolation(rule: rule.id, message: message), at: span, severity: .warning))
                }
            } catch let error as RuntimeError {
                found.append(error.diagnostic)
            } catch {}
        }
        return found
    }
}

/// A declared field's value: known when compiled, an entity looked up by id when the
/// field is filled (after every entity exists), or code to run.
indirect enum FieldSource {
    case constant(Value)
    case entity(String, kinds: [String], span: Span)
    case list([FieldSource])
    case record(Shape, [FieldSource])
    case code(ExprCode)

    var isConstant: Bool {
        if case .constant = self { return true }
        return false
    }

    var constantValue: Value? {
        if case .constant(let value) = self { return value }
        return nil
    }

    func value(_ frame: Frame, plan: Plan) throws -> Value {
        switch self {
        case .constant(let value):
            return value
        case .entity(let id, let kinds, let span):
            // Only missing when the resolver has already reported the word.
            guard let entity = plan.entity(id: id) else {
                throw RuntimeError(.unknownEntity(kind: kinds.joined(separator: " or "), id: id, suggestion: nil), at: span)
            }
            return .entity(entity)
        case .list(let items):
            return .list(ListObject(ContiguousArray(try items.map { try $0.value(frame, plan: plan) })))
        case .record(let shape, let values):
            return .record(RecordObject(shape: shape, values: ContiguousArray(try values.map { try $0.value(frame, plan: plan) })))
        case .code(let code):
            return try code(frame)
        }
    }
}
