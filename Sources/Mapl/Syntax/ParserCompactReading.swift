// The parser's compact reading: top-level shorthand lines (`influence a -> b 40%`) and
// plain declarations (`stakeholder s1 "Ann" { unit: u1 }`) go into `LineBatch`es and
// `DeclarationBatch`es instead of syntax trees, for large plans. Anything unusual is
// left to the ordinary statement parser (Parser.swift), which reads it the same way.

extension Parser {
    /// Takes a top-level `influence A -> B [strength]` or `conflict A <-> B` written on
    /// one line and ending there into the open `LineBatch` (a new one when the previous
    /// statement is not a batch of the same kind). Anything else is left to `statement`.
    mutating func appendShorthandLine(to statements: inout [Stmt]) -> Bool {
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
        guard startsNextStatement(after: count) else { return false }
        let batch: LineBatch
        if let open = plan.openLines, plan.isOpen(statements), open.isInfluence == isInfluence, open.count < LineBatch.maximumCount {
            batch = open
            statements[statements.count - 1].span.end = last.end
        } else {
            batch = LineBatch(isInfluence: isInfluence, source: source, names: plan.names)
            statements.append(Stmt(kind: .lines(batch), span: Span(file: source.id, start: keyword.start, end: last.end)))
            plan.opened(lines: batch, in: statements)
        }
        let first = token(after: 1)
        batch.append(start: keyword.start, from: -1, to: -1, strength: strength)
        plan.addNames(of: batch.count - 1, in: batch, from: span(first), to: span(second), bytes: source.bytes)
        current += count
        refill()
        return true
    }

    /// Takes a top-level `KIND ID ["title"] { key: value … }` whose keys are fields of the
    /// kind, each once, into the open `DeclarationBatch` (see there). Reads exactly what
    /// `declarationStatement` reads; anything else (no id or block, an unknown or repeated
    /// field, a syntax error) rewinds and is left to `statement`.
    mutating func appendPlainDeclaration(to statements: inout [Stmt]) -> Bool {
        guard peek.kind == .identifier, token(after: 1).kind == .identifier, !token(after: 1).startsLine,
              let kind = plan.declaredKind(span(peek), of: source.bytes) else { return false }
        let batch: DeclarationBatch
        let isOpen: Bool
        if let open = plan.openDeclarations, plan.isOpen(statements), open.count < DeclarationBatch.maximumCount {
            (batch, isOpen) = (open, true)
        } else {
            (batch, isOpen) = (DeclarationBatch(source: source, names: plan.names), false)
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
    mutating func readPlainDeclaration(_ kind: EntityKind, into batch: DeclarationBatch) -> Bool {
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
    mutating func roleMapValue(names: NameTable, bytes: SourceBytes) -> RoleMap? {
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
    func singleTokenValue(names: NameTable, bytes: SourceBytes) -> PlainValue? {
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
    func plainValue(of expr: Expr) -> PlainValue {
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
    func startsNextStatement(after offset: Int) -> Bool {
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
}
