// The parser's plan declarations: `KIND [ID] ["title"] [{ fields }]`, the shorthand lines
// `influence a -> b strength` and `conflict a <-> b`, rules and imports (see grammar.md).

extension Parser {
    func text(_ token: Token) -> String { source.text(of: span(token)) }

    func token(after offset: Int) -> Token { tokens[min(current + offset - base, tokens.count - 1)] }

    /// A plan word (`stakeholder`, `rule`, `import`, …) followed on the same line by a
    /// name, a string or `{` starts a declaration; otherwise it is an ordinary name.
    func startsDeclaration() -> Bool {
        let word = text(peek)
        let next = token(after: 1)
        guard !next.startsLine else { return false }
        if word == "import" { return next.kind == .string }
        if word == "rule" { return next.kind == .identifier }
        guard Schema.kind(named: word) != nil else { return false }
        return next.kind == .identifier || next.kind == .string || next.kind == .leftBrace
    }

    /// declaration = KIND [ IDENT ] [ STRING ] [ fieldBlock ]
    ///             | ( "influence" | "conflict" ) [ IDENT ] IDENT ( "->" | "<->" ) IDENT [ expression ] [ fieldBlock ]
    ///             | ruleDeclaration | importStatement ;
    mutating func declarationStatement() throws(Abandon) -> StmtKind {
        let keyword = advance()
        let kindName = Name(text: text(keyword), span: span(keyword))
        if kindName.text == "import" {
            let path = advance()
            guard case .string(let text) = literal(path) else { throw failure(.expected(what: "a file name", found: describe(path)), at: path) }
            return .importFile(text)
        }
        if kindName.text == "rule" { return try ruleDeclaration(keyword) }
        var id: Name?
        var fields: [RecordField] = []
        if (kindName.text == "influence" || kindName.text == "conflict"), check(.identifier) {
            // Shorthand lines: `influence cfo -> ceo strong`, `conflict cfo <-> cio`.
            let first = try identifier("a name")
            if check(.rightArrow) || check(.twoWayArrow) {
                try lineEnds(from: first, keyword: kindName, into: &fields)
            } else {
                id = first
                if check(.identifier), token(after: 1).kind == .rightArrow || token(after: 1).kind == .twoWayArrow {
                    try lineEnds(from: try identifier("a name"), keyword: kindName, into: &fields)
                }
            }
        } else if check(.identifier) {
            id = try identifier("an id")
        }
        var title: String?
        if check(.string), case .string(let text) = literal(peek) {
            advance()
            title = text
        }
        let header = span(from: keyword)
        if check(.leftBrace) { fields += try fieldBlock() }
        return .declaration(Declaration(kind: kindName, id: id, title: title, fields: fields, span: header))
    }

    /// The `A -> B [strength]` part of an influence or conflict line.
    mutating func lineEnds(from first: Name, keyword: Name, into fields: inout [RecordField]) throws(Abandon) {
        let arrow = advance()
        if keyword.text == "conflict", arrow.kind != .twoWayArrow {
            throw failure(.expected(what: "'<->' between the two sides of a conflict", found: describe(arrow)), at: arrow)
        }
        if keyword.text == "influence", arrow.kind != .rightArrow {
            throw failure(.expected(what: "'->' from the influencer to the influenced", found: describe(arrow)), at: arrow)
        }
        // (The message quotes the arrow: built only when needed, a plan has a million lines.)
        guard check(.identifier) else {
            throw failure(.expected(what: "a stakeholder after '\(text(arrow))'", found: describe(peek)), at: peek)
        }
        let second = try identifier("a stakeholder")
        fields.reserveCapacity(3)
        fields.append(RecordField(key: Name(text: "from", span: first.span), value: Expr(kind: .variable(first), span: first.span)))
        fields.append(RecordField(key: Name(text: "to", span: second.span), value: Expr(kind: .variable(second), span: second.span)))
        if keyword.text == "influence", !peek.startsLine, !check(.leftBrace), !check(.semicolon), !check(.endOfFile), !check(.rightBrace) {
            let strength = try expression()
            fields.append(RecordField(key: Name(text: "strength", span: strength.span), value: strength))
        }
    }

    /// fieldBlock = "{" [ field { ( "," | ";" | NEWLINE ) field } ] "}" ;  field = IDENT ":" expression ;
    mutating func fieldBlock() throws(Abandon) -> [RecordField] {
        let open = advance()
        try nest()
        defer { depth -= 1 }
        var fields: [RecordField] = []
        while !check(.rightBrace) && !check(.endOfFile) {
            let key = try identifier("a field name")
            try expect(.colon, "':' after the field name")
            let value: Expr
            if let single = try singleTokenItem() { value = single } else { value = try expression() }
            fields.append(RecordField(key: key, value: value))
            if match(.comma) || match(.semicolon) { continue }
            if !check(.rightBrace) && !peek.startsLine {
                throw failure(.expected(what: "a new line, ',' or '}' after the field", found: describe(peek)), at: peek)
            }
        }
        guard check(.rightBrace) else {
            throw failure(.expected(what: "'}' to close the fields opened at line \(source.location(of: open.start).line)", found: describe(peek)), at: peek)
        }
        advance()
        return fields
    }

    /// ruleDeclaration = "rule" IDENT [ STRING ] ( "for" IDENT "in" expression fieldBlock | "=" expression ) ;
    /// (fields: when, expect, message)
    mutating func ruleDeclaration(_ keyword: Token) throws(Abandon) -> StmtKind {
        let id = try identifier("a rule id")
        var title: String?
        if check(.string), case .string(let text) = literal(peek) {
            advance()
            title = text
        }
        let header = span(from: keyword)
        if match(.equal) {
            // `rule ID = findings(…)`: every item the expression gives is a violation.
            let findings = try expression()
            return .rule(RuleDecl(id: id, title: title, binding: Name(text: "finding", span: header), sequence: findings, when: nil,
                                  expect: Expr(kind: .bool(false), span: header), message: nil, span: header, reportsFindings: true))
        }
        try expect(.kwFor, "'for' and the items the rule checks, e.g. 'for o in opportunities', or '=' and a list of findings")
        let binding = try identifier("a name for each item")
        try expect(.kwIn, "'in' after the item name")
        let sequence = try headExpression()
        guard check(.leftBrace) else { throw failure(.expected(what: "'{' with the rule's 'expect:' condition", found: describe(peek)), at: peek) }
        let fields = try fieldBlock()
        var when: Expr?, expectation: Expr?, message: Expr?
        for field in fields {
            switch field.key.text {
            case "when": when = field.value
            case "expect": expectation = field.value
            case "message": message = field.value
            default:
                throw Abandon(diagnostic: Diagnostic(.unknownField(kind: "rule", field: field.key.text, suggestion: suggestion(for: field.key.text, among: ["when", "expect", "message"])), at: field.key.span))
            }
        }
        guard let expectation else {
            throw Abandon(diagnostic: Diagnostic(.missingField(kind: "rule", field: "expect"), at: header))
        }
        return .rule(RuleDecl(id: id, title: title, binding: binding, sequence: sequence, when: when, expect: expectation, message: message, span: header))
    }
}
