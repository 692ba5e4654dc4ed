// The parser's plan declarations: `KIND [ID] ["title"] [{ fields }]`, the shorthand lines
// `influence a -> b strength` and `conflict a <-> b`, rules and imports (see grammar.md).

extension Parser {
    func text(_ token: Token) -> String { source.text(of: span(token)) }

    @inline(__always)  // (a call would copy the parser, which is large)
    func token(after offset: Int) -> Token { tokens[min(current + offset - base, tokens.count - 1)] }

    /// The word that starts a declaration.
    enum DeclarationWord {
        case importFile, rule
        case entity(EntityKind)
    }

    /// A plan word (`stakeholder`, `rule`, `import`, …) followed on the same line by a
    /// name, a string or `{` starts a declaration: which one; nil for an ordinary name.
    @inline(__always)  // (a call would copy the parser, which is large)
    func declarationWord() -> DeclarationWord? {
        let next = token(after: 1)
        guard !next.startsLine else { return nil }
        let word = peek.name
        if word == words.importWord { return next.kind == .string ? .importFile : nil }
        if word == words.ruleWord { return next.kind == .identifier ? .rule : nil }
        guard next.kind == .identifier || next.kind == .string || next.kind == .leftBrace, let kind = entityKind(peek) else { return nil }
        return .entity(kind)
    }

    /// The entity kind an identifier token names, if any (the kinds' names are numbered
    /// first: see `FixedNames`).
    @inline(__always)  // (a call would copy the parser, which is large)
    func entityKind(_ token: Token) -> EntityKind? {
        let name = Int(token.name)
        guard name >= 0, name < words.kindOrdinals.count else { return nil }
        let ordinal = Int(words.kindOrdinals[name])
        return ordinal >= 0 ? Schema.kinds[ordinal] : nil
    }

    /// declaration = KIND [ IDENT ] [ STRING ] [ fieldBlock ]
    ///             | ( "influence" | "conflict" ) [ IDENT ] IDENT ( "->" | "<->" ) IDENT [ expression ] [ fieldBlock ]
    ///             | ruleDeclaration | importStatement ;
    mutating func declarationStatement(_ word: DeclarationWord) throws(Abandon) -> StmtKind {
        let keyword = advance()
        let kind: EntityKind
        switch word {
        case .importFile:
            let path = advance()
            guard case .string(let text) = literal(path) else { throw failure(.expected(what: "a file name", found: describe(path)), at: path) }
            return .importFile(text)
        case .rule:
            return try ruleDeclaration(keyword)
        case .entity(let entityKind):
            kind = entityKind
        }
        // The fields are gathered on a stack and the row written whole once the
        // declaration is read: a field's code may hold a declaration of its own (an
        // error the resolver reports), whose row must not take this one's fields.
        let base = pendingFields.count
        defer { pendingFields.removeLast(pendingFields.count - base) }
        return .declaration(Declaration(table: declarations, row: try declaration(kind, keyword: keyword, fieldsFrom: base)))
    }

    /// The rest of a declaration of `kind` after its keyword, its fields gathered on
    /// `pendingFields` from `base`; its row.
    private mutating func declaration(_ kind: EntityKind, keyword: Token, fieldsFrom base: Int) throws(Abandon) -> Int32 {
        var id: Token?
        let isInfluence = kind.name == "influence"
        if isInfluence || kind.name == "conflict", check(.identifier) {
            // Shorthand lines: `influence cfo -> ceo strong`, `conflict cfo <-> cio`.
            let first = try expect(.identifier, "a name")
            if check(.rightArrow) || check(.twoWayArrow) {
                try lineEnds(from: first, influence: isInfluence)
            } else {
                id = first
                if check(.identifier), token(after: 1).kind == .rightArrow || token(after: 1).kind == .twoWayArrow {
                    try lineEnds(from: try expect(.identifier, "a name"), influence: isInfluence)
                }
            }
        } else if check(.identifier) {
            id = try expect(.identifier, "an id")
        }
        var title: String?
        if check(.string), case .string(let text) = literal(peek) {
            advance()
            title = text
        }
        let header = span(from: keyword)
        if check(.leftBrace) { try declarationFields() }
        return rows.add(kind: kind, id: id.map { symbol($0) }, idStart: id?.start ?? 0, title: title, header: header,
                        fields: pendingFields[base...])
    }

    /// The `A -> B [strength]` part of an influence line, or `A <-> B` of a conflict, as
    /// the fields from, to and strength.
    mutating func lineEnds(from first: Token, influence: Bool) throws(Abandon) {
        let arrow = advance()
        if !influence, arrow.kind != .twoWayArrow {
            throw failure(.expected(what: "'<->' between the two sides of a conflict", found: describe(arrow)), at: arrow)
        }
        if influence, arrow.kind != .rightArrow {
            throw failure(.expected(what: "'->' from the influencer to the influenced", found: describe(arrow)), at: arrow)
        }
        // (The message quotes the arrow: built only when needed, a plan has a million lines.)
        guard check(.identifier) else {
            throw failure(.expected(what: "a stakeholder after '\(text(arrow))'", found: describe(peek)), at: peek)
        }
        let second = advance()
        // (The field names are numbered before the ends, as they always were.)
        let from = rowSymbol(words.fromWord), to = rowSymbol(words.toWord), strength = rowSymbol(words.strengthWord)
        pendingFields.append(.init(key: from, keyStart: first.start, value: .word(symbol(first)), span: span(first)))
        pendingFields.append(.init(key: to, keyStart: second.start, value: .word(symbol(second)), span: span(second)))
        // A line's strength comes before its title and fields, but is a field itself.
        if influence, !peek.startsLine, !check(.leftBrace), !check(.semicolon), !check(.endOfFile), !check(.rightBrace) {
            let (value, span) = try fieldValue(alone: endsFieldValue(at: 1))
            pendingFields.append(.init(key: strength, keyStart: span.start, value: value, span: span))
        }
    }

    /// fieldBlock = "{" [ field { ( "," | ";" | NEWLINE ) field } ] "}" ;  field = IDENT ":" expression ;
    /// Reads a field block, handing each field's name (its ':' read) to `readValue`,
    /// which reads the value: a declaration's fields and a rule's share the rule.
    mutating func fieldBlock(_ readValue: (inout Parser, Token) throws(Abandon) -> Void) throws(Abandon) {
        let open = advance()
        try nest()
        defer { depth -= 1 }
        while !check(.rightBrace) && !check(.endOfFile) {
            let key = try expect(.identifier, "a field name")
            try expect(.colon, "':' after the field name")
            try readValue(&self, key)
            if match(.comma) || match(.semicolon) { continue }
            if !check(.rightBrace) && !peek.startsLine {
                throw failure(.expected(what: "a new line, ',' or '}' after the field", found: describe(peek)), at: peek)
            }
        }
        guard check(.rightBrace) else {
            throw failure(.expected(what: "'}' to close the fields opened at line \(source.location(of: open.start).line)", found: describe(peek)), at: peek)
        }
        advance()
    }

    /// A declaration's field block, its fields gathered on `pendingFields`.
    mutating func declarationFields() throws(Abandon) {
        try fieldBlock { parser, key throws(Abandon) in
            let (value, span) = try parser.fieldValue(alone: parser.endsFieldValue(at: 1))
            parser.pendingFields.append(.init(key: parser.symbol(key), keyStart: key.start, value: value, span: span))
        }
    }

    /// Whether `next`, the token after a value's first, cannot continue that value, so
    /// that the first token is the whole value: a closing or separating token, a
    /// literal, or a name or keyword at the start of a line that is no query clause
    /// (`where`, `sort by`, `group by`) or operator word. Anything else (an operator, a
    /// `.`, a bracket) is left to the expression parser, which knows every way a value
    /// goes on, also across a line break.
    /// (`next` is the token `offset` after the current one; a token past the parser's
    /// window of tokens counts as going on, which only sends the value the longer way.)
    @inline(__always)  // (a call would copy the parser, which is large)
    func endsFieldValue(at offset: Int) -> Bool {
        Parser.endsValue(token(within: offset), queryWords: (words.whereWord, words.sortWord, words.groupWord))
    }

    /// Whether `next` ends a field value (see `endsFieldValue`); `queryWords` are the
    /// numbers of `where`, `sort` and `group`.
    static func endsValue(_ next: Token?, queryWords: (Int32, Int32, Int32)) -> Bool {
        guard let next else { return false }
        switch next.kind {
        case .comma, .semicolon, .rightBrace, .rightBracket, .rightParen, .endOfFile, .leftBrace,
             .string, .stringHead, .number, .money, .percent, .date, .duration:
            return true
        case .identifier:
            guard next.startsLine else { return false }
            let word = next.name
            return word != queryWords.0 && word != queryWords.1 && word != queryWords.2
        case .kwLet, .kwFn, .kwReturn, .kwIf, .kwFor, .kwWhile, .kwBreak, .kwContinue, .kwTrue, .kwFalse, .kwNil:
            return next.startsLine
        case .stringMiddle, .stringTail, .kwElse, .kwIn, .kwAnd, .kwOr, .kwNot, .leftParen, .leftBracket, .dot, .dotDot,
             .colon, .arrow, .rightArrow, .twoWayArrow, .plus, .minus, .star, .slash, .percentSign, .equal, .equalEqual,
             .bangEqual, .less, .lessEqual, .greater, .greaterEqual, .plusEqual, .minusEqual, .starEqual, .slashEqual,
             .questionQuestion, .invalid:
            return false
        }
    }

    /// The token `offset` after the current one if the window holds it (`token(after:)`
    /// is only sure up to `Parser.lookahead`).
    @inline(__always)  // (a call would copy the parser, which is large)
    func token(within offset: Int) -> Token? {
        let index = current + offset - base
        return index < tokens.count ? tokens[index] : nil
    }

    /// A declaration field's value: a word or a literal kept in place when it stands
    /// `alone` (the next token ends it), else an expression.
    mutating func fieldValue(alone: Bool) throws(Abandon) -> (FieldSyntax, Span) {
        if alone {
            let token = peek
            switch token.kind {
            case .identifier:
                advance()
                return (.word(symbol(token)), span(token))
            case .number, .money, .percent, .date, .duration, .string:
                advance()
                return (rows.literal(literal(token)), span(token))
            default:
                break
            }
        }
        if let words = wordList() ?? entryRecord() { return words }
        let expr = try expression()
        return (rows.expression(expr), expr.span)
    }

    /// A list of bare words and single literals standing alone as a field's value
    /// (`[coach, user]`, `["Cloud first"]`), read in place; nil, reading nothing, for any
    /// other value.
    mutating func wordList() -> (FieldSyntax, Span)? {
        guard let end = listEnd(at: 0), endsFieldValue(at: end) else { return nil }
        let open = peek
        return (listItems(), span(from: open))
    }

    /// A record of names to words, literals and lists of them standing alone as a field's
    /// value (`{ann: [coach], ben: []}`), read in place; nil, reading nothing, for any
    /// other value (keys written as strings, nested records, expressions).
    mutating func entryRecord() -> (FieldSyntax, Span)? {
        guard token(within: 0)?.kind == .leftBrace else { return nil }
        var offset = 1
        while token(within: offset)?.kind == .identifier, token(within: offset + 1)?.kind == .colon {
            if let kind = token(within: offset + 2)?.kind, Parser.isListItem(kind) {
                offset += 3
            } else if let end = listEnd(at: offset + 2) {
                offset = end
            } else {
                return nil
            }
            guard let next = token(within: offset)?.kind, next == .comma || next == .rightBrace else { return nil }
            if next == .comma { offset += 1 }
        }
        guard token(within: offset)?.kind == .rightBrace, endsFieldValue(at: offset + 1) else { return nil }
        let open = advance()
        var entries: [DeclarationRows.PendingField] = []
        while check(.identifier) {
            let key = advance()
            advance()  // ':'
            let value: FieldSyntax, valueSpan: Span
            if check(.leftBracket) {
                let listOpen = peek
                value = listItems()
                valueSpan = span(from: listOpen)
            } else {
                let item = advance()
                value = item.kind == .identifier ? .word(symbol(item)) : rows.literal(literal(item))
                valueSpan = span(item)
            }
            entries.append(.init(key: symbol(key), keyStart: key.start, value: value, span: valueSpan))
            _ = match(.comma)
        }
        advance()  // '}'
        return (rows.entries(entries), span(from: open))
    }

    /// Where a list of words and literals starting at `offset` (`[`) ends: the offset after
    /// its `]`; nil when the tokens there are not such a list.
    private func listEnd(at start: Int) -> Int? {
        guard token(within: start)?.kind == .leftBracket else { return nil }
        var offset = start + 1
        while let kind = token(within: offset)?.kind, Parser.isListItem(kind) {
            guard let next = token(within: offset + 1)?.kind, next == .comma || next == .rightBracket else { return nil }
            offset += next == .comma ? 2 : 1
            if next == .rightBracket { break }
        }
        return token(within: offset)?.kind == .rightBracket ? offset + 1 : nil
    }

    /// Reads a list `listEnd` accepted.
    private mutating func listItems() -> FieldSyntax {
        advance()  // '['
        var items: [(item: Int32, start: Int32, end: Int32)] = []
        while Parser.isListItem(peek.kind) {
            let item = advance()
            items.append((item.kind == .identifier ? symbol(item) : rows.listItem(literal(item)), item.start, item.end))
            _ = match(.comma)
        }
        advance()  // ']'
        return rows.words(items)
    }

    /// Whether a token of this kind may be an item of a list read in place: a name or a
    /// single literal (a whole string, not one with `{…}` in it). `TokenKind` lists these
    /// first, `identifier` to `string` (a test holds it to that).
    static func isListItem(_ kind: TokenKind) -> Bool { kind.rawValue <= TokenKind.string.rawValue }

    /// A rule's field block, as syntax trees.
    mutating func ruleFields() throws(Abandon) -> [RecordField] {
        var fields: [RecordField] = []
        try fieldBlock { parser, key throws(Abandon) in
            let value: Expr
            if let single = try parser.singleTokenItem() { value = single } else { value = try parser.expression() }
            fields.append(RecordField(key: Name(text: parser.text(key), span: parser.span(key)), value: value))
        }
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
        let fields = try ruleFields()
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
