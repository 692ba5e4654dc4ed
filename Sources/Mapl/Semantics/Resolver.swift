// The resolver: binds every name to a slot before anything runs, and reports undefined
// or duplicate names, wrong arity, misplaced return/break and assignments to constants.
// This file holds the program and its statements; ResolverExpressions.swift the
// expressions and names, ResolverDeclarations.swift plan declarations and rules. (Members
// are internal rather than private so that those files can share them.)

/// Resolves one program against the session's globals and the built-ins.
public struct Resolver {
    let globals: GlobalScope
    let builtins: [String: (index: Int, arity: Arity)]
    /// The REPL lets a user declare a top-level name again; files may not.
    let allowRedeclaration: Bool
    let resolution = Resolution()
    var diagnostics: [Diagnostic] = []
    var functions: [FunctionContext] = []
    /// Global names read while resolving a top-level let's value or a plan part.
    var collectedGlobals: Set<String>?
    var letDependencies: [String: Set<String>] = [:]
    var planDependencies: Set<String> = []
    /// Declaration fields of bare words that name variables, resolved as these
    /// expressions; they become expression fields once all programs are resolved.
    var fieldsToExpressions: [(DeclarationTable, Int, Expr)] = []
    /// What the words of the declaration table being resolved are (see `WordFacts`).
    var wordFacts = WordFacts()
    /// Query clauses being resolved: each one's item variable and function depth.
    var rows: [(variable: LocalVariable, depth: Int)] = []

    /// One function being resolved: its block scopes, slots and captures.
    final class FunctionContext {
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

    struct Declared {
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

    mutating func report(_ kind: DiagnosticKind, _ span: Span, notes: [Diagnostic.Note] = []) {
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
                if case .declaration(let declaration) = statement.kind, declaration.idSymbol != nil { declaredCount += 1 }
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
                        declareGlobal(id, isFunction: false, arity: nil, kind: declaration.entityKind)
                    }
                case .expression, .assignment, .forLoop, .whileLoop, .returnStatement, .breakStatement, .continueStatement,
                     .rule, .importFile:
                    break
                }
            }
        }
        resolveStatements(of: programs)
        // Fields found to hold names become expressions, now that every declaration is
        // resolved and no copy of their table's rows is held (the table changes them in
        // place).
        for (table, field, expr) in fieldsToExpressions { table.makeExpression(field, expr) }
        // Lets the plan needs, and the lets those need in turn.
        var needed = planDependencies
        var queue = Array(planDependencies)
        while let name = queue.popLast() {
            for dependency in letDependencies[name] ?? [] where needed.insert(dependency).inserted { queue.append(dependency) }
        }
        resolution.letsBeforePlan = needed.filter { letDependencies[$0] != nil }
        resolution.mainFrameSize = functions[0].nextSlot
    }

    /// Declares a top-level name (an entity's id when `kind` is given) and records its
    /// binding by the name's span; its global slot, or nil when the name is taken.
    @discardableResult
    mutating func declareGlobal(_ name: Name, isFunction: Bool, arity: Int?, kind: EntityKind? = nil) -> Int? {
        switch globals.declareNew(name.text, isFunction: isFunction, arity: arity, span: name.span, initialized: isFunction || kind != nil,
                                  kind: kind, allowRedeclaration: allowRedeclaration) {
        case .taken(let previous):
            report(.duplicateDeclaration(name.text), name.span, notes: [.init(span: previous, message: "'\(name.text)' was first declared here")])
            return nil
        case .slot(let slot):
            resolution.bindings[SpanKeyValue(name.span)] = .global(slot)
            return slot
        }
    }

    var current: FunctionContext { functions[functions.count - 1] }
    var atTopLevelScope: Bool { functions.count == 1 && current.scopes.count == 1 }

    /// Declares a local in the innermost scope (top-level names were declared up front).
    mutating func declareLocal(_ name: Name, isFunction: Bool = false, arity: Int? = nil) {
        if atTopLevelScope {
            if let slot = globals.lookup(name.text)?.slot, resolution.bindings[SpanKeyValue(name.span)] == nil {
                resolution.bindings[SpanKeyValue(name.span)] = .global(slot)
            }
            globals.markInitialized(name.text)
            return
        }
        declareLocalInNewScope(name, isFunction: isFunction, arity: arity)
    }

    mutating func withScope(_ body: (inout Resolver) -> Void) {
        current.scopes.append([:])
        body(&self)
        current.scopes.removeLast()
    }

    // MARK: - Statements

    mutating func resolveBlock(_ block: Block) {
        withScope { resolver in resolver.resolveStatements(block.statements) }
    }

    /// Resolves a block's statements, knowing which names it declares further down.
    mutating func resolveStatements(_ statements: [Stmt]) {
        var later: Set<String> = []
        for statement in statements {
            switch statement.kind {
            case .letBinding(let name, _): later.insert(name.text)
            case .function(let function): if let name = function.name { later.insert(name.text) }
            case .expression, .assignment, .forLoop, .whileLoop, .returnStatement, .breakStatement, .continueStatement, .declaration, .rule, .importFile: break
            }
        }
        current.laterNames.append(later)
        for statement in statements {
            switch statement.kind {
            case .letBinding(let name, _): current.laterNames[current.laterNames.count - 1].remove(name.text)
            case .function(let function): if let name = function.name { current.laterNames[current.laterNames.count - 1].remove(name.text) }
            case .expression, .assignment, .forLoop, .whileLoop, .returnStatement, .breakStatement, .continueStatement, .declaration, .rule, .importFile: break
            }
            resolveStatement(statement)
        }
        current.laterNames.removeLast()
    }

    mutating func resolveStatement(_ statement: Stmt) {
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

    /// Resolves the programs' statements in order. A top-level declaration reads its
    /// table's rows from a copy taken here once per table, not through the table (each
    /// read would retain the arrays).
    private mutating func resolveStatements(of programs: [Program]) {
        var rows = DeclarationRows(file: -1), rowsOf: DeclarationTable?
        for program in programs {
            for statement in program.statements {
                guard case .declaration(let declaration) = statement.kind else {
                    resolveStatement(statement)
                    continue
                }
                if rowsOf !== declaration.table { (rows, rowsOf) = (declaration.table.rows, declaration.table) }
                collectedGlobals = []
                resolveDeclaration(declaration, rows)
                notePlanDependencies()
            }
        }
    }

    /// Runs `body`, noting the globals it uses as ones the plan needs (the lets they name
    /// run before any field is filled).
    mutating func collectingPlanDependencies(_ body: (inout Resolver) -> Void) {
        collectedGlobals = []
        body(&self)
        notePlanDependencies()
    }

    /// Adds the globals collected since `collectedGlobals` was set to the plan's needs.
    private mutating func notePlanDependencies() {
        if let used = collectedGlobals, !used.isEmpty { planDependencies.formUnion(used) }
        collectedGlobals = nil
    }

    mutating func checkLoopControl(_ keyword: String, _ span: Span) {
        if current.loopDepth > 0 { return }
        report(current.valueIfDepth > 0 ? .controlFlowInValueIf(keyword) : .loopControlOutsideLoop(keyword), span)
    }

    mutating func declareLoopBinding(_ binding: LoopBinding) {
        // Loop variables are never globals, even in a top-level loop.
        declareLocalInNewScope(binding.first)
        if let second = binding.second { declareLocalInNewScope(second) }
    }

    /// Declares a local slot in the innermost scope, even at top level (loop variables).
    mutating func declareLocalInNewScope(_ name: Name, isFunction: Bool = false, arity: Int? = nil) {
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

    mutating func resolveFunction(_ function: FunctionDecl) {
        let context = FunctionContext(selfName: function.name?.text, isMain: false)
        context.arity = function.parameters.count
        functions.append(context)
        for parameter in function.parameters { declareLocalInNewScope(parameter) }
        // The body shares the parameters' scope: `let x` may not redeclare parameter x.
        resolveStatements(function.body.statements)
        functions.removeLast()
        resolution.functions[ObjectIdentifier(function)] = FunctionLayout(frameSize: context.nextSlot, captures: context.captures)
    }

    mutating func resolveAssignmentTarget(_ target: Expr) {
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
}

/// Per word of one declaration table, what the resolver found it to be, so that a plan
/// repeating a word many times asks once: whether it is an entity id (0 not asked, 1 yes,
/// 2 no), and the last scale asked about (its id plus one; negative when not on it); and
/// the record it was last a key of.
struct WordFacts {
    private var table: ObjectIdentifier?
    var entity: [UInt8] = []
    var level: [Int16] = []
    /// The record (its first entry's field row) the word was last a key of, or -1.
    var record: [Int32] = []

    /// Starts answering for `table` (with `names` words), forgetting another table's.
    mutating func use(_ table: DeclarationTable, names: Int) {
        if self.table != ObjectIdentifier(table) {
            self.table = ObjectIdentifier(table)
            entity = []
            level = []
            record = []
        }
        if entity.count < names {
            entity += repeatElement(0, count: names - entity.count)
            level += repeatElement(0, count: names - level.count)
            record += repeatElement(-1, count: names - record.count)
        }
    }
}
