// `mapl fmt`: canonical layout of mapl source. The pipeline: lex and parse (files with
// syntax errors are refused), read the comments back from the gaps between tokens, lay
// out the author's lines with canonical indentation and spacing, break over-long lines
// inside brackets, then re-lex the result to prove that no token changed.

/// How `SourceFormatter` lays out code.
public struct FormatOptions: Sendable {
    /// Lines longer than this are broken inside their brackets where that is possible.
    public var lineWidth: Int
    /// Spaces per indentation level.
    public var indentWidth: Int

    public init(lineWidth: Int = 120, indentWidth: Int = 2) {
        self.lineWidth = lineWidth
        self.indentWidth = indentWidth
    }
}

/// What formatting one source text came to.
public enum FormatOutcome: Sendable {
    /// The canonical text (equal to the input when it was already formatted).
    case formatted(String)
    /// The source has syntax errors; it is not formatted.
    case rejected([Diagnostic])
    /// The formatter's own check failed: its output would not have the same tokens or
    /// comments as the input. A bug in the formatter; the input must be left alone.
    case unsafe(String)
}

/// The canonical layout of mapl source.
///
/// The author's line breaks are kept, because in mapl they carry meaning (a statement
/// ends at one; `(`, `[`, `+` and `-` that start a line start a new statement); the
/// formatter only adds breaks inside brackets of lines longer than the line width, where
/// a break never changes how the code parses. Everything else is canonical: two-space
/// indentation by bracket depth plus one level for a continued statement, one space
/// around binary operators and after `,` and `:`, none inside `()`, `[]`, records and
/// interpolations, at most one blank line (none at the start or end, after an opening
/// or before a closing bracket), no trailing spaces, `\n` line ends and a final newline.
/// Every comment is kept where it was: a comment on a line of its own is indented like
/// the code after it, a trailing comment stays at the end of its line and keeps its
/// column when the code leaves room (so aligned `# expect:` columns survive).
public enum SourceFormatter {
    public static func format(_ source: SourceFile, options: FormatOptions = FormatOptions()) -> FormatOutcome {
        let lexed = Lexer.lex(source)
        var parser = Parser(lexed: lexed, source: source)
        let program = parser.parseProgram()
        let diagnostics = lexed.diagnostics + parser.diagnostics
        if !diagnostics.isEmpty { return .rejected(diagnostics) }

        let gaps = Trivia.gaps(bytes: source.bytes, tokens: lexed.tokens)
        var layout = Layout(source: source, tokens: lexed.tokens, gaps: gaps, roles: SyntaxRoles(program), options: options)
        layout.breakLongLines()
        let text = layout.render()
        let comments = Trivia.comments(in: gaps).map(\.text)
        if let problem = verify(original: source, lexed: lexed, comments: comments, formatted: text) { return .unsafe(problem) }
        return .formatted(text)
    }

    /// Re-lexes the output: the same tokens with the same text, line breaks only added
    /// where they cannot change the parse, the same comments, and still no syntax error.
    static func verify(original: SourceFile, lexed: LexedSource, comments: [String], formatted: String) -> String? {
        let output = SourceFile(id: original.id, name: original.name, text: formatted)
        let relexed = Lexer.lex(output)
        guard relexed.diagnostics.isEmpty, relexed.tokens.count == lexed.tokens.count else {
            return "the formatted text has different tokens"
        }
        for index in lexed.tokens.indices {
            let before = lexed.tokens[index], after = relexed.tokens[index]
            guard before.kind == after.kind,
                  original.bytes[Int(before.start)..<Int(before.end)].elementsEqual(output.bytes[Int(after.start)..<Int(after.end)]) else {
                return "token \(index + 1) would change from '\(original.text(of: Span(file: original.id, start: before.start, end: before.end)))'"
            }
            if before.startsLine != after.startsLine, before.kind != .endOfFile {
                let previous = index > 0 ? lexed.tokens[index - 1].kind : .endOfFile
                guard after.startsLine, Layout.isCloser(before.kind) || Layout.endsItem(previous) || Layout.isOpener(previous)
                        || startsClause(index, lexed.tokens, original) else {
                    return "a line break would move at token \(index + 1)"
                }
            }
        }
        guard comments == Trivia.comments(in: Trivia.gaps(bytes: output.bytes, tokens: relexed.tokens)).map(\.text) else {
            return "the comments would change"
        }
        var parser = Parser(lexed: relexed, source: output)
        _ = parser.parseProgram()
        guard parser.diagnostics.isEmpty else { return "the formatted text does not parse" }
        return nil
    }

    /// `where`, `sort by` or `group by`: a query clause, which may start a line.
    private static func startsClause(_ index: Int, _ tokens: [Token], _ source: SourceFile) -> Bool {
        func word(_ at: Int) -> String {
            at < tokens.count && tokens[at].kind == .identifier
                ? source.text(of: Span(file: source.id, start: tokens[at].start, end: tokens[at].end)) : ""
        }
        switch word(index) {
        case "where": return true
        case "sort", "group": return word(index + 1) == "by"
        default: return false
        }
    }
}
