// Where the parser's tokens come from: its own lexer, run a chunk at a time when the
// parser needs more, so that a large plan's tokens are never all in memory at once.

/// Tokens for a parser, chunk by chunk (see `Lexer.nextChunk`).
enum TokenSupply {
    case lexing(Lexer)
    /// Every token has been handed out; the lexer's diagnostics.
    case done([Diagnostic])

    /// Appends the next chunk of tokens to `tokens` and their literals to `literals`
    /// (which must end with the last literal handed out); appends nothing once the
    /// lexer is done.
    mutating func next(into tokens: inout [Token], literals: inout [Literal]) {
        switch self {
        case .lexing(var lexer):
            self = .done([])  // (no second copy of the lexer while it runs)
            let before = tokens.count
            lexer.nextChunk(tokens: 4096, into: &tokens, literals: &literals)
            self = tokens.count == before ? .done(lexer.problems) : .lexing(lexer)
        case .done:
            return
        }
    }

    var isDone: Bool {
        switch self {
        case .lexing: return false
        case .done: return true
        }
    }

    /// The lexer's diagnostics, once every token has been handed out.
    var problems: [Diagnostic] {
        switch self {
        case .lexing: return []
        case .done(let problems): return problems
        }
    }
}
