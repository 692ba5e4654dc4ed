// Compact declarations and shorthand lines keep few places once the plan holds them
// (DeclarationBatch.swift, LineBatch.swift): where each starts. Their other places (the
// header's end, the id, each field's value) are read again from the source when asked,
// for a message or an export: one declaration lexed and parsed, a few microseconds.
// Keeping them took 7 bytes a field and 12 a declaration or line, a tenth of a large
// plan's memory.

extension Parser {
    /// The declaration or shorthand line that starts at `offset` of `source`, read again
    /// as the parser read it the first time; nil when there is none there (the file was
    /// changed on disk since, say: places then can be wrong, but nothing traps).
    static func reread(at offset: Int32, in source: SourceFile) -> Declaration? {
        guard offset >= 0, Int(offset) < source.bytes.count else { return nil }
        var lexer = Lexer(source: source, startingAt: Int(offset))
        var tokens: [Token] = [], literals: [Literal] = []
        // The statement ends with the `}` that closes its block, or before a `;` or a
        // token that starts a line outside the block (a block may open on the next line).
        var depth = 0, openedBlock = false
        reading: while true {
            let (chunk, chunkLiterals) = lexer.nextChunk(tokens: 32)
            literals += chunkLiterals
            if chunk.isEmpty { break }
            for token in chunk {
                if token.kind == .endOfFile || depth == 0 && token.kind == .semicolon { break reading }
                if depth == 0 && token.startsLine && !tokens.isEmpty && (openedBlock || token.kind != .leftBrace) { break reading }
                tokens.append(token)
                switch token.kind {
                case .leftBrace:
                    depth += 1
                    openedBlock = true
                case .rightBrace:
                    depth -= 1
                    if depth <= 0 { break reading }
                default: break
                }
            }
        }
        guard let last = tokens.last else { return nil }
        // (Handed back once parsed: the parser reads names from the text too.)
        defer { source.bytes.releasePages(around: Int(offset)..<Int(last.end)) }
        tokens.append(Token(kind: .endOfFile, startsLine: true, start: last.end, end: last.end, literal: -1))
        var parser = Parser(lexed: LexedSource(tokens: tokens, literals: literals, diagnostics: []), source: source)
        guard parser.startsDeclaration(), case .declaration(let declaration)? = try? parser.declarationStatement() else { return nil }
        return declaration
    }
}
