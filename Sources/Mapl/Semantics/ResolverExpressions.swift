// The resolver's expressions: every name bound to a local, capture, global or built-in,
// query clauses with their item variable, and calls checked against the callee's arity.

extension Resolver {
    mutating func resolveExpr(_ expr: Expr) {
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
    mutating func resolveClause(_ clause: QueryClause) {
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

    enum NameKind {
        case variable, function(arity: Int?), builtin(Arity), constant(String), unknown
    }

    /// What a name currently denotes, for arity and assignment checks.
    func lookupKind(_ name: String) -> NameKind {
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

    mutating func checkArity(callee: Expr, count: Int) {
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

    mutating func resolveName(_ name: Name) {
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
    func isBound(_ name: String) -> Bool {
        for context in functions.reversed() {
            if lookupLocal(name, in: context) != nil || context.selfName == name { return true }
        }
        return globals.lookup(name) != nil || builtins[name] != nil
    }

    func lookupLocal(_ name: String, in context: FunctionContext) -> LocalVariable? {
        for scope in context.scopes.reversed() {
            if let declared = scope[name] { return declared.variable }
        }
        return nil
    }

    /// Finds `name` in an enclosing function and threads it through every function in
    /// between as a capture (Lua's upvalues). Returns the capture index in `depth`.
    mutating func resolveCapture(_ name: String, depth: Int) -> Int? {
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

    func visibleNames() -> [String] {
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
