// Go to definition, find references, rename, and the outline: over every file of the
// plan a document belongs to. Ids, functions and top-level lets are global names in
// mapl, so a name's references are the name tokens spelled the same.

import Foundation
import Mapl

/// A name in a text and where it is (byte offsets).
struct NameAt {
    let name: String
    let start: Int
    let end: Int

    /// The name the offset is in or just after, if any.
    init?(in bytes: [UInt8], at offset: Int) {
        func isName(_ byte: UInt8) -> Bool { byte == 95 || (byte | 0x20 >= 97 && byte | 0x20 <= 122) || (byte >= 48 && byte <= 57) }
        var start = min(max(0, offset), bytes.count), end = start
        while start > 0 && isName(bytes[start - 1]) { start -= 1 }
        while end < bytes.count && isName(bytes[end]) { end += 1 }
        guard start < end, !(bytes[start] >= 48 && bytes[start] <= 57) else { return nil }
        self.name = String(decoding: bytes[start..<end], as: UTF8.self)
        self.start = start
        self.end = end
    }
}

extension LanguageServer {
    func name(at position: Position, in index: LineIndex) -> NameAt? {
        NameAt(in: index.bytes, at: index.offset(of: position))
    }

    /// Where a name is declared: an entity's declaration, a function or a `let`.
    func declaration(of name: String, in analysis: Analysis) -> Span? {
        if analysis.hasPlan, let entity = analysis.session.machine.plan.entity(id: name) { return entity.span }
        if let global = analysis.session.declaredGlobals.first(where: { $0.name == name }) { return global.span }
        return nil
    }

    /// The name itself inside its declaration (`dana` in `stakeholder dana "Dana"`), the
    /// first whole-word occurrence; the declaration when it is not found.
    func nameSpan(_ name: String, in declaration: Span, _ analysis: Analysis) -> Span {
        guard let file = analysis.session.sources.file(declaration.file) else { return declaration }
        let bytes = Array(file.bytes[Int(declaration.start)..<Int(declaration.end)]), wanted = Array(name.utf8)
        func isName(_ byte: UInt8) -> Bool { byte == 95 || (byte | 0x20 >= 97 && byte | 0x20 <= 122) || (byte >= 48 && byte <= 57) }
        var index = 0
        while index + wanted.count <= bytes.count {
            if bytes[index..<index + wanted.count].elementsEqual(wanted), index == 0 || !isName(bytes[index - 1]),
               index + wanted.count == bytes.count || !isName(bytes[index + wanted.count]) {
                let start = declaration.start + Int32(index)
                return Span(file: declaration.file, start: start, end: start + Int32(wanted.count))
            }
            index += 1
        }
        return declaration
    }

    func definition(_ params: TextDocumentPositionParams) throws -> Location? {
        let context = try context(params.textDocument.uri)
        guard let found = name(at: params.position, in: context.index),
              let declared = declaration(of: found.name, in: context.analysis) else { return nil }
        return context.analysis.location(nameSpan(found.name, in: declared, context.analysis))
    }

    /// Every name token spelled `name` in the plan's files.
    func occurrences(of name: String, in analysis: Analysis) -> [(path: String, span: Span)] {
        var found: [(String, Span)] = []
        for (file, path) in analysis.files where !path.hasPrefix(Stdlib.directory ?? "\u{0}") {
            let bytes = Array(name.utf8)
            for token in Lexer.lex(file).tokens where token.kind == .identifier && Int(token.end - token.start) == bytes.count {
                let span = Span(file: file.id, start: token.start, end: token.end)
                if file.bytes[Int(token.start)..<Int(token.end)].elementsEqual(bytes) { found.append((path, span)) }
            }
        }
        return found
    }

    func references(_ params: ReferenceParams) throws -> [Location] {
        let context = try context(params.textDocument.uri)
        guard let found = name(at: params.position, in: context.index) else { return [] }
        let declared = declaration(of: found.name, in: context.analysis)
        return occurrences(of: found.name, in: context.analysis).compactMap { occurrence in
            if params.context?.includeDeclaration == false, let declared, occurrence.span.file == declared.file,
               declared.start <= occurrence.span.start, occurrence.span.end <= declared.end { return nil }
            return context.analysis.location(occurrence.span)
        }
    }

    /// A name that can be renamed: an entity id, a function or a top-level `let`.
    private func renameable(_ position: Position, _ context: (analysis: Analysis, file: SourceFile?, index: LineIndex, path: String)) throws -> NameAt {
        guard let found = name(at: position, in: context.index), declaration(of: found.name, in: context.analysis) != nil else {
            throw ResponseError(ResponseError.requestFailed, "only ids, functions and top-level lets can be renamed")
        }
        return found
    }

    func prepareRename(_ params: TextDocumentPositionParams) throws -> PrepareRenameResult {
        let context = try context(params.textDocument.uri)
        let found = try renameable(params.position, context)
        return PrepareRenameResult(range: context.index.range(found.start, found.end), placeholder: found.name)
    }

    func rename(_ params: RenameParams) throws -> WorkspaceEdit {
        let context = try context(params.textDocument.uri)
        let found = try renameable(params.position, context)
        let newName = params.newName
        guard let first = newName.utf8.first, first == 95 || (first | 0x20 >= 97 && first | 0x20 <= 122),
              newName.utf8.allSatisfy({ $0 == 95 || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || ($0 >= 48 && $0 <= 57) }),
              !LanguageInfo.keywords.contains(newName) else {
            throw ResponseError(ResponseError.invalidParams, "'\(newName)' is not a name: letters, digits and _, not starting with a digit")
        }
        if newName != found.name, declaration(of: newName, in: context.analysis) != nil {
            throw ResponseError(ResponseError.requestFailed, "'\(newName)' is already declared in this plan")
        }
        var changes: [String: [TextEdit]] = [:]
        for occurrence in occurrences(of: found.name, in: context.analysis) {
            guard let range = context.analysis.range(occurrence.span) else { continue }
            changes[DocumentURI.uri(occurrence.path), default: []].append(TextEdit(range: range, newText: newName))
        }
        return WorkspaceEdit(changes: changes)
    }

    // MARK: - Outline

    func documentSymbols(_ params: DocumentParams) throws -> [DocumentSymbol] {
        let context = try context(params.textDocument.uri)
        guard let file = context.file else { return [] }
        return symbols(in: context.analysis).filter { $0.span.file == file.id }.compactMap { symbol in
            context.analysis.range(symbol.span).map { range in
                DocumentSymbol(name: symbol.name, detail: symbol.detail, kind: symbol.kind, range: range, selectionRange: range, children: nil)
            }
        }
    }

    func workspaceSymbols(_ params: WorkspaceSymbolParams) throws -> [SymbolInformation] {
        let query = params.query.lowercased()
        var found: [SymbolInformation] = []
        for analysis in usable.values {
            for symbol in symbols(in: analysis) where query.isEmpty || symbol.name.lowercased().contains(query) {
                guard let location = analysis.location(symbol.span) else { continue }
                found.append(SymbolInformation(name: symbol.name, kind: symbol.kind, location: location, containerName: symbol.detail))
                if found.count >= 500 { return found }
            }
        }
        return found
    }

    /// The plan's declared entities, functions, lets and rules, in source order.
    func symbols(in analysis: Analysis) -> [(name: String, detail: String, kind: Int, span: Span)] {
        var symbols: [(String, String, Int, Span)] = []
        if analysis.hasPlan {
            let plan = analysis.session.machine.plan
            for kind in Schema.kinds {
                for entity in plan.entities(of: kind) {
                    let name = entity.hasDeclaredID ? entity.id + (entity.title.map { " — " + $0 } ?? "") : entity.name
                    symbols.append((name, kind.name, kind.isSingleton ? 2 : 23, entity.span))
                }
            }
            for rule in plan.ruleDeclarations { symbols.append((rule.id, "rule", 24, rule.span)) }
        }
        for global in analysis.session.declaredGlobals where global.span.file >= 0 {
            if case .entity = global.value { continue }
            symbols.append((global.name, global.isFunction ? "fn" : "let", global.isFunction ? 12 : 13, global.span))
        }
        return symbols.sorted { ($0.3.file, $0.3.start) < ($1.3.file, $1.3.start) }
    }
}
