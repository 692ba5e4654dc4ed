// Where the parser's tokens come from: its own lexer, run a chunk at a time when the
// parser needs more, or, for a large source, a lexer running on a thread of its own a
// few chunks ahead (lexing is a tenth of reading a big plan, and a second core is
// usually idle).

import Foundation

/// Tokens for a parser, chunk by chunk (see `Lexer.nextChunk`).
enum TokenSupply {
    case inline(Lexer)
    case piped(LexerPipe)
    /// Every token has been handed out.
    case done([Diagnostic])

    /// Sources at least this large are lexed on a thread of their own.
    static let pipedFromBytes = 1 << 20

    /// - Parameter piped: lex on a thread of its own; by default, for large sources.
    init(source: SourceFile, piped: Bool? = nil) {
        let lexer = Lexer(source: source)
        self = piped ?? (source.bytes.count >= TokenSupply.pipedFromBytes) ? .piped(LexerPipe(lexer)) : .inline(lexer)
    }

    /// The next chunk of tokens and their literals; empty once the lexer is done.
    mutating func next() -> (tokens: [Token], literals: [Literal]) {
        switch self {
        case .inline(var lexer):
            self = .done([])  // (no second copy of the lexer while it runs)
            let chunk = lexer.nextChunk(tokens: 4096)
            self = chunk.tokens.isEmpty ? .done(lexer.problems) : .inline(lexer)
            return chunk
        case .piped(let pipe):
            guard let chunk = pipe.next() else {
                self = .done(pipe.problems)
                return ([], [])
            }
            return chunk
        case .done:
            return ([], [])
        }
    }

    var isDone: Bool {
        if case .done = self { return true }
        return false
    }

    /// The lexer's diagnostics, once every token has been handed out.
    var problems: [Diagnostic] {
        if case .done(let problems) = self { return problems }
        return []
    }
}

/// A lexer on its own thread, at most `depth` chunks ahead of the parser. The parser
/// always reads to the end of the source, so the thread always finishes.
final class LexerPipe: @unchecked Sendable {
    // Everything below is touched only with `condition` locked.
    private let condition = NSCondition()
    private var ready: [(tokens: [Token], literals: [Literal])] = []
    private var finished = false
    private var lexerProblems: [Diagnostic] = []
    private static let depth = 8

    init(_ lexer: Lexer) {
        let thread = Thread { [self] in
            var lexer = lexer
            while true {
                let chunk = lexer.nextChunk(tokens: 16_384)
                condition.lock()
                if chunk.tokens.isEmpty {
                    finished = true
                    lexerProblems = lexer.problems
                    condition.broadcast()
                    condition.unlock()
                    return
                }
                while ready.count >= LexerPipe.depth { condition.wait() }
                ready.append(chunk)
                condition.broadcast()
                condition.unlock()
            }
        }
        thread.start()
    }

    /// The next chunk, waiting for it; nil when the lexer has finished.
    func next() -> (tokens: [Token], literals: [Literal])? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        guard !ready.isEmpty else { return nil }
        let chunk = ready.removeFirst()
        condition.broadcast()
        return chunk
    }

    var problems: [Diagnostic] {
        condition.lock()
        defer { condition.unlock() }
        return lexerProblems
    }
}
