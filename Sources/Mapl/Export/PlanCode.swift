// The parts of a plan that are code, kept as their source text so that an export can
// be turned back into the same plan: rules, criteria's score functions, and the
// top-level functions and `let` constants that code refers to.

/// One piece of source text that an export carries as code.
struct CodeItem {
    /// The rule id or the defined name.
    let name: String
    let title: String?
    let source: String
}

/// The code of a plan, found by parsing the session's sources again.
struct PlanCode {
    /// Top-level `fn` declarations, and the `let` constants the carried code refers to,
    /// in source order.
    let definitions: [CodeItem]
    /// The plan's rules, in the order they run.
    let rules: [CodeItem]
    /// The standard-library modules the plan imports (`std/scoring`), sorted: kept as
    /// imports, not as copies of the modules' code.
    let imports: [String]

    init(plan: Plan, sources: SourceMap) {
        var statements: [(stmt: Stmt, file: SourceFile)] = []
        var names: [FileID: [(start: Int32, end: Int32, text: String)]] = [:]
        var id: FileID = 0
        var modules = Set<String>()
        while let file = sources.file(id) {
            id += 1
            // A module's code comes back through its import.
            if file.name.hasPrefix(Stdlib.importPrefix) { continue }
            let (program, problems) = Parser.parse(file)
            // A source that does not parse cannot have contributed to the plan.
            if problems.contains(where: { $0.severity == .error }) { continue }
            for statement in program.statements {
                if case .importFile(let path) = statement.kind, let module = Stdlib.moduleName(ofImport: path) {
                    modules.insert(Stdlib.sourceName(ofModule: module))
                }
            }
            names[file.id] = Lexer.lex(file).tokens.filter { $0.kind == .identifier }.map { token in
                (token.start, token.end, file.text(of: Span(file: file.id, start: token.start, end: token.end)))
            }
            statements += program.statements.map { ($0, file) }
        }
        /// The names written inside a span.
        func identifiers(_ span: Span) -> [String] {
            (names[span.file] ?? []).filter { $0.start >= span.start && $0.end <= span.end }.map(\.text)
        }

        // Rules: the statements that declared the plan's rules (matched by header span).
        var rules: [CodeItem] = []
        var wanted: [String] = []
        for definition in plan.rules {
            guard let found = statements.last(where: { item in
                if case .rule(let rule) = item.stmt.kind { return rule.span == definition.span }
                return false
            }) else { continue }
            rules.append(CodeItem(name: definition.id, title: definition.title, source: found.file.text(of: found.stmt.span)))
            wanted += identifiers(found.stmt.span)
        }
        // Function-valued fields (a criterion's score) name what they call.
        for kind in Schema.kinds {
            for entity in plan.entities(of: kind) {
                for (index, spec) in kind.fields.enumerated() {
                    guard case .function = spec.type, let span = entity.codeSpan(index) else { continue }
                    wanted += identifiers(span)
                }
            }
        }
        // Definitions: the latest top-level definition of each name. Every function is
        // kept; a constant only when carried code needs it (directly or through another
        // definition), so a script's own working variables stay out.
        var latest: [String: Int] = [:]
        for (position, item) in statements.enumerated() {
            if let name = PlanCode.definedName(item.stmt) { latest[name] = position }
        }
        for position in latest.values {
            if case .function(let function) = statements[position].stmt.kind, let name = function.name { wanted.append(name.text) }
        }
        var included = Set<Int>()
        while let name = wanted.popLast() {
            guard let position = latest[name], included.insert(position).inserted else { continue }
            wanted += identifiers(statements[position].stmt.span)
        }
        definitions = included.sorted().map { position in
            let item = statements[position]
            return CodeItem(name: PlanCode.definedName(item.stmt) ?? "", title: nil, source: item.file.text(of: item.stmt.span))
        }
        self.rules = rules
        imports = modules.sorted()
    }

    /// The name a top-level `fn NAME` or `let NAME` defines.
    private static func definedName(_ stmt: Stmt) -> String? {
        switch stmt.kind {
        case .function(let function): return function.name?.text
        case .letBinding(let name, _): return name.text
        case .expression, .assignment, .forLoop, .whileLoop, .returnStatement, .breakStatement,
             .continueStatement, .declaration, .rule, .importFile: return nil
        }
    }
}
