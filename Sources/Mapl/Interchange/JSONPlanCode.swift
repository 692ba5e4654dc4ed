// The code a plan's JSON carries, checked before it is written into a plan: data must
// never become statements that run. A definition is one `fn` or one `let` (whose value
// does not print, export or read files), a rule is one `rule`, an import names a
// standard-library module.

extension PlanJSONDecoder {
    /// Built-ins with effects beyond computing a value: a `let` read from JSON may not
    /// name them (it runs when the written plan runs).
    static let effectfulBuiltins: Set<String> = ["print", "table", "export", "open_plan", "plan_changes", "assert"]

    /// The `imports`: standard-library modules only (`std/scoring`).
    mutating func imports(_ json: JSON) -> [String] {
        guard let list = PlanJSONDecoder.member(json, "imports") else { return [] }
        guard case .array(let items) = list else { fail("$.imports", "expected an array of module names, found \(PlanJSONDecoder.describe(list))"); return [] }
        var modules: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let path) = item, let module = Stdlib.moduleName(ofImport: path), Stdlib.path(ofModule: module) != nil else {
                fail("$.imports[\(index)]", "expected a standard-library module such as \"std/scoring\", found \(PlanJSONDecoder.describe(item))",
                     hint: "the modules are " + Stdlib.modules.map { Stdlib.sourceName(ofModule: $0) }.joined(separator: ", "))
                continue
            }
            modules.append(Stdlib.sourceName(ofModule: module))
        }
        return modules
    }

    /// The `source` texts of `definitions` or `rules`, each checked to be one
    /// definition or one rule.
    mutating func code(_ json: JSON, _ name: String) -> [String] {
        guard let list = PlanJSONDecoder.member(json, name) else { return [] }
        guard case .array(let items) = list else { fail("$.\(name)", "expected an array, found \(PlanJSONDecoder.describe(list))"); return [] }
        return items.enumerated().compactMap { index, item in
            let path = "$.\(name)[\(index)].source"
            guard case .string(let source)? = PlanJSONDecoder.member(item, "source") else {
                fail(path, "expected the source text as a string")
                return nil
            }
            if let problem = name == "rules" ? PlanJSONDecoder.notARule(source) : PlanJSONDecoder.notADefinition(source) {
                fail(path, problem, hint: "a plan's JSON carries code only as definitions and rules; statements are never imported")
                return nil
            }
            return source
        }
    }

    /// Why `source` is not one `fn` or `let` definition, or nil when it is.
    static func notADefinition(_ source: String) -> String? {
        switch parsedAlone(source) {
        case .failure(let problem): return problem.message
        case .success(let (statement, file)):
            switch statement.kind {
            case .function: return nil
            case .letBinding:
                let names = Set(Lexer.lex(file).tokens.filter { $0.kind == .identifier }.map { token in
                    file.text(of: Span(file: file.id, start: token.start, end: token.end))
                })
                if let named = names.intersection(effectfulBuiltins).sorted().first {
                    return "a definition's value may not use '\(named)' (it would run when the plan runs)"
                }
                return nil
            case .expression, .assignment, .forLoop, .whileLoop, .returnStatement, .breakStatement, .continueStatement,
                 .declaration, .rule, .importFile:
                return "expected a definition ('fn …' or 'let …'), found another statement"
            }
        }
    }

    /// Why `source` is not one `rule`, or nil when it is.
    static func notARule(_ source: String) -> String? {
        switch parsedAlone(source) {
        case .failure(let problem): return problem.message
        case .success(let (statement, _)):
            if case .rule = statement.kind { return nil }
            return "expected a rule ('rule …'), found another statement"
        }
    }

    /// The one statement `source` holds, or why it is not exactly one that parses.
    private static func parsedAlone(_ source: String) -> Result<(Stmt, SourceFile), CodeProblem> {
        let file = SourceMap().add(name: "code", text: source)
        let (program, problems) = Parser.parse(file)
        if let error = problems.first(where: { $0.severity == .error }) { return .failure(CodeProblem("the code does not parse: \(error.message)")) }
        guard program.statements.count == 1, let statement = program.statements.first else {
            return .failure(CodeProblem("expected one statement, found \(program.statements.count)"))
        }
        return .success((statement, file))
    }
}

/// Why a piece of code from JSON is refused (for `Result`).
private struct CodeProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
