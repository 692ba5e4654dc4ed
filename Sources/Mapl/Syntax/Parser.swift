// The parser: recursive descent with one function per grammar rule (see grammar.md),
// precedence climbing through the rule chain, and recovery at statement boundaries.
// This file holds the token window and the statements; ParserDeclarations.swift plan
// declarations and rules, ParserExpressions.swift the expressions. (Members are internal
// rather than private so that the three files share them.)

/// Parses one lexed source into a `Program`, collecting every syntax error.
public struct Parser {
    /// How deeply expressions and blocks may nest before the parser refuses, so that
    /// hostile input (100,000 open parentheses) gets a diagnostic, not a stack overflow.
    public static let nestingLimit = 1000

    // A window of the token stream: `tokens[0]` is token number `base`. A parser made
    // from source (not from lexed tokens) pulls tokens from its lexer in chunks and drops
    // those of finished top-level statements, so a large plan is never all tokens at once
    // (tokens are 16 bytes; a plan's text is about 4 bytes a token).
    var tokens: [Token]
    var literals: [Literal]
    var base = 0
    /// Literal indexes in tokens count from the first literal ever lexed.
    var literalBase = 0
    var supply: TokenSupply = .done([])
    let source: SourceFile
    /// The file's plan declarations, as rows (statements refer to them by row); the rows
    /// are built in `rows` and handed over when the file is parsed.
    let declarations: DeclarationTable
    var rows: DeclarationRows
    /// The fields of the declarations being read (a declaration inside a field's code
    /// stacks its own above them).
    var pendingFields: [DeclarationRows.PendingField] = []
    /// The names the lexer numbered (each identifier token carries its number), and per
    /// such number the name's number in `rows`, or -1 until the parser first uses it
    /// there (the rows number names in order of first use).
    var names: NameInterner
    var rowSymbols: [Int32] = []
    /// The words the parser looks for, by number (a copy: no check of a global per use).
    let words = FixedNames.shared
    /// The number of the current token (not an index into the window).
    var current = 0
    /// The number of the first token of the top-level statement being read: the window
    /// keeps it and what follows (a statement's recovery looks back to its start).
    var statementStart = 0
    var depth = 0
    /// False in `if`/`while`/`for` heads, where `{` opens the body, not a record.
    var allowRecordLiteral = true
    public internal(set) var diagnostics: [Diagnostic] = []

    /// Thrown to abandon the current statement. A nil diagnostic means the bad token
    /// was already reported (by the lexer), so nothing more is said.
    struct Abandon: Error {
        var diagnostic: Diagnostic?
    }

    public init(lexed: LexedSource, source: SourceFile) {
        tokens = lexed.tokens
        literals = lexed.literals
        names = lexed.names
        self.source = source
        declarations = DeclarationTable(file: source.id)
        rows = DeclarationRows(file: source.id)
    }

    /// A parser that takes tokens from `lexer` as it goes, a chunk at a time (see
    /// TokenSupply.swift).
    init(source: SourceFile, lexer: Lexer) {
        tokens = []
        literals = []
        names = FixedNames.shared.interner
        supply = .lexing(lexer)
        self.source = source
        declarations = DeclarationTable(file: source.id)
        rows = DeclarationRows(file: source.id)
        rows.reserve(forTextOf: source.bytes.count)
        refill()
    }

    /// Lexes and parses a source text; diagnostics from both phases come back together.
    public static func parse(_ source: SourceFile) -> (Program, [Diagnostic]) {
        parse(source, lexer: Lexer(source: source))
    }

    /// Parses a source text with tokens from `lexer` (a lexer of that text).
    public static func parse(_ source: SourceFile, lexer: Lexer) -> (Program, [Diagnostic]) {
        var parser = Parser(source: source, lexer: lexer)
        let program = parser.parseProgram()
        return (program, parser.supply.problems + parser.diagnostics)
    }

    // MARK: - Token window

    /// How far `token(after:)` may look ahead of the current token.
    static let lookahead = 8

    /// Keeps at least `lookahead` tokens after the current one in the window (or the
    /// rest of the text, up to `endOfFile`), and drops the tokens (and literals) before
    /// the current top-level statement, keeping one for `previous`: nothing looks back
    /// further. (A parser made from lexed tokens holds them all: its supply is done.)
    @inline(never)
    mutating func refill() {
        while current - base + Parser.lookahead >= tokens.count, !supply.isDone {
            let drop = max(0, min(statementStart, current) - 1 - base)
            let firstLiteral = tokens[drop...].first { $0.literal >= 0 }.map { Int($0.literal) } ?? literalBase + literals.count
            literals.removeFirst(firstLiteral - literalBase)
            literalBase = firstLiteral
            // (The lexer makes the new window: the kept tokens, then the next chunk.)
            supply.next(into: &tokens, droppingFirst: drop, literals: &literals, names: &names)
            base += drop
        }
    }

    // MARK: - Token helpers

    var peek: Token { tokens[current - base] }
    var previous: Token { tokens[max(0, current - 1 - base)] }
    func span(_ token: Token) -> Span { Span(file: source.id, start: token.start, end: token.end) }
    func span(from start: Token) -> Span { Span(file: source.id, start: start.start, end: previous.end) }
    func check(_ kind: TokenKind) -> Bool { peek.kind == kind }

    @discardableResult
    @inline(__always)  // (once a token: the call would cost as much as the work)
    mutating func advance() -> Token {
        let token = tokens[current - base]
        if token.kind != .endOfFile {
            current += 1
            // (Checked here, so that most tokens cost no call.)
            if current - base + Parser.lookahead >= tokens.count { refill() }
        }
        return token
    }

    @inline(__always)
    mutating func match(_ kind: TokenKind) -> Bool {
        guard check(kind) else { return false }
        advance()
        return true
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .identifier: return "'\(source.text(of: span(token)))'"
        case .endOfFile: return "end of input"
        default:
            let text = source.text(of: span(token))
            return text.count <= 20 && !text.contains("\n") ? "'\(text)'" : token.kind.display
        }
    }

    func failure(_ kind: DiagnosticKind, at token: Token) -> Abandon {
        // A token the lexer already rejected has been reported once; say nothing more.
        token.kind == .invalid ? Abandon(diagnostic: nil) : Abandon(diagnostic: Diagnostic(kind, at: span(token)))
    }

    /// The current token, moving past it, if it is a `kind`; else an error saying `what`
    /// was expected (the words made only then).
    @discardableResult
    @inline(__always)
    mutating func expect(_ kind: TokenKind, _ what: @autoclosure () -> String) throws(Abandon) -> Token {
        guard check(kind) else { throw expected(what()) }
        return advance()
    }

    /// "Expected `what`, found" the current token.
    @inline(never)
    func expected(_ what: String) -> Abandon {
        failure(.expected(what: what, found: describe(peek)), at: peek)
    }

    mutating func identifier(_ what: @autoclosure () -> String) throws(Abandon) -> Name {
        let token = try expect(.identifier, what())
        return Name(text: nameText(token), span: span(token))
    }

    /// An identifier token's name (the lexer's string of it, not a new one).
    @inline(__always)  // (a call would copy the parser, which is large)
    func nameText(_ token: Token) -> String {
        let name = Int(token.name)
        return name >= 0 && name < names.count ? names[Int32(name)] : source.text(of: span(token))
    }

    /// The number of an identifier token's name in this file's declaration rows.
    @inline(__always)
    mutating func symbol(_ token: Token) -> Int32 {
        let name = Int(token.name)
        if name >= 0, name < rowSymbols.count {
            let symbol = rowSymbols[name]
            if symbol >= 0 { return symbol }
        }
        return firstUse(token)
    }

    /// The number in the rows of a token's name not used there yet.
    @inline(never)
    mutating func firstUse(_ token: Token) -> Int32 {
        var name = token.name
        if name < 0 || Int(name) >= names.count {  // (a token not from this parser's lexer)
            name = source.withBytes(of: span(token)) { names.symbol($0) }
        }
        return rowSymbol(name)
    }

    /// The number in the rows of the lexer's name `name`, given on first use.
    mutating func rowSymbol(_ name: Int32) -> Int32 {
        let index = Int(name)
        if index >= rowSymbols.count { rowSymbols += repeatElement(-1, count: max(index + 1, names.count) - rowSymbols.count) }
        if rowSymbols[index] < 0 { rowSymbols[index] = rows.addName(names[name]) }
        return rowSymbols[index]
    }

    /// Operators, calls and clauses in the chains being parsed: each deepens the
    /// (left-leaning) tree by one, so later phases recurse that deep. Limited apart from
    /// nesting: a generated sum of thousands of terms is fine.
    var chainDepth = 0
    public static let chainLimit = 10_000

    mutating func chain() throws(Abandon) {
        chainDepth += 1
        if chainDepth > Parser.chainLimit {
            throw Abandon(diagnostic: Diagnostic(.expressionTooLong(limit: Parser.chainLimit), at: span(peek)))
        }
    }

    mutating func nest() throws(Abandon) {
        depth += 1
        if depth > Parser.nestingLimit {
            throw Abandon(diagnostic: Diagnostic(.nestingTooDeep(limit: Parser.nestingLimit), at: span(peek)))
        }
    }

    @inline(__always)  // (a call would copy the parser, which is large)
    func literal(_ token: Token) -> Literal {
        let index = Int(token.literal) - literalBase
        return token.literal >= 0 && index >= 0 && index < literals.count ? literals[index] : .number(0)
    }

    // MARK: - Statements

    /// program = { statement } EOF ;
    public mutating func parseProgram() -> Program {
        let statements = statementList(until: .endOfFile)
        declarations.finish(rows)
        return Program(statements: statements, file: source.id)
    }

    /// Parses statements up to `end`, recovering after each bad one.
    mutating func statementList(until end: TokenKind) -> [Stmt] {
        var statements: [Stmt] = []
        // (A plan is mostly top-level declarations: room for as many as the rows expect.)
        if end == .endOfFile { statements.reserveCapacity(rows.expectedDeclarations) }
        while !check(end) && !check(.endOfFile) {
            if end == .endOfFile { statementStart = current }
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
    mutating func synchronize(end: TokenKind, statementStart: Int) {
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
    mutating func statement() throws(Abandon) -> Stmt {
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
        case .identifier:
            if let word = declarationWord() { kind = try declarationStatement(word) } else { kind = try expressionStatement() }
        default: kind = try expressionStatement()
        }
        try endOfStatement()
        return Stmt(kind: kind, span: span(from: start))
    }

    /// A statement ends at ';', a line break, '}' or the end of input.
    mutating func endOfStatement() throws(Abandon) {
        if match(.semicolon) { return }
        if peek.startsLine || check(.rightBrace) || check(.endOfFile) || previous.kind == .rightBrace { return }
        throw failure(.expected(what: "a new line or ';' after the statement", found: describe(peek)), at: peek)
    }

    /// letStatement = "let" IDENT "=" expression ;
    mutating func letStatement() throws(Abandon) -> StmtKind {
        advance()
        let name = try identifier("a name after 'let'")
        try expect(.equal, "'=' after the name in 'let'")
        return .letBinding(name, try expression())
    }

    /// fnStatement = "fn" IDENT parameters functionBody ;
    mutating func functionDeclaration() throws(Abandon) -> FunctionDecl {
        let start = advance()
        let name = try identifier("a function name")
        return try functionRest(name: name, start: start)
    }

    /// parameters = "(" [ IDENT { "," IDENT } [ "," ] ] ")" ;
    /// functionBody = block | "=>" expression ;
    mutating func functionRest(name: Name?, start: Token) throws(Abandon) -> FunctionDecl {
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
    mutating func forStatement() throws(Abandon) -> StmtKind {
        advance()
        let binding = try loopBinding()
        try expect(.kwIn, "'in' after the loop variable")
        let sequence = try headExpression()
        let body = try block("'{' before the loop body")
        return .forLoop(binding, sequence: sequence, body: body)
    }

    /// binding = IDENT [ "," IDENT ] ;
    mutating func loopBinding() throws(Abandon) -> LoopBinding {
        let first = try identifier("a loop variable")
        let second = match(.comma) ? try identifier("a second loop variable after ','") : nil
        return LoopBinding(first: first, second: second)
    }

    /// whileStatement = "while" expression block ;
    mutating func whileStatement() throws(Abandon) -> StmtKind {
        advance()
        let condition = try headExpression()
        return .whileLoop(condition: condition, body: try block("'{' before the loop body"))
    }

    /// returnStatement = "return" [ expression ] ;   (the value must start on the same line)
    mutating func returnStatement() throws(Abandon) -> StmtKind {
        advance()
        if peek.startsLine || check(.rightBrace) || check(.semicolon) || check(.endOfFile) {
            return .returnStatement(nil)
        }
        return .returnStatement(try expression())
    }

    /// expressionStatement = expression [ assignOp expression ] ;
    /// assignOp = "=" | "+=" | "-=" | "*=" | "/=" ;
    mutating func expressionStatement() throws(Abandon) -> StmtKind {
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
        case .literal, .bool, .nilLiteral, .symbol, .interpolation, .list, .record, .unary, .binary, .call, .function,
             .conditional, .comprehension, .range, .query:
            throw Abandon(diagnostic: Diagnostic(.invalidAssignmentTarget, at: target.span.to(span(operatorToken))))
        }
        return .assignment(target: target, op: op, value: try expression())
    }

    /// block = "{" { statement } "}" ;
    mutating func block(_ what: String) throws(Abandon) -> Block {
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
}
