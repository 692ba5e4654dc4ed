// The resolver: binds every name to a slot before anything runs, and reports undefined
// or duplicate names, wrong arity, misplaced return/break and assignments to constants.

/// Resolves one program against the session's globals and the built-ins.
public struct Resolver {
    private let globals: GlobalScope
    private let builtins: [String: (index: Int, arity: Arity)]
    /// The REPL lets a user declare a top-level name again; files may not.
    private let allowRedeclaration: Bool
    private let resolution = Resolution()
    private var diagnostics: [Diagnostic] = []
    private var functions: [FunctionContext] = []
    /// Global names read while resolving a top-level let's value or a plan part.
    private var collectedGlobals: Set<String>?
    private var letDependencies: [String: Set<String>] = [:]
    private var planDependencies: Set<String> = []
    /// Query clauses being resolved: each one's item variable and function depth.
    private var rows: [(variable: LocalVariable, depth: Int)] = []

    /// One function being resolved: its block scopes, slots and captures.
    private final class FunctionContext {
        var scopes: [[String: Declared]] = [[:]]
        var nextSlot = 1
        var captures: [CaptureSource] = []
        var captureIndex: [ObjectIdentifier: Int] = [:]  // by the captured variable
        var captureNames: [String: Int] = [:]
        let selfName: String?
        /// The function's own parameter count, for checking calls to itself.
        var arity: Int?
        var loopDepth = 0
        /// Names that blocks being resolved declare further down (for "used before").
        var laterNames: [Set<String>] = []
        /// Inside an `if` whose value is used: return/break/continue may not leave it.
        var valueIfDepth = 0
        let isMain: Bool

        init(selfName: String?, isMain: Bool) {
            self.selfName = selfName
            self.isMain = isMain
        }
    }

    private struct Declared {
        var variable: LocalVariable
        var span: Span
        var isFunction: Bool
        var arity: Int?
    }

    public init(globals: GlobalScope, allowRedeclaration: Bool = false) {
        self.globals = globals
        self.builtins = Builtins.signatures
        self.allowRedeclaration = allowRedeclaration
    }

    /// Resolves a program; on success the compiler can run it without name lookups.
    public static func resolve(_ program: Program, globals: GlobalScope, allowRedeclaration: Bool = false) -> (Resolution, [Diagnostic]) {
        resolve([program], globals: globals, allowRedeclaration: allowRedeclaration)
    }

    /// Resolves programs that form one plan (a file and its imports) together, so that
    /// each may refer to what the others declare.
    public static func resolve(_ programs: [Program], globals: GlobalScope, allowRedeclaration: Bool = false) -> (Resolution, [Diagnostic]) {
        var resolver = Resolver(globals: globals, allowRedeclaration: allowRedeclaration)
        resolver.resolvePrograms(programs)
        return (resolver.resolution, resolver.diagnostics)
    }

    private mutating func report(_ kind: DiagnosticKind, _ span: Span, notes: [Diagnostic.Note] = []) {
        diagnostics.append(Diagnostic(kind, at: span, notes: notes))
    }

    // MARK: - Program and declarations

    mutating func resolvePrograms(_ programs: [Program]) {
        functions = [FunctionContext(selfName: nil, isMain: true)]
        // Top-level functions and plan entities are hoisted (usable anywhere, in any
        // order); top-level lets are declared now but count as initialized only once passed.
        var declaredCount = 0
        for program in programs {
            for statement in program.statements {
                if case .declaration(let declaration) = statement.kind, declaration.id != nil { declaredCount += 1 }
            }
        }
        globals.beginDeclaring()
        globals.reserve(declaredCount)
        resolution.bindings.reserveCapacity(declaredCount)
        for program in programs {
            for statement in program.statements {
                switch statement.kind {
                case .letBinding(let name, _):
                    declareGlobal(name, isFunction: false, arity: nil)
                case .function(let function):
                    if let name = function.name {
                        declareGlobal(name, isFunction: true, arity: function.parameters.count)
                    }
                case .declaration(let declaration):
                    if let id = declaration.id {
                        declareGlobal(id, isFunction: false, arity: nil, constant: declaration.kind.text)
                    }
                case .expression, .assignment, .forLoop, .whileLoop, .returnStatement, .breakStatement, .continueStatement,
                     .rule, .importFile:
                    break
                }
            }
        }
        for program in programs {
            for statement in program.statements { resolveStatement(statement) }
        }
        // Lets the plan needs, and the lets those need in turn.
        var needed = planDependencies
        var queue = Array(planDependencies)
        while let name = queue.popLast() {
            for dependency in letDependencies[name] ?? [] where needed.insert(dependency).inserted { queue.append(dependency) }
        }
        resolution.letsBeforePlan = needed.filter { letDependencies[$0] != nil }
        resolution.mainFrameSize = functions[0].nextSlot
    }

    /// Declares a top-level name; its global slot, or nil when the name is taken. The
    /// binding is recorded by the name's span unless `bind` is false.
    @discardableResult
    private mutating func declareGlobal(_ name: Name, isFunction: Bool, arity: Int?, constant: String? = nil,
                                        bind: Bool = true) -> Int? {
        switch globals.declareNew(name.text, isFunction: isFunction, arity: arity, span: name.span, initialized: isFunction || constant != nil,
                                  constant: constant, allowRedeclaration: allowRedeclaration) {
        case .taken(let previous):
            report(.duplicateDeclaration(name.text), name.span, notes: [.init(span: previous, message: "'\(name.text)' was first declared here")])
            return nil
        case .slot(let slot):
            if bind { resolution.bindings[SpanKeyValue(name.span)] = .global(slot) }
            return slot
        }
    }

    private var current: FunctionContext { functions[functions.count - 1] }
    private var atTopLevelScope: Bool { functions.count == 1 && current.scopes.count == 1 }

    /// Declares a local in the innermost scope (top-level names were declared up front).
    private mutating func declareLocal(_ name: Name, isFunction: Bool = false, arity: Int? = nil) {
        if atTopLevelScope {
            if let slot = globals.lookup(name.text)?.slot, resolution.bindings[SpanKeyValue(name.span)] == nil {
                resolution.bindings[SpanKeyValue(name.span)] = .global(slot)
            }
            globals.markInitialized(name.text)
            return
        }
        declareLocalInNewScope(name, isFunction: isFunction, arity: arity)
    }

    private mutating func withScope(_ body: (inout Resolver) -> Void) {
        current.scopes.append([:])
        body(&self)
        current.scopes.removeLast()
    }

    // MARK: - Statements

    private mutating func resolveBlock(_ block: Block) {
        withScope { resolver in resolver.resolveStatements(block.statements) }
    }

    /// Resolves a block's statements, knowing which names it declares further down.
    private mutating func resolveStatements(_ statements: [Stmt]) {
        var later: Set<String> = []
        for statement in statements {
            switch statement.kind {
            case .letBinding(let name, _): later.insert(name.text)
            case .function(let function): if let name = function.name { later.insert(name.text) }
            default: break
            }
        }
        current.laterNames.append(later)
        for statement in statements {
            switch statement.kind {
            case .letBinding(let name, _): current.laterNames[current.laterNames.count - 1].remove(name.text)
            case .function(let function): if let name = function.name { current.laterNames[current.laterNames.count - 1].remove(name.text) }
            default: break
            }
            resolveStatement(statement)
        }
        current.laterNames.removeLast()
    }

    private mutating func resolveStatement(_ statement: Stmt) {
        switch statement.kind {
        case .expression(let expr):
            if case .conditional(let condition, let then, let otherwise) = expr.kind {
                // An `if` statement: its branches may return, break and continue.
                resolveExpr(condition)
                resolveBlock(then)
                if let otherwise { resolveBlock(otherwise) }
            } else {
                resolveExpr(expr)
            }
        case .letBinding(let name, let value):
            if case .function = value.kind, !atTopLevelScope {
                // `let f = fn(n) => … f(n - 1) …` may call itself: declare f first.
                declareLocal(name)
                resolveExpr(value)
            } else if atTopLevelScope {
                collectedGlobals = []
                resolveExpr(value)
                letDependencies[name.text] = collectedGlobals ?? []
                collectedGlobals = nil
                declareLocal(name)
            } else {
                resolveExpr(value)
                declareLocal(name)
            }
        case .function(let function):
            if let name = function.name {
                declareLocal(name, isFunction: true, arity: function.parameters.count)
            }
            resolveFunction(function)
        case .assignment(let target, _, let value):
            resolveAssignmentTarget(target)
            resolveExpr(value)
        case .forLoop(let binding, let sequence, let body):
            resolveExpr(sequence)
            withScope { resolver in
                resolver.declareLoopBinding(binding)
                resolver.current.loopDepth += 1
                resolver.resolveBlock(body)
                resolver.current.loopDepth -= 1
            }
        case .whileLoop(let condition, let body):
            resolveExpr(condition)
            current.loopDepth += 1
            resolveBlock(body)
            current.loopDepth -= 1
        case .returnStatement(let value):
            if current.isMain { report(.returnOutsideFunction, statement.span) }
            else if current.valueIfDepth > 0 { report(.controlFlowInValueIf("return"), statement.span) }
            if let value { resolveExpr(value) }
        case .breakStatement:
            checkLoopControl("break", statement.span)
        case .continueStatement:
            checkLoopControl("continue", statement.span)
        case .declaration(let declaration):
            if !atTopLevelScope { report(.declarationInBlock(declaration.kind.text), declaration.span) }
            collectingPlanDependencies { $0.resolveDeclaration(declaration) }
        case .rule(let rule):
            if !atTopLevelScope { report(.declarationInBlock("rule"), rule.span) }
            collectingPlanDependencies { $0.resolveRule(rule) }
        case .importFile:
            if !atTopLevelScope { report(.declarationInBlock("import"), statement.span) }
        }
    }

    /// Runs `body`, noting the globals it uses as ones the plan needs (the lets they name
    /// run before any field is filled).
    private mutating func collectingPlanDependencies(_ body: (inout Resolver) -> Void) {
        collectedGlobals = []
        body(&self)
        planDependencies.formUnion(collectedGlobals ?? [])
        collectedGlobals = nil
    }

    private mutating func checkLoopControl(_ keyword: String, _ span: Span) {
        if current.loopDepth > 0 { return }
        report(current.valueIfDepth > 0 ? .controlFlowInValueIf(keyword) : .loopControlOutsideLoop(keyword), span)
    }

    private mutating func declareLoopBinding(_ binding: LoopBinding) {
        // Loop variables are never globals, even in a top-level loop.
        declareLocalInNewScope(binding.first)
        if let second = binding.second { declareLocalInNewScope(second) }
    }

    /// Declares a local slot in the innermost scope, even at top level (loop variables).
    private mutating func declareLocalInNewScope(_ name: Name, isFunction: Bool = false, arity: Int? = nil) {
        let context = current
        if let previous = context.scopes[context.scopes.count - 1][name.text] {
            report(.duplicateDeclaration(name.text), name.span, notes: [.init(span: previous.span, message: "'\(name.text)' was first declared here")])
            return
        }
        let variable = LocalVariable(name: name.text, slot: context.nextSlot)
        context.nextSlot += 1
        context.scopes[context.scopes.count - 1][name.text] = Declared(variable: variable, span: name.span, isFunction: isFunction, arity: arity)
        resolution.bindings[SpanKeyValue(name.span)] = .local(variable)
    }

    private mutating func resolveFunction(_ function: FunctionDecl) {
        let context = FunctionContext(selfName: function.name?.text, isMain: false)
        context.arity = function.parameters.count
        functions.append(context)
        for parameter in function.parameters { declareLocalInNewScope(parameter) }
        // The body shares the parameters' scope: `let x` may not redeclare parameter x.
        resolveStatements(function.body.statements)
        functions.removeLast()
        resolution.functions[ObjectIdentifier(function)] = FunctionLayout(frameSize: context.nextSlot, captures: context.captures)
    }

    private mutating func resolveAssignmentTarget(_ target: Expr) {
        switch target.kind {
        case .variable(let name):
            resolveName(name)
            switch lookupKind(name.text) {
            case .function: report(.assignToConstant(name: name.text, what: "function"), name.span)
            case .builtin: report(.assignToConstant(name: name.text, what: "built-in"), name.span)
            case .constant(let what): report(.assignToConstant(name: name.text, what: what), name.span)
            case .variable, .unknown: break
            }
        case .field(let object, _):
            resolveExpr(object)
        case .index(let object, let index):
            resolveExpr(object)
            resolveExpr(index)
        case .literal, .bool, .nilLiteral, .symbol, .interpolation, .list, .record, .unary, .binary,
             .call, .function, .conditional, .comprehension, .range, .query:
            report(.invalidAssignmentTarget, target.span)
        }
    }

    // MARK: - Expressions

    private mutating func resolveExpr(_ expr: Expr) {
        switch expr.kind {
        case .literal, .bool, .nilLiteral, .symbol:
            break
        case .interpolation(let parts):
            for part in parts {
                if case .expression(let inner) = part { resolveExpr(inner) }
            }
        case .variable(let name):
            resolveName(name)
        case .list(let items):
            for item in items { resolveExpr(item) }
        case .record(let fields):
            var seen: Set<String> = []
            for field in fields {
                if !seen.insert(field.key.text).inserted { report(.duplicateKey(field.key.text), field.key.span) }
                resolveExpr(field.value)
            }
        case .unary(_, let operand):
            resolveExpr(operand)
        case .binary(_, let left, let right):
            resolveExpr(left)
            resolveExpr(right)
        case .call(let callee, let arguments):
            resolveExpr(callee)
            for argument in arguments { resolveExpr(argument) }
            checkArity(callee: callee, count: arguments.count)
        case .index(let object, let index):
            resolveExpr(object)
            resolveExpr(index)
        case .field(let object, _):
            resolveExpr(object)
        case .function(let function):
            resolveFunction(function)
        case .conditional(let condition, let then, let otherwise):
            // An `if` used for its value: loops outside it cannot be left from inside.
            resolveExpr(condition)
            let savedLoopDepth = current.loopDepth
            current.loopDepth = 0
            current.valueIfDepth += 1
            resolveBlock(then)
            if let otherwise { resolveBlock(otherwise) }
            current.valueIfDepth -= 1
            current.loopDepth = savedLoopDepth
        case .comprehension(let element, let binding, let sequence, let condition):
            resolveExpr(sequence)
            withScope { resolver in
                resolver.declareLoopBinding(binding)
                if let condition { resolver.resolveExpr(condition) }
                resolver.resolveExpr(element)
            }
        case .range(let low, let high):
            resolveExpr(low)
            resolveExpr(high)
        case .query(let base, let clause):
            resolveExpr(base)
            resolveClause(clause)
        }
    }

    /// A query clause runs once per item: the item is a hidden local, and bare field
    /// names inside the clause read its fields.
    private mutating func resolveClause(_ clause: QueryClause) {
        withScope { resolver in
            let row = Name(text: "it", span: clause.span)
            resolver.declareLocalInNewScope(row)
            guard case .local(let variable)? = resolver.resolution.binding(row) else { return }
            resolver.rows.append((variable, resolver.functions.count - 1))
            switch clause.kind {
            case .filter(let condition): resolver.resolveExpr(condition)
            case .sort(let keys): for key in keys { resolver.resolveExpr(key.key) }
            case .group(let key): resolver.resolveExpr(key)
            case .select(let items):
                var seen: Set<String> = []
                for item in items {
                    if !seen.insert(item.key.text).inserted { resolver.report(.duplicateKey(item.key.text), item.key.span) }
                    resolver.resolveExpr(item.value)
                }
            case .take(let count):
                resolver.rows.removeLast()  // `take n` counts; it has no item
                resolver.resolveExpr(count)
                return
            }
            resolver.rows.removeLast()
        }
    }

    private enum NameKind {
        case variable, function(arity: Int?), builtin(Arity), constant(String), unknown
    }

    /// What a name currently denotes, for arity and assignment checks.
    private func lookupKind(_ name: String) -> NameKind {
        for context in functions.reversed() {
            for scope in context.scopes.reversed() {
                if let declared = scope[name] {
                    return declared.isFunction ? .function(arity: declared.arity) : .variable
                }
            }
            if context.selfName == name { return .function(arity: context.arity) }
        }
        if let global = globals.lookup(name) {
            if global.isFunction { return .function(arity: global.arity) }
            if let constant = global.constant { return .constant(constant) }
            return .variable
        }
        if let builtin = builtins[name] { return .builtin(builtin.arity) }
        return .unknown
    }

    private mutating func checkArity(callee: Expr, count: Int) {
        guard case .variable(let name) = callee.kind else { return }
        switch lookupKind(name.text) {
        case .function(let arity?) where arity != count:
            report(.wrongArity(name: name.text, expected: Arity(arity), got: count), callee.span)
        case .builtin(let arity) where !arity.accepts(count):
            report(.wrongArity(name: name.text, expected: arity, got: count), callee.span)
        case .function, .builtin, .variable, .constant, .unknown:
            break
        }
    }

    private mutating func resolveName(_ name: Name) {
        let key = SpanKeyValue(name.span)
        let depth = functions.count - 1
        // In a query clause a field name means the item's field (SQL-like), or, for
        // items without that field, whatever the name means outside the clause.
        if let row = rows.last, row.depth == depth, name.text != "it", Schema.allFieldNames.contains(name.text) {
            rows.removeLast()
            let diagnosticsBefore = diagnostics.count
            resolveName(name)
            let fallback = resolution.references[key]
            diagnostics.removeSubrange(diagnosticsBefore...)
            rows.append(row)
            resolution.references[key] = .rowField(row.variable, name.text, fallback: fallback)
            return
        }
        if let variable = lookupLocal(name.text, in: functions[depth]) {
            resolution.references[key] = .local(variable)
            return
        }
        if functions[depth].selfName == name.text {
            resolution.references[key] = .currentFunction
            return
        }
        if let capture = resolveCapture(name.text, depth: depth) {
            resolution.references[key] = .capture(capture)
            return
        }
        if let global = globals.lookup(name.text) {
            collectedGlobals?.insert(name.text)
            if functions.count == 1, !global.isInitialized {
                report(.usedBeforeDeclaration(name.text), name.span)
            }
            resolution.references[key] = .global(global.slot)
            return
        }
        if let builtin = builtins[name.text] {
            resolution.references[key] = .builtin(builtin.index)
            return
        }
        if let kind = Schema.kind(plural: name.text) {
            resolution.references[key] = .collection(kind)
            return
        }
        if let kind = Schema.kind(named: name.text), kind.isSingleton {
            resolution.references[key] = .singleton(kind)
            return
        }
        if Scales.valueNames.contains(name.text) {
            resolution.references[key] = .symbol(name.text)
            return
        }
        if let row = rows.last, row.depth == depth {
            // Not a known field, but the items may be records with such a field.
            resolution.references[key] = .rowField(row.variable, name.text, fallback: nil)
            return
        }
        if functions.contains(where: { $0.laterNames.contains { $0.contains(name.text) } }) {
            report(.usedBeforeDeclaration(name.text), name.span)
            return
        }
        report(.undefinedName(name.text, suggestion: suggestion(for: name.text, among: visibleNames())), name.span)
    }

    /// Whether a bare word names a variable, function, built-in or entity (and so is
    /// not a scale level or an unknown id).
    private func isBound(_ name: String) -> Bool {
        for context in functions.reversed() {
            if lookupLocal(name, in: context) != nil || context.selfName == name { return true }
        }
        return globals.lookup(name) != nil || builtins[name] != nil
    }

    private func lookupLocal(_ name: String, in context: FunctionContext) -> LocalVariable? {
        for scope in context.scopes.reversed() {
            if let declared = scope[name] { return declared.variable }
        }
        return nil
    }

    /// Finds `name` in an enclosing function and threads it through every function in
    /// between as a capture (Lua's upvalues). Returns the capture index in `depth`.
    private mutating func resolveCapture(_ name: String, depth: Int) -> Int? {
        guard depth >= 1 else { return nil }
        let context = functions[depth]
        if let existing = context.captureNames[name] { return existing }
        let enclosing = functions[depth - 1]
        let source: CaptureSource
        if let variable = lookupLocal(name, in: enclosing) {
            variable.isCaptured = true
            source = .local(variable)
        } else if let outer = resolveCapture(name, depth: depth - 1) {
            source = .capture(outer)
        } else {
            return nil
        }
        let index = context.captures.count
        context.captures.append(source)
        context.captureNames[name] = index
        return index
    }

    private func visibleNames() -> [String] {
        var names: [String] = []
        for context in functions {
            for scope in context.scopes { names.append(contentsOf: scope.keys) }
            if let selfName = context.selfName { names.append(selfName) }
        }
        names.append(contentsOf: globals.names)
        names.append(contentsOf: builtins.keys)
        names.append(contentsOf: Schema.kinds.map { $0.isSingleton ? $0.name : $0.plural })
        return names
    }
}

// MARK: - Plan declarations and rules

extension Resolver {
    /// Kinds whose entities need no id (lines, cells and the one-per-plan kinds).
    static let idOptional: Set<String> = ["account", "event", "influence", "conflict", "swot", "whitespace", "strategy", "plan"]

    fileprivate mutating func resolveDeclaration(_ declaration: Declaration) {
        guard let kind = Schema.kind(named: declaration.kind.text) else { return }
        if declaration.id == nil, !Resolver.idOptional.contains(kind.name) {
            report(.idRequired(kind.name), declaration.span)
        }
        var seen = Array(repeating: false, count: kind.fields.count)
        for field in declaration.fields {
            guard let index = kind.index[field.key.text] else {
                report(.unknownField(kind: kind.name, field: field.key.text, suggestion: suggestion(for: field.key.text, among: kind.fields.map(\.name))), field.key.span)
                continue
            }
            let spec = kind.fields[index]
            if seen[index] { report(.duplicateField(spec.name), field.key.span) }
            seen[index] = true
            resolveFieldValue(field.value, as: spec.type)
        }
    }

    /// Bare words in a field are read by the field's type: a scale level (`support:
    /// champion`) or an entity id (`reports_to: ceo`), and checked here, before running.
    private mutating func resolveFieldValue(_ value: Expr, as type: FieldType) {
        switch (type, value.kind) {
        case (.level(let scale), .variable(let name)), (.levels(let scale), .variable(let name)):
            resolveLevelWord(name, scale: scale)
        case (.levels(let scale), .list(let items)):
            for item in items {
                if case .variable(let name) = item.kind { resolveLevelWord(name, scale: scale) } else { resolveExpr(item) }
            }
        case (.ref(let kinds), .variable(let name)), (.refs(let kinds), .variable(let name)):
            resolveEntityWord(name, kinds: kinds)
        case (.refs(let kinds), .list(let items)):
            for item in items {
                if case .variable(let name) = item.kind { resolveEntityWord(name, kinds: kinds) } else { resolveExpr(item) }
            }
        case (.refMap(let kinds, let valueType), .record(let entries)):
            var seen: Set<String> = []
            for entry in entries {
                // The same person twice in a deal's roles is a slip, as in any record.
                if !seen.insert(entry.key.text).inserted { report(.duplicateKey(entry.key.text), entry.key.span) }
                if !isBound(entry.key.text) {
                    report(.unknownEntity(kind: kinds.joined(separator: " or "), id: entry.key.text, suggestion: suggestion(for: entry.key.text, among: entityIDs(of: kinds))), entry.key.span)
                } else if let other = globals.lookup(entry.key.text)?.constant, !kinds.contains(other) {
                    // An entity, but of another kind: say which, like a reference field does.
                    report(.wrongFieldType(field: entry.key.text, expected: kinds.map(article).joined(separator: " or "), found: "\(other) '\(entry.key.text)'"), entry.key.span)
                }
                resolveFieldValue(entry.value, as: valueType)
            }
        default:
            resolveExpr(value)
        }
    }

    // Field words are most of a large plan's names. Two kinds are left without an entry
    // in `resolution.references`, and the plan compiler reads them from the field type
    // instead (see `Compiler.fieldSource`): a word on the field's scale, and, in a
    // top-level declaration, an entity id. Everything else resolves like any name.

    private mutating func resolveLevelWord(_ name: Name, scale: Scale) {
        // A word on the field's scale means that level, even if an id or a variable
        // has the same name (an opportunity called `renewal`, say).
        if scale.value(named: name.text) != nil { return }
        if isBound(name.text) { return resolveName(name) }
        report(.notOnScale(value: name.text, scale: scale.name, suggestion: suggestion(for: name.text, among: scale.allNames), values: scale.values.map(\.name)), name.span)
    }

    /// Whether a word in a top-level declaration is a declared entity's id (not shadowed).
    private func isEntityID(_ word: String) -> Bool {
        functions.count == 1 && rows.isEmpty && lookupLocal(word, in: functions[0]) == nil && globals.lookup(word)?.constant != nil
    }

    private mutating func resolveEntityWord(_ name: Name, kinds: [String]) {
        if isEntityID(name.text) {
            return  // an entity id: entities are declared before any field is filled
        }
        if isBound(name.text) { return resolveName(name) }
        report(.unknownEntity(kind: kinds.joined(separator: " or "), id: name.text, suggestion: suggestion(for: name.text, among: entityIDs(of: kinds))), name.span)
    }

    /// The declared ids of entities of these kinds, for did-you-mean hints.
    private func entityIDs(of kinds: [String]) -> [String] {
        globals.names.filter { globals.lookup($0).flatMap(\.constant).map(kinds.contains) ?? false }
    }

    /// A rule's when/expect/message run like a function of one parameter: the item.
    fileprivate mutating func resolveRule(_ rule: RuleDecl) {
        resolveExpr(rule.sequence)
        let context = FunctionContext(selfName: nil, isMain: false)
        functions.append(context)
        declareLocalInNewScope(rule.binding)
        if let when = rule.when { resolveExpr(when) }
        resolveExpr(rule.expect)
        if let message = rule.message { resolveExpr(message) }
        functions.removeLast()
        resolution.rules[ObjectIdentifier(rule)] = FunctionLayout(frameSize: context.nextSlot, captures: context.captures)
    }
}
