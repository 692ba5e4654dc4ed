// Where the parser's tokens come from: its own lexer, run a chunk at a time when the
// parser needs more, so that a large plan's tokens are never all in memory at once.

/// Tokens for a parser, chunk by chunk (see `Lexer.nextChunk`).
enum TokenSupply {
    case lexing(Lexer)
    /// Every token has been handed out; the lexer's diagnostics.
    case done([Diagnostic])

    /// Drops the first `drop` tokens of `tokens` and appends the next chunk of tokens,
    /// and their literals to `literals` (which must end with the last literal handed
    /// out), numbering names in `names`; appends nothing once the lexer is done.
    mutating func next(into tokens: inout [Token], droppingFirst drop: Int, literals: inout [Literal], names: inout NameInterner) {
        switch self {
        case .lexing(var lexer):
            self = .done([])  // (no second copy of the lexer while it runs)
            let before = tokens.count - drop
            lexer.nextChunk(tokens: 4096, into: &tokens, droppingFirst: drop, literals: &literals, names: &names)
            self = tokens.count == before ? .done(lexer.problems) : .lexing(lexer)
        case .done:
            tokens.removeFirst(drop)
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
