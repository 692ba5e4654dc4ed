// Formatting (as `mapl fmt`), semantic tokens from the lexer, and quick fixes for the
// diagnostics whose hint names the fix.

import Foundation
import Mapl

extension LanguageServer {
    func formatting(_ params: FormattingParams) throws -> [TextEdit] {
        guard let path = DocumentURI.path(params.textDocument.uri), let text = workspace.text(of: path) else { return [] }
        let source = SourceMap().add(name: path, text: text)
        guard case .formatted(let formatted) = SourceFormatter.format(source), formatted != text else { return [] }
        let index = LineIndex(text)
        return [TextEdit(range: index.range(0, index.bytes.count), newText: formatted)]
    }

    func semanticTokens(_ params: DocumentParams) throws -> SemanticTokens {
        guard let path = DocumentURI.path(params.textDocument.uri), let text = workspace.text(of: path) else { return SemanticTokens(data: []) }
        let context = try? self.context(params.textDocument.uri)
        let plan = context.flatMap { $0.analysis.hasPlan ? $0.analysis.session.machine.plan : nil }
        let source = SourceMap().add(name: path, text: text)
        let index = LineIndex(text)
        var data: [Int] = [], previous = Position(line: 0, character: 0)
        for token in Lexer.lex(source).tokens {
            let start = index.position(of: Int(token.start)), end = index.position(of: Int(token.end))
            guard start.line == end.line, end.character > start.character,
                  let type = tokenType(token, text: source.text(of: Span(file: source.id, start: token.start, end: token.end)), plan: plan) else { continue }
            let deltaLine = start.line - previous.line
            data += [deltaLine, deltaLine == 0 ? start.character - previous.character : start.character, end.character - start.character, type, 0]
            previous = start
        }
        return SemanticTokens(data: data)
    }

    /// The index of a token's type in `Capabilities.tokenTypes`; nil for punctuation.
    private func tokenType(_ token: Token, text: String, plan: Plan?) -> Int? {
        switch token.kind {
        case .kwLet, .kwFn, .kwReturn, .kwIf, .kwElse, .kwFor, .kwIn, .kwWhile, .kwBreak, .kwContinue,
             .kwTrue, .kwFalse, .kwNil, .kwAnd, .kwOr, .kwNot: return 0
        case .string, .stringHead, .stringMiddle, .stringTail: return 1
        case .number, .money, .percent, .date, .duration: return 2
        case .identifier:
            if Schema.kind(named: text) != nil, token.startsLine { return 8 }
            if LanguageInfo.builtin(named: text) != nil { return 4 }
            if plan?.entity(id: text) != nil { return 3 }
            if Scales.all.contains(where: { $0.value(named: text) != nil }) { return 5 }
            return 3
        case .arrow, .rightArrow, .twoWayArrow, .plus, .minus, .star, .slash, .percentSign, .equal, .equalEqual, .bangEqual,
             .less, .lessEqual, .greater, .greaterEqual, .plusEqual, .minusEqual, .starEqual, .slashEqual, .questionQuestion, .dotDot:
            return 6
        case .leftParen, .rightParen, .leftBracket, .rightBracket, .leftBrace, .rightBrace, .comma, .dot, .colon, .semicolon,
             .endOfFile, .invalid:
            return nil
        }
    }

    /// A quick fix for each diagnostic whose hint names the word to write instead.
    func codeActions(_ params: CodeActionParams) throws -> [CodeAction] {
        params.context.diagnostics.compactMap { diagnostic in
            guard let replacement = diagnostic.data else { return nil }
            let edit = WorkspaceEdit(changes: [params.textDocument.uri: [TextEdit(range: diagnostic.range, newText: replacement)]])
            return CodeAction(title: "Change to '\(replacement)'", kind: "quickfix", diagnostics: [diagnostic], edit: edit, isPreferred: true)
        }
    }
}
