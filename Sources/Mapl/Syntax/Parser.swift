// The parser: recursive descent with one function per grammar rule (see grammar.md),
// precedence climbing through the rule chain, and recovery at statement boundaries.

/// Parses one lexed source into a `Program`, collecting every syntax error.
public struct Parser {
    /// How deeply expressions and blocks may nest before the parser refuses, so that
    /// hostile input (100,000 open parentheses) gets a diagnostic, not a stack overflow.
    public static let nestingLimit = 1000

    // A window of the token stream: `tokens[0]` is token number `base`. A parser made
    // from source (not from lexed tokens) pulls tokens from its lexer in chunks and drops
    // those of finished top-level statements, so a large plan is never all tokens at once.
    private var tokens: [Token]
    private var literals: [Literal]
    private var base = 0
    /// Literal indexes in tokens count from the first literal ever lexed.
    private var literalBase = 0
    private var supply: TokenSupply = .done([])
    private let source: SourceFile
    /// The number of the current token (not an index into the window).
    private var current = 0
    private var depth = 0
    /// False in `if`/`while`/`for` heads, where `{` opens the body, not a record.
    private var allowRecordLiteral = true
    /// Keep top-level shorthand influence and conflict lines as `LineBatch`es and plain
    /// declarations as `DeclarationBatch`es instead of syntax trees (for running a plan;
    /// fmt and the REPL log want every statement).
    private let compact: Bool
    /// How this source's compact lines and declarations are being read (one reference:
    /// the parser's size is paid in every frame of a debug build's recursion).
    private let plan = CompactReading()
    public private(set) var diagnostics: [Diagnostic] = []

    /// Thrown to abandon the current statement. A nil diagnostic means the bad token
    /// was already reported (by the lexer), so nothing more is said.
    private struct Abandon: Error {
        var diagnostic: Diagnostic?
    }

    public init(lexed: LexedSource, source: SourceFile, compact: Bool = false) {
        tokens = lexed.tokens
        literals = lexed.literals
        self.source = source
        self.compact = compact
    }

    /// A parser that lexes as it goes (on another thread when `pipedLexing`, by default
    /// for large sources; see TokenSupply.swift).
    init(source: SourceFile, compact: Bool, pipedLexing: Bool? = nil) {
        tokens = []
        literals = []
        supply = TokenSupply(source: source, piped: pipedLexing)
        self.source = source
        self.compact = compact
        refill()
    }

    /// Lexes and parses a source text; diagnostics from both phases come back together.
    /// - Parameter compact: keep shorthand lines and plain declarations compact (see
    ///   `LineBatch` and `DeclarationBatch`).
    public static func parse(_ source: SourceFile, compact: Bool = false) -> (Program, [Diagnostic]) {
        parse(source, compact: compact, pipedLexing: nil)
    }

    static func parse(_ source: SourceFile, compact: Bool, pipedLexing: Bool?) -> (Program, [Diagnostic]) {
        var parser = Parser(source: source, compact: compact, pipedLexing: pipedLexing)
        let program = parser.parseProgram()
        return (program, parser.supply.problems + parser.diagnostics)
    }

    // MARK: - Token window

    /// How far `token(after:)` may look ahead of the current token.
    private static let lookahead = 8

    /// Keeps at least `lookahead` tokens after the current one in the window (or the
    /// rest of the text, up to `endOfFile`).
    private mutating func refill() {
        while current - base + Parser.lookahead >= tokens.count, !supply.isDone {
            let chunk = supply.next()
            if chunk.tokens.isEmpty { break }
            tokens += chunk.tokens
            literals += chunk.literals
        }
    }

    /// Drops the tokens (and literals) before the current statement, keeping one for
    /// `previous`. Called between top-level statements, which never look back further.
    private mutating func dropFinishedTokens() {
        let drop = current - 1 - base
        // (A parser made from lexed tokens holds them all anyway: its supply is done.)
        guard !supply.isDone, drop >= 16_384 else { return }
        tokens.removeFirst(drop)
        base += drop
        let firstLiteral = tokens.first { $0.literal >= 0 }.map { Int($0.literal) } ?? literalBase + literals.count
        literals.removeFirst(firstLiteral - literalBase)
        literalBase = firstLiteral
    }

    // MARK: - Token helpers

    private var peek: Token { tokens[current - base] }
    private var previous: Token { tokens[max(0, current - 1 - base)] }
    private func span(_ token: Token) -> Span { Span(file: source.id, start: token.start, end: token.end) }
    private func span(from start: Token) -> Span { Span(file: source.id, start: start.start, end: previous.end) }
    private func check(_ kind: TokenKind) -> Bool { peek.kind == kind }

    @discardableResult
    private mutating func advance() -> Token {
        let token = tokens[current - base]
        if token.kind != .endOfFile {
            current += 1
            refill()
        }
        return token
    }

    private mutating func match(_ kind: TokenKind) -> Bool {
        guard check(kind) else { return false }
        advance()
        return true
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .identifier: return "'\(source.text(of: span(token)))'"
        case .endOfFile: return "end of input"
        default:
            let text = source.text(of: span(token))
            return text.count <= 20 && !text.contains("\n") ? "'\(text)'" : token.kind.display
        }
    }

    private func failure(_ kind: DiagnosticKind, at token: Token) -> Abandon {
        // A token the lexer already rejected has been reported once; say nothing more.
        token.kind == .invalid ? Abandon(diagnostic: nil) : Abandon(diagnostic: Diagnostic(kind, at: span(token)))
    }

    @discardableResult
    private mutating func expect(_ kind: TokenKind, _ what: String) throws(Abandon) -> Token {
        guard check(kind) else { throw failure(.expected(what: what, found: describe(peek)), at: peek) }
        return advance()
    }

    private mutating func identifier(_ what: String) throws(Abandon) -> Name {
        let token = try expect(.identifier, what)
        return Name(text: source.text(of: span(token)), span: span(token))
    }

    private mutating func nest() throws(Abandon) {
        depth += 1
        if depth > Parser.nestingLimit {
            throw Abandon(diagnostic: Diagnostic(.nestingTooDeep(limit: Parser.nestingLimit), at: span(peek)))
        }
    }

    private func literal(_ token: Token) -> Literal {
        let index = Int(token.literal) - literalBase
        return token.literal >= 0 && index >= 0 && index < literals.count ? literals[index] : .number(0)
    }

    // MARK: - Statements

    /// program = { statement } EOF ;
    public mutating func parseProgram() -> Program {
        let statements = statementList(until: .endOfFile)
        plan.flushNames(source.bytes)
        return Program(statements: statements, file: source.id)
    }

    /// Parses statements up to `end`, recovering after each bad one.
    private mutating func statementList(until end: TokenKind) -> [Stmt] {
        var statements: [Stmt] = []
        while !check(end) && !check(.endOfFile) {
            if end == .endOfFile {
                dropFinishedTokens()
                if compact, appendShorthandLine(to: &statements) || appendPlainDeclaration(to: &statements) { continue }
            }
            let savedDepth = depth
            let savedRecord = allowRecordLiteral
            let start = current
            do {
                statements.append(try statement())
            } catch {
                if let diagnostic = error.diagnostic { diagnostics.append(diagnostic) }
                depth = savedDepth
                allowRecordLiteral = savedRecord
                synchronize(end: end, statementStart: start)
            }
        }
        return statements
    }

    /// Skips to a plausible statement start: a token that can begin a statement at the
    /// start of a line, after a ';', or the end of the enclosing block. Braces opened by
    /// the bad statement are skipped with it, so their '}' is not reported again.
    private mutating func synchronize(end: TokenKind, statementStart: Int) {
        var braces = 0
        for index in statementStart..<current {
            switch tokens[index - base].kind {
            case .leftBrace: braces += 1
            case .rightBrace: braces = max(0, braces - 1)
            default: break
            }
        }
        // The bad token itself is skipped, unless it starts a line after the failed
        // statement's own tokens: then it may well begin the next statement.
        let resumeHere = current > statementStart && peek.startsLine && braces == 0 && Parser.canStartStatement(peek.kind)
        if !resumeHere, !check(.endOfFile), !(check(end) && braces == 0) {
            if peek.kind == .leftBrace { braces += 1 }
            if peek.kind == .rightBrace, braces > 0 { braces -= 1 }
            advance()
        }
        while !check(.endOfFile) {
            let token = peek
            if braces == 0 {
                if token.kind == end { return }
                if previous.kind == .semicolon { return }
                if token.startsLine && Parser.canStartStatement(token.kind) { return }
            }
            if token.kind == .leftBrace { braces += 1 }
            if token.kind == .rightBrace {
                if braces == 0 { return }
                braces -= 1
            }
            advance()
        }
    }

    /// Tokens that may begin a statement (closing brackets and infix operators cannot).
    static func canStartStatement(_ kind: TokenKind) -> Bool {
        switch kind {
        case .identifier, .number, .money, .percent, .date, .duration, .string, .stringHead,
             .kwLet, .kwFn, .kwReturn, .kwIf, .kwFor, .kwWhile, .kwBreak, .kwContinue,
             .kwTrue, .kwFalse, .kwNil, .kwNot, .leftParen, .leftBracket, .leftBrace, .minus, .dot:
            return true
        case .stringMiddle, .stringTail, .kwElse, .kwIn, .kwAnd, .kwOr, .rightParen, .rightBracket, .rightBrace,
             .comma, .dotDot, .colon, .semicolon, .arrow, .rightArrow, .twoWayArrow, .plus, .star, .slash,
             .percentSign, .equal, .equalEqual, .bangEqual, .less, .lessEqual, .greater, .greaterEqual,
             .plusEqual, .minusEqual, .starEqual, .slashEqual, .questionQuestion, .endOfFile, .invalid:
            return false
        }
    }

    /// statement = ( letStatement | fnStatement | forStatement | whileStatement
    ///             | returnStatement | "break" | "continue" | expressionStatement ) [ ";" ] ;
    private mutating func statement() throws(Abandon) -> Stmt {
        try nest()
        defer { depth -= 1 }
        let start = peek
        let kind: StmtKind
        switch peek.kind {
        case .kwLet: kind = try letStatement()
        case .kwFn where token(after: 1).kind == .identifier:
            kind = .function(try functionDeclaration())
        case .kwFor: kind = try forStatement()
        case .kwWhile: kind = try whileStatement()
        case .kwReturn: kind = try returnStatement()
        case .kwBreak: advance(); kind = .breakStatement
        case .kwContinue: advance(); kind = .continueStatement
        case .identifier where startsDeclaration():
            kind = try declarationStatement()
        default: kind = try expressionStatement()
        }
        try endOfStatement()
        return Stmt(kind: kind, span: span(from: start))
    }

    // MARK: - Plan declarations

    private func text(_ token: Token) -> String { source.text(of: span(token)) }

    private func token(after offset: Int) -> Token { tokens[min(current + offset - base, tokens.count - 1)] }

    /// A plan word (`stakeholder`, `rule`, `import`, …) followed on the same line by a
    /// name, a string or `{` starts a declaration; otherwise it is an ordinary name.
    private func startsDeclaration() -> Bool {
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
    private mutating func declarationStatement() throws(Abandon) -> StmtKind {
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

    /// Takes a top-level `influence A -> B [strength]` or `conflict A <-> B` written on
    /// one line and ending there into the open `LineBatch` (a new one when the previous
    /// statement is not a batch of the same kind). Anything else is left to `statement`.
    private mutating func appendShorthandLine(to statements: inout [Stmt]) -> Bool {
        guard peek.kind == .identifier, !token(after: 1).startsLine, token(after: 1).kind == .identifier else { return false }
        let keyword = peek
        // (Lengths first: most statements start with a word of another length.)
        let length = keyword.end - keyword.start
        let isInfluence = length == 9 && source.spells("influence", at: span(keyword))
        guard isInfluence || length == 8 && source.spells("conflict", at: span(keyword)) else { return false }
        let arrow = token(after: 2), second = token(after: 3)
        guard arrow.kind == (isInfluence ? .rightArrow : .twoWayArrow), !arrow.startsLine,
              second.kind == .identifier, !second.startsLine else { return false }
        var last = second
        var strength = LineStrength.none
        var count = 4
        let candidate = token(after: 4)
        if isInfluence, !candidate.startsLine, candidate.kind != .endOfFile {
            switch (candidate.kind, literal(candidate)) {
            case (.identifier, _): strength = .word(plan.names.intern(span(candidate), of: source.bytes))
            case (.number, .number(let value)): strength = .number(value)
            case (.percent, .percent(let value)): strength = .percent(value)
            default: return false
            }
            last = candidate
            count = 5
        }
        guard startsNextStatement(after: count),
              let layout = LineBatch.Layout(start: keyword.start, from: token(after: 1).start, to: second.start,
                                            strength: count == 5 ? last.start : last.end, end: last.end) else { return false }
        let batch: LineBatch
        if let open = plan.openLines, plan.isOpen(statements), open.isInfluence == isInfluence {
            batch = open
            statements[statements.count - 1].span.end = last.end
        } else {
            batch = LineBatch(isInfluence: isInfluence, file: source.id, names: plan.names)
            statements.append(Stmt(kind: .lines(batch), span: Span(file: source.id, start: keyword.start, end: last.end)))
            plan.opened(lines: batch, in: statements)
        }
        let first = token(after: 1)
        batch.append(start: keyword.start, layout: layout, from: -1, to: -1, strength: strength)
        plan.addNames(of: batch.count - 1, in: batch, from: span(first), to: span(second), bytes: source.bytes)
        current += count
        refill()
        return true
    }

    /// Takes a top-level `KIND ID ["title"] { key: value … }` whose keys are fields of the
    /// kind, each once, into the open `DeclarationBatch` (see there). Reads exactly what
    /// `declarationStatement` reads; anything else (no id or block, an unknown or repeated
    /// field, a syntax error) rewinds and is left to `statement`.
    private mutating func appendPlainDeclaration(to statements: inout [Stmt]) -> Bool {
        guard peek.kind == .identifier, token(after: 1).kind == .identifier, !token(after: 1).startsLine,
              let kind = plan.declaredKind(span(peek), of: source.bytes) else { return false }
        let batch: DeclarationBatch
        let isOpen: Bool
        if let open = plan.openDeclarations, plan.isOpen(statements) {
            (batch, isOpen) = (open, true)
        } else {
            (batch, isOpen) = (DeclarationBatch(file: source.id, names: plan.names), false)
        }
        let start = current, savedDepth = depth, savedRecord = allowRecordLiteral, savedProblems = diagnostics.count
        let read = readPlainDeclaration(kind, into: batch)
        depth = savedDepth
        allowRecordLiteral = savedRecord
        guard read else {
            // (A function value's block may have reported problems: they come again.)
            diagnostics.removeSubrange(savedProblems...)
            batch.discardPendingFields()
            current = start
            return false
        }
        let keyword = tokens[start - base]
        if isOpen {
            statements[statements.count - 1].span.end = previous.end
        } else {
            statements.append(Stmt(kind: .declarations(batch), span: Span(file: source.id, start: keyword.start, end: previous.end)))
            plan.opened(declarations: batch, in: statements)
        }
        return true
    }

    /// Reads one plain declaration into `batch` (see `appendPlainDeclaration`); false
    /// when it is not one, with the parser left anywhere inside it.
    private mutating func readPlainDeclaration(_ kind: EntityKind, into batch: DeclarationBatch) -> Bool {
        let reading = plan, names = plan.names, bytes = source.bytes  // (held once for every lookup)
        let keyword = advance()
        let id = advance()
        var title: String?
        if check(.string), case .string(let text) = literal(peek) {
            advance()
            title = text
        }
        let headerEnd = previous.end
        let commit = { (parser: inout Parser) in
            _ = parser.match(.semicolon)  // as `endOfStatement` takes it
            batch.commit(kind: kind, header: (keyword.start, headerEnd), id: names.intern(parser.span(id), of: bytes), at: id.start, title: title)
        }
        guard check(.leftBrace) else {
            // No fields: the statement must end here, as `endOfStatement` wants.
            guard check(.semicolon) || peek.startsLine || check(.rightBrace) || check(.endOfFile) else { return false }
            commit(&self)
            return true
        }
        advance()
        depth += 2  // as `statement` and `fieldBlock` nest (restored by the caller)
        var seen: UInt64 = 0
        while !check(.rightBrace) {
            guard check(.identifier) else { return false }
            let key = advance()
            guard let slot = reading.fieldSlot(span(key), of: bytes, in: kind), seen & (1 << slot) == 0, match(.colon) else { return false }
            seen |= 1 << slot
            let value: PlainValue, span: (Int32, Int32)
            if check(.leftBrace), case .refMap = kind.fields[slot].type, let map = roleMapValue(names: names, bytes: bytes) {
                (value, span) = (.roleMap(batch.add(map)), map.span)
            } else if let single = singleTokenValue(names: names, bytes: bytes) {
                let token = advance()
                (value, span) = (single, (token.start, token.end))
            } else {
                guard let expr = try? expression() else { return false }
                (value, span) = (plainValue(of: expr), (expr.span.start, expr.span.end))
            }
            guard batch.appendField(slot: slot, keyStart: key.start, value: value, span: span, declarationStart: keyword.start) else { return false }
            if match(.comma) || match(.semicolon) { continue }
            guard check(.rightBrace) || peek.startsLine else { return false }
        }
        advance()
        commit(&self)
        return true
    }

    /// `{id: [word, …], …}` (who plays which roles in a deal) read as `expression` reads
    /// it, without syntax trees; nil for anything else, with the parser back at the `{`.
    private mutating func roleMapValue(names: NameTable, bytes: [UInt8]) -> RoleMap? {
        let start = current
        let open = advance()
        var entries: [RoleMap.Entry] = []
        func rewind() -> RoleMap? {
            current = start
            return nil
        }
        while !check(.rightBrace) {
            guard check(.identifier) else { return rewind() }
            let key = advance()
            guard match(.colon), check(.leftBracket) else { return rewind() }
            let listOpen = advance()
            var words: [(symbol: Int32, start: Int32)] = []
            while !check(.rightBracket) {
                // A word alone, as `singleTokenItem` takes it.
                guard check(.identifier), token(after: 1).kind == .comma || token(after: 1).kind == .rightBracket else { return rewind() }
                let word = advance()
                words.append((names.intern(span(word), of: bytes), word.start))
                if !match(.comma) { break }
            }
            guard check(.rightBracket) else { return rewind() }
            let listClose = advance()
            entries.append(RoleMap.Entry(key: names.intern(span(key), of: bytes), keyStart: key.start, list: (listOpen.start, listClose.end), words: words))
            if !match(.comma) { break }
        }
        guard check(.rightBrace) else { return rewind() }
        let close = advance()
        // Where `expression` would stop too: at the field's end, or a next key on a new line.
        let next = peek
        guard next.kind == .comma || next.kind == .semicolon || next.kind == .rightBrace
            || next.startsLine && next.kind == .identifier && token(after: 1).kind == .colon else { return rewind() }
        return RoleMap(span: (open.start, close.end), entries: entries)
    }

    /// The current token as a field value when it is one on its own (what `singleTokenItem`
    /// reads), without making a syntax tree.
    private func singleTokenValue(names: NameTable, bytes: [UInt8]) -> PlainValue? {
        let next = token(after: 1).kind
        guard next == .comma || next == .semicolon || next == .rightBrace else { return nil }
        switch peek.kind {
        case .identifier: return .word(names.intern(span(peek), of: bytes))
        case .number, .money, .percent, .date, .duration, .string: return .literal(literal(peek))
        case .kwTrue: return .bool(true)
        case .kwFalse: return .bool(false)
        case .kwNil: return PlainValue.none
        default: return nil
        }
    }

    /// A field value read as an expression, compact when it is a single word or literal.
    /// (`DeclarationBatch.declaration` turns each form back into the same expression.)
    private func plainValue(of expr: Expr) -> PlainValue {
        switch expr.kind {
        case .literal(let literal): return .literal(literal)
        case .interpolation(let parts):
            if parts.count == 1, case .text(let text) = parts[0] { return .literal(.string(text)) }
        case .bool(let bool): return .bool(bool)
        case .nilLiteral: return PlainValue.none
        case .variable(let name) where name.span == expr.span:
            return .word(plan.names.intern(name.span, of: source.bytes))
        default: break
        }
        return .expression(expr)
    }

    /// Whether the token `offset` tokens ahead surely begins a new statement, so that a
    /// shorthand line ending before it reads as `declarationStatement` would read it.
    /// That one goes on across a line break: it takes a title or a field block from the
    /// next line, and an infix operator (other than `+`/`-`), a `.` or a query clause
    /// starting the next line continues the strength expression. Any token but the usual
    /// statement starts leaves the line to it.
    private func startsNextStatement(after offset: Int) -> Bool {
        let next = token(after: offset)
        if next.kind == .endOfFile { return true }
        guard next.startsLine else { return false }
        let kind = next.kind
        if kind == .kwLet || kind == .kwFn || kind == .kwFor || kind == .kwWhile || kind == .kwIf || kind == .kwReturn
            || kind == .kwBreak || kind == .kwContinue {
            return true
        }
        guard kind == .identifier else { return false }
        // `where` always starts a query clause; `sort`/`group` do when `by` follows.
        let word = span(next)
        if source.spells("where", at: word) { return false }
        guard source.spells("sort", at: word) || source.spells("group", at: word) else { return true }
        let by = token(after: offset + 1)
        return by.kind != .identifier || !source.spells("by", at: span(by))
    }

    /// The `A -> B [strength]` part of an influence or conflict line.
    private mutating func lineEnds(from first: Name, keyword: Name, into fields: inout [RecordField]) throws(Abandon) {
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
    private mutating func fieldBlock() throws(Abandon) -> [RecordField] {
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
    private mutating func ruleDeclaration(_ keyword: Token) throws(Abandon) -> StmtKind {
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

    /// A statement ends at ';', a line break, '}' or the end of input.
    private mutating func endOfStatement() throws(Abandon) {
        if match(.semicolon) { return }
        if peek.startsLine || check(.rightBrace) || check(.endOfFile) || previous.kind == .rightBrace { return }
        throw failure(.expected(what: "a new line or ';' after the statement", found: describe(peek)), at: peek)
    }

    /// letStatement = "let" IDENT "=" expression ;
    private mutating func letStatement() throws(Abandon) -> StmtKind {
        advance()
        let name = try identifier("a name after 'let'")
        try expect(.equal, "'=' after the name in 'let'")
        return .letBinding(name, try expression())
    }

    /// fnStatement = "fn" IDENT parameters functionBody ;
    private mutating func functionDeclaration() throws(Abandon) -> FunctionDecl {
        let start = advance()
        let name = try identifier("a function name")
        return try functionRest(name: name, start: start)
    }

    /// parameters = "(" [ IDENT { "," IDENT } [ "," ] ] ")" ;
    /// functionBody = block | "=>" expression ;
    private mutating func functionRest(name: Name?, start: Token) throws(Abandon) -> FunctionDecl {
        try expect(.leftParen, "'(' before the parameters")
        var parameters: [Name] = []
        while !check(.rightParen) {
            parameters.append(try identifier("a parameter name"))
            if !match(.comma) { break }
        }
        try expect(.rightParen, "')' after the parameters")
        let body: Block
        if match(.arrow) {
            let value = try expression()
            body = Block(statements: [Stmt(kind: .returnStatement(value), span: value.span)], span: value.span)
        } else {
            body = try block("'{' or '=>' before the function body")
        }
        return FunctionDecl(name: name, parameters: parameters, body: body, span: span(from: start))
    }

    /// forStatement = "for" binding "in" expression block ;
    private mutating func forStatement() throws(Abandon) -> StmtKind {
        advance()
        let binding = try loopBinding()
        try expect(.kwIn, "'in' after the loop variable")
        let sequence = try headExpression()
        let body = try block("'{' before the loop body")
        return .forLoop(binding, sequence: sequence, body: body)
    }

    /// binding = IDENT [ "," IDENT ] ;
    private mutating func loopBinding() throws(Abandon) -> LoopBinding {
        let first = try identifier("a loop variable")
        let second = match(.comma) ? try identifier("a second loop variable after ','") : nil
        return LoopBinding(first: first, second: second)
    }

    /// whileStatement = "while" expression block ;
    private mutating func whileStatement() throws(Abandon) -> StmtKind {
        advance()
        let condition = try headExpression()
        return .whileLoop(condition: condition, body: try block("'{' before the loop body"))
    }

    /// returnStatement = "return" [ expression ] ;   (the value must start on the same line)
    private mutating func returnStatement() throws(Abandon) -> StmtKind {
        advance()
        if peek.startsLine || check(.rightBrace) || check(.semicolon) || check(.endOfFile) {
            return .returnStatement(nil)
        }
        return .returnStatement(try expression())
    }

    /// expressionStatement = expression [ assignOp expression ] ;
    /// assignOp = "=" | "+=" | "-=" | "*=" | "/=" ;
    private mutating func expressionStatement() throws(Abandon) -> StmtKind {
        let target = try expression()
        let op: BinaryOperator?
        switch peek.kind {
        case .equal: op = nil
        case .plusEqual: op = .add
        case .minusEqual: op = .subtract
        case .starEqual: op = .multiply
        case .slashEqual: op = .divide
        default: return .expression(target)
        }
        let operatorToken = advance()
        switch target.kind {
        case .variable, .field, .index: break
        default:
            throw Abandon(diagnostic: Diagnostic(.invalidAssignmentTarget, at: target.span.to(span(operatorToken))))
        }
        return .assignment(target: target, op: op, value: try expression())
    }

    /// block = "{" { statement } "}" ;
    private mutating func block(_ what: String) throws(Abandon) -> Block {
        let open = try expect(.leftBrace, what)
        try nest()
        defer { depth -= 1 }
        let savedRecord = allowRecordLiteral
        allowRecordLiteral = true
        defer { allowRecordLiteral = savedRecord }
        let statements = statementList(until: .rightBrace)
        guard check(.rightBrace) else {
            throw failure(.expected(what: "'}' to close the block opened at line \(source.location(of: open.start).line)", found: describe(peek)), at: peek)
        }
        advance()
        return Block(statements: statements, span: span(from: open))
    }

    // MARK: - Expressions, lowest precedence first

    /// An expression in an `if`/`while`/`for` head, where `{` starts the body.
    private mutating func headExpression() throws(Abandon) -> Expr {
        let saved = allowRecordLiteral
        allowRecordLiteral = false
        defer { allowRecordLiteral = saved }
        return try expression()
    }

    /// expression = orExpr { queryClause } ;
    private mutating func expression() throws(Abandon) -> Expr {
        try nest()
        defer { depth -= 1 }
        var expr = try orExpr()
        var inQuery = false
        let base = depth
        defer { depth = base }
        while let clause = try queryClause(continuing: inQuery) {
            try nest()
            expr = Expr(kind: .query(expr, clause), span: expr.span.to(clause.span))
            inQuery = true
        }
        return expr
    }

    /// queryClause = "where" orExpr | "sort" "by" sortKey { "," sortKey } | "group" "by" orExpr
    ///             | "select" selectItem { "," selectItem } | "take" additive ;
    /// sortKey = orExpr [ "desc" | "asc" ] ;  selectItem = IDENT [ ":" orExpr ] ;
    /// The clause words are not reserved: `where` always starts a clause after an
    /// expression, `sort`/`group` when `by` follows, `select`/`take` on the same line or
    /// on a line continuing a query.
    private mutating func queryClause(continuing: Bool) throws(Abandon) -> QueryClause? {
        guard check(.identifier) else { return nil }
        let word = text(peek)
        let followedByBy = token(after: 1).kind == .identifier && text(token(after: 1)) == "by"
        let start = peek
        switch word {
        case "where":
            advance()
            let condition = try orExpr()
            return QueryClause(kind: .filter(condition), span: span(from: start))
        case "sort" where followedByBy:
            advance(); advance()
            var keys: [SortKey] = []
            repeat {
                let key = try orExpr()
                var descending = false
                if check(.identifier), !peek.startsLine, text(peek) == "desc" || text(peek) == "asc" {
                    descending = text(advance()) == "desc"
                }
                keys.append(SortKey(key: key, descending: descending))
            } while match(.comma)
            return QueryClause(kind: .sort(keys), span: span(from: start))
        case "group" where followedByBy:
            advance(); advance()
            let key = try orExpr()
            return QueryClause(kind: .group(key), span: span(from: start))
        case "select" where !peek.startsLine || continuing:
            advance()
            var items: [RecordField] = []
            repeat {
                let name = try identifier("a field name to select")
                if match(.colon) {
                    items.append(RecordField(key: name, value: try orExpr()))
                } else {
                    items.append(RecordField(key: name, value: Expr(kind: .variable(name), span: name.span)))
                }
            } while match(.comma)
            return QueryClause(kind: .select(items), span: span(from: start))
        case "take" where !peek.startsLine || continuing:
            advance()
            let count = try additive()
            return QueryClause(kind: .take(count), span: span(from: start))
        default:
            return nil
        }
    }

    private mutating func binary(_ op: BinaryOperator, _ left: Expr, _ right: Expr) -> Expr {
        Expr(kind: .binary(op, left, right), span: left.span.to(right.span))
    }

    /// orExpr = andExpr { "or" andExpr } ;
    private mutating func orExpr() throws(Abandon) -> Expr {
        let base = depth
        defer { depth = base }
        var left = try andExpr()
        while match(.kwOr) { try nest(); left = binary(.or, left, try andExpr()) }
        return left
    }

    /// andExpr = notExpr { "and" notExpr } ;
    private mutating func andExpr() throws(Abandon) -> Expr {
        let base = depth
        defer { depth = base }
        var left = try notExpr()
        while match(.kwAnd) { try nest(); left = binary(.and, left, try notExpr()) }
        return left
    }

    /// notExpr = "not" notExpr | comparison ;
    private mutating func notExpr() throws(Abandon) -> Expr {
        if check(.kwNot) {
            let start = advance()
            try nest()
            defer { depth -= 1 }
            let operand = try notExpr()
            return Expr(kind: .unary(.not, operand), span: span(start).to(operand.span))
        }
        return try comparison()
    }

    /// comparison = coalesce { compareOp coalesce } ;
    /// compareOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in" ;
    private mutating func comparison() throws(Abandon) -> Expr {
        let base = depth
        defer { depth = base }
        var left = try coalesce()
        while true {
            let op: BinaryOperator
            var negate = false
            switch peek.kind {
            case .equalEqual: op = .equal
            case .bangEqual: op = .notEqual
            case .less: op = .less
            case .lessEqual: op = .lessEqual
            case .greater: op = .greater
            case .greaterEqual: op = .greaterEqual
            case .kwIn: op = .contains
            case .kwNot where token(after: 1).kind == .kwIn:
                advance()
                op = .contains
                negate = true
            default: return left
            }
            advance()
            try nest()
            let combined = binary(op, left, try coalesce())
            left = negate ? Expr(kind: .unary(.not, combined), span: combined.span) : combined
        }
    }

    /// coalesce = range { "??" range } ;
    private mutating func coalesce() throws(Abandon) -> Expr {
        let base = depth
        defer { depth = base }
        var left = try range()
        while match(.questionQuestion) { try nest(); left = binary(.coalesce, left, try range()) }
        return left
    }

    /// range = additive [ ".." additive ] ;
    private mutating func range() throws(Abandon) -> Expr {
        let left = try additive()
        guard match(.dotDot) else { return left }
        let right = try additive()
        return Expr(kind: .range(left, right), span: left.span.to(right.span))
    }

    /// additive = multiplicative { ( "+" | "-" ) multiplicative } ;
    private mutating func additive() throws(Abandon) -> Expr {
        // Each operator of a chain deepens the (left-leaning) tree; given back after.
        let base = depth
        defer { depth = base }
        var left = try multiplicative()
        while true {
            // A '+' or '-' that starts a line begins a new statement (`-5` on its own).
            if peek.startsLine { return left }
            switch peek.kind {
            case .plus: advance(); try nest(); left = binary(.add, left, try multiplicative())
            case .minus: advance(); try nest(); left = binary(.subtract, left, try multiplicative())
            default: return left
            }
        }
    }

    /// multiplicative = unary { ( "*" | "/" | "%" ) unary } ;
    private mutating func multiplicative() throws(Abandon) -> Expr {
        let base = depth
        defer { depth = base }
        var left = try unary()
        while true {
            switch peek.kind {
            case .star: advance(); try nest(); left = binary(.multiply, left, try unary())
            case .slash: advance(); try nest(); left = binary(.divide, left, try unary())
            case .percentSign: advance(); try nest(); left = binary(.remainder, left, try unary())
            default: return left
            }
        }
    }

    /// unary = "-" unary | postfix ;
    private mutating func unary() throws(Abandon) -> Expr {
        if check(.minus) {
            let start = advance()
            try nest()
            defer { depth -= 1 }
            let operand = try unary()
            return Expr(kind: .unary(.negate, operand), span: span(start).to(operand.span))
        }
        return try postfix()
    }

    /// postfix = primary { "(" arguments ")" | "[" expression "]" | "." IDENT } ;
    /// A "(" or "[" that starts a new line begins a new statement instead.
    private mutating func postfix() throws(Abandon) -> Expr {
        // Each call, index or field deepens the tree; the depth is given back after.
        let base = depth
        defer { depth = base }
        var expr = try primary()
        while true {
            if check(.leftParen), !peek.startsLine {
                advance()
                let saved = allowRecordLiteral
                allowRecordLiteral = true
                defer { allowRecordLiteral = saved }
                var arguments: [Expr] = []
                while !check(.rightParen) {
                    arguments.append(try expression())
                    if !match(.comma) { break }
                }
                try expect(.rightParen, "')' after the arguments")
                expr = Expr(kind: .call(callee: expr, arguments: arguments), span: expr.span.to(span(previous)))
            } else if check(.leftBracket), !peek.startsLine {
                advance()
                let saved = allowRecordLiteral
                allowRecordLiteral = true
                defer { allowRecordLiteral = saved }
                let index = try expression()
                try expect(.rightBracket, "']' after the index")
                expr = Expr(kind: .index(expr, index), span: expr.span.to(span(previous)))
            } else if match(.dot) {
                let name = try identifier("a field name after '.'")
                expr = Expr(kind: .field(expr, name), span: expr.span.to(name.span))
            } else {
                return expr
            }
            try nest()  // each postfix level deepens the tree
        }
    }

    /// primary = NUMBER | MONEY | PERCENT | DATE | DURATION | string | "true" | "false"
    ///         | "nil" | "." IDENT | IDENT | "(" expression ")" | list | record
    ///         | functionExpr | conditional ;
    private mutating func primary() throws(Abandon) -> Expr {
        let token = peek
        switch token.kind {
        case .number, .money, .percent, .date, .duration, .string:
            advance()
            if token.kind == .string, case .string(let text) = literal(token) {
                return Expr(kind: .interpolation([.text(text)]), span: span(token))
            }
            return Expr(kind: .literal(literal(token)), span: span(token))
        case .stringHead:
            return try interpolatedString()
        case .kwTrue: advance(); return Expr(kind: .bool(true), span: span(token))
        case .kwFalse: advance(); return Expr(kind: .bool(false), span: span(token))
        case .kwNil: advance(); return Expr(kind: .nilLiteral, span: span(token))
        case .dot:
            advance()
            let name = try identifier("a symbol name after '.'")
            return Expr(kind: .symbol(name.text), span: span(token).to(name.span))
        case .identifier:
            advance()
            let name = Name(text: source.text(of: span(token)), span: span(token))
            return Expr(kind: .variable(name), span: name.span)
        case .leftParen:
            advance()
            let saved = allowRecordLiteral
            allowRecordLiteral = true
            defer { allowRecordLiteral = saved }
            let inner = try expression()
            try expect(.rightParen, "')' to close '('")
            return Expr(kind: inner.kind, span: span(from: token))
        case .leftBracket:
            return try list()
        case .leftBrace where allowRecordLiteral:
            return try record()
        case .kwFn:
            let start = advance()
            let function = try functionRest(name: nil, start: start)
            return Expr(kind: .function(function), span: function.span)
        case .kwIf:
            return try conditional()
        case .stringMiddle, .stringTail:
            // What follows the '}' of an interpolation: the expression before it is missing.
            throw failure(.expectedExpression(found: "'}'"), at: Token(kind: token.kind, startsLine: false, start: token.start, end: token.start + 1, literal: -1))
        case .leftBrace, .rightParen, .rightBracket, .rightBrace, .comma, .dotDot, .colon, .semicolon,
             .arrow, .rightArrow, .twoWayArrow, .plus, .minus, .star, .slash, .percentSign, .equal, .equalEqual, .bangEqual,
             .less, .lessEqual, .greater, .greaterEqual, .plusEqual, .minusEqual, .starEqual,
             .slashEqual, .questionQuestion, .kwLet, .kwReturn, .kwElse, .kwFor, .kwIn, .kwWhile,
             .kwBreak, .kwContinue, .kwAnd, .kwOr, .kwNot, .endOfFile, .invalid:
            throw failure(.expectedExpression(found: describe(token)), at: token)
        }
    }

    /// string = STRING | { STRING_HEAD expression } STRING ;
    private mutating func interpolatedString() throws(Abandon) -> Expr {
        let start = peek
        var parts: [InterpolationPart] = []
        let saved = allowRecordLiteral
        allowRecordLiteral = true
        defer { allowRecordLiteral = saved }
        var piece = advance()  // the STRING_HEAD
        while true {
            if case .string(let text) = literal(piece), !text.isEmpty { parts.append(.text(text)) }
            if piece.kind == .stringTail { break }
            parts.append(.expression(try expression()))
            guard check(.stringMiddle) || check(.stringTail) else {
                throw failure(.expected(what: "'}' to close the interpolation", found: describe(peek)), at: peek)
            }
            piece = advance()
        }
        return Expr(kind: .interpolation(parts), span: span(from: start))
    }

    /// list = "[" [ expression ( comprehension | { "," expression } [ "," ] ) ] "]" ;
    /// comprehension = "for" binding "in" expression [ "if" expression ] ;
    private mutating func list() throws(Abandon) -> Expr {
        let open = advance()
        let saved = allowRecordLiteral
        allowRecordLiteral = true
        defer { allowRecordLiteral = saved }
        var items: [Expr] = []
        if !check(.rightBracket) {
            let first: Expr
            if let single = try singleTokenItem() { first = single } else { first = try expression() }
            if match(.kwFor) {
                let binding = try loopBinding()
                try expect(.kwIn, "'in' after the variable in a comprehension")
                let sequence = try expression()
                let condition = match(.kwIf) ? try expression() : nil
                try expect(.rightBracket, "']' to close the comprehension")
                return Expr(kind: .comprehension(element: first, binding: binding, sequence: sequence, condition: condition), span: span(from: open))
            }
            items.append(first)
            while match(.comma) {
                if check(.rightBracket) { break }
                if let single = try singleTokenItem() { items.append(single) } else { items.append(try expression()) }
            }
        }
        try expect(.rightBracket, "']' or ',' in the list")
        return Expr(kind: .list(items), span: span(from: open))
    }

    /// The next item of a list, record or field block when it is a single token before
    /// ',', ';', ']' or '}' (most values of a large plan): read with `primary` at once,
    /// since no operator can follow it and descending through every precedence level
    /// would find the same. Nil otherwise. (Its own function, so that parsing deeply
    /// nested lists costs no more stack per level.)
    private mutating func singleTokenItem() throws(Abandon) -> Expr? {
        let next = token(after: 1).kind
        guard next == .comma || next == .semicolon || next == .rightBracket || next == .rightBrace else { return nil }
        let kind = peek.kind
        guard kind == .identifier || kind == .number || kind == .money || kind == .percent || kind == .date
            || kind == .duration || kind == .string || kind == .kwTrue || kind == .kwFalse || kind == .kwNil else { return nil }
        return try primary()
    }

    /// record = "{" [ field { "," field } [ "," ] ] "}" ;   field = ( IDENT | STRING ) ":" expression ;
    private mutating func record() throws(Abandon) -> Expr {
        let open = advance()
        var fields: [RecordField] = []
        while !check(.rightBrace) {
            let key: Name
            if check(.string), case .string(let text) = literal(peek) {
                let token = advance()
                key = Name(text: text, span: span(token))
            } else {
                key = try identifier("a field name in the record")
            }
            try expect(.colon, "':' after the field name")
            let value: Expr
            if let single = try singleTokenItem() { value = single } else { value = try expression() }
            fields.append(RecordField(key: key, value: value))
            if !match(.comma) { break }
        }
        try expect(.rightBrace, "'}' or ',' in the record")
        return Expr(kind: .record(fields), span: span(from: open))
    }

    /// conditional = "if" expression block [ "else" ( conditional | block ) ] ;
    private mutating func conditional() throws(Abandon) -> Expr {
        let start = advance()
        try nest()
        defer { depth -= 1 }
        let condition = try headExpression()
        let then = try block("'{' after the condition")
        var otherwise: Block?
        if match(.kwElse) {
            if check(.kwIf) {
                let nested = try conditional()
                otherwise = Block(statements: [Stmt(kind: .expression(nested), span: nested.span)], span: nested.span)
            } else {
                otherwise = try block("'{' or 'if' after 'else'")
            }
        }
        return Expr(kind: .conditional(condition: condition, then: then, otherwise: otherwise), span: span(from: start))
    }
}
