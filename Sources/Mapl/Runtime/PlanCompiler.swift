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
    // A large plan is mostly literal fields, so declarations are not compiled into a
    // closure each: declare and fill walk the declarations themselves, and only fields
    // that are real expressions get compiled code (kept in one array, in field order).
    func compilePlan(_ items: [PlanItem], rules: [RuleDecl], replace: Bool) -> CompiledPlan {
        let machine = self.machine
        let table = DeclarationTable()
        func add(_ declaration: Declaration, slot compactSlot: Int? = nil) {
            guard let kind = Schema.kind(named: declaration.kind.text) else { return }
            var slot = compactSlot
            if let id = declaration.id, case .global(let global)? = resolution.binding(id) { slot = global }
            table.rows.append(.init(source: .declaration(declaration), kind: kind, slot: slot, firstCode: table.codes.count))
            for field in declaration.fields {
                guard let index = kind.index[field.key.text] else { continue }
                forEachCodePart(field.value, as: kind.fields[index].type) { table.codes.append(compileExpr($0)) }
            }
        }
        for item in items {
            switch item {
            case .declaration(let declaration):
                add(declaration)
            case .lines(let batch):
                guard let kind = Schema.kind(named: batch.kind) else { continue }
                // Runs of plain lines become one row each; expanded lines go the usual way.
                let expanded = resolution.expandedLines[ObjectIdentifier(batch)] ?? [:]
                var runStart = 0
                for line in 0...batch.count {
                    let declaration = line < batch.count ? expanded[line] : nil
                    guard line == batch.count || declaration != nil else { continue }
                    if runStart < line {
                        table.rows.append(.init(source: .lines(batch, runStart..<line), kind: kind, slot: nil, firstCode: table.codes.count))
                    }
                    if let declaration { add(declaration) }
                    runStart = line + 1
                }
            case .declarations(let batch):
                // Runs of plain declarations become one row each, as lines do: a row per
                // declaration was 72 bytes, a tenth of a large plan's memory.
                let expanded = resolution.expandedDeclarations[ObjectIdentifier(batch)] ?? [:]
                let slots = resolution.declarationSlots[ObjectIdentifier(batch)] ?? []
                var run = DeclarationTable.CompactRun(batch: batch, slots: slots, firstCode: table.codes.count)
                for index in 0..<batch.count {
                    if let declaration = expanded[index] {
                        if !run.declarations.isEmpty { table.rows.append(.init(compact: run)) }
                        add(declaration, slot: run.slot(of: index))
                        run = DeclarationTable.CompactRun(batch: batch, slots: slots, firstCode: table.codes.count)
                        continue
                    }
                    run.append(index, codes: table.codes.count)
                    let kind = batch.kinds[index]
                    for field in batch.fields(of: index) {
                        guard case .expression(let expr) = batch.value(field) else { continue }
                        forEachCodePart(expr, as: kind.fields[Int(batch.slots[field])].type) { table.codes.append(compileExpr($0)) }
                    }
                }
                if !run.declarations.isEmpty { table.rows.append(.init(compact: run)) }
            }
        }
        let ruleSetups = rules.map(compileRule)
        return CompiledPlan(
            declare: { _ in
                var problems: [Diagnostic] = []
                var counts = [Int](repeating: 0, count: Schema.kinds.count)
                var identified = 0
                for row in table.rows {
                    switch row.source {
                    case .declaration(let declaration):
                        counts[row.kind.ordinal] += 1
                        if declaration.id != nil { identified += 1 }
                    case .compact(let run):
                        for index in run.declarations { counts[run.batch.kinds[index].ordinal] += 1 }
                        identified += run.declarations.count
                    case .lines:
                        break
                    }
                }
                machine.plan.reserve(counts, identified: identified)
                for row in table.rows.indices { table.declare(row, in: machine, replace: replace, into: &problems) }
                return problems
            },
            fill: { frame in
                var problems: [Diagnostic] = []
                let lastRows = table.lastRowOfEachBatch()
                for row in table.rows.indices {
                    self.fill(table, row, frame, into: &problems)
                    machine.plan.changed()  // a later field's code may ask the graph
                    // A batch's values are in the plan once its last row is filled.
                    if let batch = table.rows[row].source.filledBatch, lastRows[ObjectIdentifier(batch)] == row { batch.releaseFilledValues() }
                    table.rows[row].entities = []  // (the plan holds them)
                }
                // The table is done with: a compiled program is kept to the end of the run.
                table.finished()
                for setup in ruleSetups { setup() }
                return problems
            })
    }

    /// Evaluates, converts and stores every field of one declared entity.
    private func fill(_ table: DeclarationTable, _ row: Int, _ frame: Frame, into problems: inout [Diagnostic]) {
        let kind = table.rows[row].kind
        var cursor = table.rows[row].firstCode
        switch table.rows[row].source {
        case .declaration(let declaration):
            guard let entity = table.rows[row].entity else { return }
            entity.fields.reserve(declaration.fields.count)
            for field in declaration.fields {
                guard let index = kind.index[field.key.text] else { continue }
                fillField(entity, index, field.value, frame, table.codes, &cursor, into: &problems)
            }
        case .compact(let run):
            let batch = run.batch
            if table.words?.names !== batch.names { table.words = WordMeanings(names: batch.names) }
            guard let words = table.words else { return }
            for (position, index) in run.declarations.enumerated() {
                guard let entity = table.rows[row].entities[position] else { continue }
                cursor = run.firstCode(at: position)
                fillCompact(batch, index, into: entity, words: words, frame, table.codes, &cursor, into: &problems)
                machine.plan.changed()  // (as after each row: a later field's code may ask the graph)
            }
            FieldValues.share(table.rows[row].entities.compactMap { $0 })
        case .lines(let batch, let lines):
            fillLines(batch, lines, kind: kind, from: table.rows[row].firstLine, people: &table.linePeople, into: &problems)
        }
    }

    /// Evaluates one field's value (taking its code from `codes` at `cursor`) and stores it.
    func fillField(_ entity: Entity, _ index: Int, _ expr: Expr, _ frame: Frame, _ codes: [ExprCode], _ cursor: inout Int,
                           into problems: inout [Diagnostic]) {
        let spec = entity.kind.fields[index]
        let fieldStart = cursor
        do {
            store(try fieldValue(expr, as: spec.type, frame, codes, &cursor), in: entity, index, at: expr.span, into: &problems)
        } catch let error as RuntimeError {
            problems.append(error.diagnostic)
            // Code after the failure in this field did not run: skip past it.
            var count = 0
            forEachCodePart(expr, as: spec.type) { _ in count += 1 }
            cursor = fieldStart + count
        } catch {}
    }

    /// Converts a field value to the field's type and stores it, or reports why not.
    func store(_ value: Value, in entity: Entity, _ index: Int, at span: Span, into problems: inout [Diagnostic]) {
        let spec = entity.kind.fields[index]
        switch FieldConversion.convert(value, to: spec.type, field: spec.name, plan: machine.plan) {
        case .success(let converted): entity.fields[index] = converted
        case .failure(let kind): problems.append(Diagnostic(kind, at: span))
        }
    }

    /// Sets the ends and strength of plain shorthand lines (see LineBatch.swift), declared
    /// in the plan's columns from index `first`. The values are converted as the fields
    /// of a written declaration are, so the same checks and messages apply.
    private func fillLines(_ batch: LineBatch, _ lines: Range<Int>, kind: EntityKind, from first: Int,
                           people cache: inout LinePeople?, into problems: inout [Diagnostic]) {
        let plan = machine.plan
        guard let fromSlot = kind.index["from"], let toSlot = kind.index["to"] else { return }
        let strengthSpec = kind.index["strength"].map { kind.fields[$0] }
        let stakeholderKind = Schema.kind(named: "stakeholder")
        func end(_ name: Name, _ slot: Int) -> Entity? {
            // The resolver let through only ids of declared entities.
            guard let entity = plan.entity(id: name.text) else {
                problems.append(Diagnostic(.unknownEntity(kind: "stakeholder", id: name.text, suggestion: nil), at: name.span))
                return nil
            }
            switch FieldConversion.convert(.entity(entity), to: kind.fields[slot].type, field: kind.fields[slot].name, plan: plan) {
            case .success: return entity
            case .failure(let problem): problems.append(Diagnostic(problem, at: name.span)); return nil
            }
        }
        // The stakeholder each name stands for, looked up once per name (all entities are
        // declared before any line is filled, so the answer does not change).
        var people = cache?.names === batch.names ? cache?.serials ?? [] : []
        cache = nil  // (no second reference while `people` grows)
        defer { cache = LinePeople(names: batch.names, serials: people) }
        if people.count < batch.names.count { people += repeatElement(LinePeople.notLooked, count: batch.names.count - people.count) }
        func person(_ symbol: Int32) -> Int32? {
            let index = Int(symbol)
            if people[index] == LinePeople.notLooked {
                let found = plan.entity(id: batch.names.text(symbol)).flatMap { $0.kind === stakeholderKind ? $0 : nil }
                people[index] = found.map(plan.serial(of:)) ?? LinePeople.none
            }
            return people[index] >= 0 ? people[index] : nil
        }
        var wordLevels: [Int32: Level] = [:]  // strength words already converted
        let strengthForm = strengthSpec.map { FillForm($0.type) }
        for line in lines {
            // A name that is no stakeholder is looked at again, for its diagnostic.
            let fromEntity = person(batch.from[line]) ?? end(batch.fromName(line), fromSlot).map(plan.serial(of:))
            let toEntity = person(batch.to[line]) ?? end(batch.toName(line), toSlot).map(plan.serial(of:))
            var strength: Level?
            // Words seen before, and numbers and shares in the scale's range, need no checks.
            let written = batch.writtenStrength(line)
            let value: Value?
            switch written {
            case .none: value = nil
            case .word(let word):
                strength = wordLevels[word]
                value = strength == nil ? .symbol(batch.names.text(word)) : nil
            case .number(let number): value = .number(number)
            case .percent(let share): value = .percent(share)
            }
            if let value, case .level(let level)? = strengthForm?.directly(value) {
                strength = level
            } else if let value, let strengthSpec {
                switch FieldConversion.convert(value, to: strengthSpec.type, field: strengthSpec.name, plan: plan) {
                case .success(.level(let level)):
                    strength = level
                    if case .word(let word) = written { wordLevels[word] = level }
                case .success: break
                case .failure(let problem): problems.append(Diagnostic(problem, at: batch.strengthSpan(line)))
                }
            }
            // (Set also when an end was rejected: the batch's names make way for numbers.)
            plan.setLine(of: kind, first + line - lines.lowerBound, from: fromEntity ?? -1, to: toEntity ?? -1, strength: strength)
        }
        plan.linesFilled(of: kind, from: first)
    }

    /// How a field value is made. Literals, scale words and entity ids (the bulk of a
    /// large plan) need no compiled code: the resolver left such words without a
    /// reference (see `Resolver.resolveLevelWord`), so a word without one is read here by
    /// the field's type.
    private func fieldShape(_ expr: Expr, as type: FieldType) -> FieldShape {
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
                return .entity(name, kinds: kinds)
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
        default:
            break
        }
        return .code
    }

    /// Calls `visit` with each part of a field value that needs compiled code, in the
    /// order `fieldValue` takes their code.
    private func forEachCodePart(_ expr: Expr, as type: FieldType, _ visit: (Expr) -> Void) {
        switch fieldShape(expr, as: type) {
        case .constant, .entity: return
        case .list(let items, let element): for item in items { forEachCodePart(item, as: element, visit) }
        case .record(let entries, let valueType): for entry in entries { forEachCodePart(entry.value, as: valueType, visit) }
        case .code: visit(expr)
        }
    }

    private func fieldValue(_ expr: Expr, as type: FieldType, _ frame: Frame, _ codes: [ExprCode], _ cursor: inout Int) throws -> Value {
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
                    found.append(Diagnostic(.ruleViolation(rule: rule.id, message: message), at: span, severity: .warning))
                }
            } catch let error as RuntimeError {
                found.append(error.diagnostic)
            } catch {}
        }
        return found
    }
}

/// The stakeholder behind each name of a line-name table, as far as looked up: its
/// serial number in the plan, `none`, or `notLooked`.
struct LinePeople {
    static let notLooked: Int32 = -2
    static let none: Int32 = -1

    let names: NameTable
    var serials: [Int32]
}

/// A plan declaration as the compiler takes it: written out, or a batch of shorthand lines.
enum PlanItem {
    case declaration(Declaration)
    case lines(LineBatch)
    case declarations(DeclarationBatch)
}

/// What a field value is, read from its syntax and the field's type (see `fieldShape`).
enum FieldShape {
    case constant(Value)
    case entity(Name, kinds: [String])
    case list([Expr], element: FieldType)
    case record([RecordField], values: FieldType)
    case code
}

/// The plan declarations of one program, with their entities once declared and the
/// compiled code of their non-literal fields.
final class DeclarationTable {
    struct Row {
        enum Source {
            case declaration(Declaration)
            /// Consecutive plain declarations of a batch.
            case compact(CompactRun)
            /// Plain shorthand lines, held in the plan's columns from `firstLine`.
            case lines(LineBatch, Range<Int>)

            /// The batch of declarations the row was read from, if any (a batch of lines
            /// is filled in place: it has nothing to let go).
            var filledBatch: DeclarationBatch? {
                switch self {
                case .declaration, .lines: return nil
                case .compact(let run): return run.batch
                }
            }
        }

        let source: Source
        /// The kind declared (for a compact run, see its batch's `kinds`).
        let kind: EntityKind
        /// The global that names the entity, when the declaration has an id.
        let slot: Int?
        /// Where this declaration's field code starts in `codes`.
        let firstCode: Int
        var entity: Entity?
        var firstLine = 0
        /// A compact run's entities, by position in the run (nil where the id was taken).
        var entities: ContiguousArray<Entity?> = []

        init(source: Source, kind: EntityKind, slot: Int?, firstCode: Int) {
            (self.source, self.kind, self.slot, self.firstCode) = (source, kind, slot, firstCode)
        }

        init(compact run: CompactRun) {
            self.init(source: .compact(run), kind: run.batch.kinds[run.declarations.lowerBound], slot: nil, firstCode: run.firstCode(at: 0))
        }
    }

    /// Consecutive plain declarations of a batch, with where each one's field code starts
    /// (stored only when some field of the run has code: a large plan has none).
    struct CompactRun {
        let batch: DeclarationBatch
        /// The global slot of each declaration of the batch (-1 when its id was taken).
        let slots: [Int32]
        private(set) var declarations: Range<Int>
        private let runFirstCode: Int
        private var codeStarts: [Int32] = []

        init(batch: DeclarationBatch, slots: [Int32], firstCode: Int) {
            (self.batch, self.slots, runFirstCode) = (batch, slots, firstCode)
            declarations = 0..<0
        }

        /// Adds declaration `index` (the next of the batch), whose code starts at `codes`.
        mutating func append(_ index: Int, codes: Int) {
            declarations = declarations.isEmpty ? index..<index + 1 : declarations.lowerBound..<index + 1
            guard codes > runFirstCode else { return }  // (no code so far: all start at the first)
            if codeStarts.isEmpty { codeStarts = Array(repeating: Int32(runFirstCode), count: declarations.count - 1) }
            codeStarts.append(Int32(codes))
        }

        func firstCode(at position: Int) -> Int { position < codeStarts.count ? Int(codeStarts[position]) : runFirstCode }

        func slot(of index: Int) -> Int? { index < slots.count && slots[index] >= 0 ? Int(slots[index]) : nil }
    }

    var rows: [Row] = []
    var codes: [ExprCode] = []
    /// What the names of shorthand lines stand for, kept across batches of one file.
    var linePeople: LinePeople?
    /// What the words of plain declarations stand for, kept across batches of one file.
    var words: WordMeanings?

    /// Lets go of the rows, their code and what words stood for once the plan is filled
    /// in (each program fills its plan once).
    func finished() {
        rows = []
        codes = []
        linePeople = nil
        words = nil
    }

    /// Per batch, its last row (a batch's rows are apart when lines of it went the
    /// ordinary way, as declarations of their own).
    func lastRowOfEachBatch() -> [ObjectIdentifier: Int] {
        var last: [ObjectIdentifier: Int] = [:]
        for (row, entry) in rows.enumerated() {
            if let batch = entry.source.filledBatch { last[ObjectIdentifier(batch)] = row }
        }
        return last
    }

    /// Creates the entities of one row and binds their ids; a problem for each id taken.
    func declare(_ row: Int, in machine: Machine, replace: Bool, into problems: inout [Diagnostic]) {
        let kind = rows[row].kind
        switch rows[row].source {
        case .declaration(let written):
            let declared = declare(kind, name: written.id, title: written.title, span: written.span, origin: .written(written),
                                   slot: rows[row].slot, in: machine, replace: replace, into: &problems)
            rows[row].entity = declared
        case .compact(let run):
            let batch = run.batch
            var entities = ContiguousArray<Entity?>()
            entities.reserveCapacity(run.declarations.count)
            for index in run.declarations {
                entities.append(declare(batch.kinds[index], name: batch.idName(index), title: batch.titles[index], span: batch.header(index),
                                        origin: .compact(batch, Int32(index)), slot: run.slot(of: index), in: machine, replace: replace, into: &problems))
            }
            rows[row].entities = entities
        case .lines(let batch, let lines):
            rows[row].firstLine = machine.plan.appendLines(of: kind, from: batch, lines: lines)
        }
    }

    /// Creates one declared entity and binds its id; nil, and a problem, when the id is taken.
    private func declare(_ kind: EntityKind, name: Name?, title: String?, span: Span, origin: EntityOrigin, slot: Int?,
                         in machine: Machine, replace: Bool, into problems: inout [Diagnostic]) -> Entity? {
        let plan = machine.plan
        if let existing = name.flatMap({ plan.entity(id: $0.text) }) ?? (kind.isSingleton ? plan.singleton(kind) : nil) {
            if !replace {
                problems.append(kind.isSingleton && name.map({ $0.text != existing.id }) ?? kind.isSingleton
                    ? Diagnostic(.singletonRedeclared(kind.name), at: span, notes: [.init(span: existing.span, message: "the \(kind.name) was declared here")])
                    : Diagnostic(.duplicateDeclaration(existing.id), at: name?.span ?? span, notes: [.init(span: existing.span, message: "'\(existing.id)' was first declared here")]))
                return nil
            }
            plan.remove(existing)
        }
        let id = name?.text ?? "\(kind.name)#\(plan.count(of: kind) + 1)"
        let entity = Entity(kind: kind, id: id, hasDeclaredID: name != nil, title: title, origin: origin)
        plan.add(entity)
        if let slot {
            machine.globals[slot] = .entity(entity)
            machine.globalIsSet[slot] = true
        }
        return entity
    }
}
