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
            let fields: [(index: Int, spec: FieldSpec, code: ExprCode, span: Span)] = declaration.fields.compactMap { field in
                guard let index = kind.index[field.key.text] else { return nil }
                return (index, kind.fields[index], compileExpr(field.value), field.value.span)
            }
            fills.append { frame in
                guard let entity = cell.entity else { return [] }
                var problems: [Diagnostic] = []
                for field in fields {
                    do {
                        let value = try field.code(frame)
                        switch FieldConversion.convert(value, to: field.spec.type, field: field.spec.name, plan: machine.plan) {
                        case .success(let converted):
                            entity.fields[field.index] = converted
                            entity.fieldSpans[field.index] = field.span
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

    /// Registers a rule: its items come from the sequence; when/expect/message run in a
    /// frame of their own with the item in slot 1.
    private func compileRule(_ rule: RuleDecl) -> (Frame) -> Void {
        let machine = self.machine
        let sequence = compileExpr(rule.sequence)
        if rule.reportsFindings {
            return { frame in
                machine.plan.rules.append(RuleDefinition(
                    id: rule.id.text, title: rule.title, span: rule.span, sequence: { try sequence(frame) },
                    violation: { RuleFindings.message(of: $0, ruleID: rule.id.text, title: rule.title) }))
            }
        }
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
                    if let entity = RuleFindings.entity(of: item) { span = entity.span }
                    found.append(Diagnostic(.ruleViolation(rule: rule.id, message: message), at: span, severity: .warning))
                }
            } catch let error as RuntimeError {
                found.append(error.diagnostic)
            } catch {}
        }
        return found
    }
}
