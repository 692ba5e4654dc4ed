// Completion and hover. Completion knows where it is: a file in an `import`, a scale
// word or an id for the field being filled in a declaration, else what the REPL's
// completer offers (keywords, built-ins, names, fields after `.`). Hover shows an
// entity's card, a built-in's signature, a function's documentation or a scale word's
// meaning.

import Foundation
import Mapl
import MaplREPL

extension LanguageServer {
    func completion(_ params: TextDocumentPositionParams) throws -> CompletionList {
        let context = try context(params.textDocument.uri)
        let offset = context.index.offset(of: params.position)
        let lineStart = context.index.lineStarts[min(max(0, params.position.line), context.index.lineStarts.count - 1)]
        let line = String(decoding: context.index.bytes[min(lineStart, offset)..<offset], as: UTF8.self)
        if let items = importCompletion(line, offset: offset, context.index, folder: PathNames.directory(of: context.path)) {
            return CompletionList(isIncomplete: false, items: items)
        }
        let wordStart = offset - line.utf8.reversed().prefix { $0 == 95 || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || ($0 >= 48 && $0 <= 57) }.count
        let range = context.index.range(wordStart, offset)
        let word = String(decoding: context.index.bytes[wordStart..<offset], as: UTF8.self)
        if let items = fieldValueCompletion(line, word: word, range: range, at: offset, context.index, context.analysis) {
            return CompletionList(isIncomplete: false, items: items)
        }
        let repl = ReplSession(session: context.analysis.session)
        let result = repl.completer.complete(line: line, cursor: line.utf8.count, continuing: true, in: repl)
        let items = result.candidates.prefix(500).map { candidate in
            CompletionItem(label: candidate.label, kind: kind(of: candidate.text, result.context, context.analysis), detail: detail(of: candidate.text, context.analysis),
                           documentation: nil, textEdit: TextEdit(range: range, newText: candidate.text))
        }
        return CompletionList(isIncomplete: result.candidates.count > 500, items: Array(items))
    }

    /// Inside `import "…`: the standard library's modules and the folder's plan files.
    private func importCompletion(_ line: String, offset: Int, _ index: LineIndex, folder: String) -> [CompletionItem]? {
        guard line.trimmingCharacters(in: .whitespaces).hasPrefix("import \""), let quote = line.lastIndex(of: "\"") else { return nil }
        let typed = String(line[line.index(after: quote)...])
        let range = index.range(offset - typed.utf8.count, offset)
        var items = Stdlib.modules.map { CompletionItem(label: Stdlib.sourceName(ofModule: $0), kind: 9, detail: "standard library", documentation: nil,
                                                         textEdit: TextEdit(range: range, newText: Stdlib.sourceName(ofModule: $0))) }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        items += files.filter { $0.hasSuffix(".mapl") }.sorted().map {
            CompletionItem(label: $0, kind: 17, detail: "plan file", documentation: nil, textEdit: TextEdit(range: range, newText: $0))
        }
        return items.filter { $0.label.hasPrefix(typed) }
    }

    /// After `field:` in a declaration: the field's scale words, or the ids of the kinds
    /// it refers to.
    private func fieldValueCompletion(_ line: String, word: String, range: Range, at offset: Int, _ index: LineIndex, _ analysis: Analysis) -> [CompletionItem]? {
        let before = line.dropLast(word.count)
        guard let colon = before.lastIndex(of: ":"),
              before[before.index(after: colon)...].allSatisfy({ $0 == " " || $0 == "[" || $0 == "," }) || before.hasSuffix(", ") else { return nil }
        let fieldName = before[..<colon].reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed()
        guard !fieldName.isEmpty, let kind = enclosingKind(before: offset, index), let field = kind.field(String(fieldName)) else { return nil }
        var words: [(String, Int, String?)] = []
        switch field.type {
        case .level(let scale), .levels(let scale):
            words = scale.values.map { ($0.name, 20, $0.meaning) }
        case .ref(let kinds), .refs(let kinds):
            guard analysis.hasPlan else { return nil }
            for name in kinds {
                guard let target = Schema.kind(named: name) else { continue }
                words += analysis.session.machine.plan.entities(of: target).filter(\.hasDeclaredID).map { ($0.id, 6, $0.title) }
            }
        default:
            return nil
        }
        return words.filter { $0.0.hasPrefix(word) }.prefix(500).map {
            CompletionItem(label: $0.0, kind: $0.1, detail: $0.2, documentation: nil, textEdit: TextEdit(range: range, newText: $0.0))
        }
    }

    /// The kind of the declaration whose `{` block holds the offset, if any.
    private func enclosingKind(before offset: Int, _ index: LineIndex) -> EntityKind? {
        var depth = 0, position = offset - 1
        let bytes = index.bytes
        while position >= 0 {
            switch bytes[position] {
            case UInt8(ascii: "}"): depth += 1
            case UInt8(ascii: "{"):
                if depth == 0 {
                    let line = index.position(of: position).line
                    let start = index.lineStarts[line]
                    let header = String(decoding: bytes[start..<position], as: UTF8.self)
                    let first = header.split(separator: " ").first.map(String.init) ?? ""
                    return Schema.kind(named: first)
                }
                depth -= 1
            default: break
            }
            position -= 1
        }
        return nil
    }

    private func kind(of text: String, _ context: CompletionContext, _ analysis: Analysis) -> Int {
        if case .field = context { return 5 }
        if LanguageInfo.keywords.contains(text) { return 14 }
        if LanguageInfo.builtin(named: text) != nil { return 3 }
        if analysis.hasPlan && analysis.session.machine.plan.entity(id: text) != nil { return 6 }
        if Schema.kind(named: text) != nil { return 7 }
        return 12
    }

    private func detail(of text: String, _ analysis: Analysis) -> String? {
        if let builtin = LanguageInfo.builtin(named: text) { return builtin.doc }
        if analysis.hasPlan, let entity = analysis.session.machine.plan.entity(id: text) { return "\(entity.kind.name) \(entity.name)" }
        return Schema.kind(named: text)?.doc
    }

    // MARK: - Hover

    func hover(_ params: TextDocumentPositionParams) throws -> Hover? {
        let context = try context(params.textDocument.uri)
        guard let found = name(at: params.position, in: context.index) else { return nil }
        let range = context.index.range(found.start, found.end)
        guard let text = hoverText(found.name, context.analysis) else { return nil }
        return Hover(contents: MarkupContent(value: text), range: range)
    }

    private func hoverText(_ name: String, _ analysis: Analysis) -> String? {
        let session = analysis.session
        if analysis.hasPlan, let entity = session.machine.plan.entity(id: name) {
            var lines = ["**\(entity.name)** — \(entity.kind.name) `\(entity.id)`", ""]
            for (field, value) in session.fields(of: entity).prefix(24) where !["id", "name", "kind"].contains(field) {
                if case .nil = value { continue }
                if case .list(let list) = value, list.items.isEmpty { continue }
                lines.append("- \(field): \(LanguageServer.shown(value))")
            }
            return lines.joined(separator: "\n")
        }
        if let builtin = LanguageInfo.builtin(named: name) { return "```mapl\n\(builtin.doc)\n```\n(built-in)" }
        // A documented function: the plan's own, or the standard library's.
        if let doc = session.functionDoc(named: name) ?? Stdlib.functionDoc(named: name) {
            return "```mapl\n\(doc.signature)\n```\n\(doc.doc)" + (doc.source.isEmpty ? "" : "\n\n(\(doc.source))")
        }
        if let global = session.declaredGlobals.first(where: { $0.name == name }), let file = session.sources.file(global.span.file) {
            let declaration = file.text(of: global.span)
            let firstLine = declaration.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? declaration
            return "```mapl\n\(firstLine.count > 200 ? String(firstLine.prefix(200)) + "…" : firstLine)\n```"
        }
        if let kind = Schema.kind(named: name) { return "**\(kind.name)**: \(kind.doc)" }
        for scale in Scales.all {
            if let value = scale.value(named: name) { return "**\(value.name)** (\(scale.name)): \(value.meaning)" }
        }
        return nil
    }

    /// A value as a card line shows it: entities by name, lists joined.
    static func shown(_ value: Value) -> String {
        switch value {
        case .entity(let entity): return entity.name
        case .list(let list):
            let items = list.items.prefix(12).map(shown).joined(separator: ", ")
            return list.items.count > 12 ? items + ", …" : items
        case .string(let text): return text.count > 200 ? String(text.prefix(200)) + "…" : text
        default: return value.display
        }
    }
}
