// A plan as the editor sees it: its root file checked as `mapl check` checks it (with
// the open documents' unsaved texts), the diagnostics by file, and the plan declared in
// a session that completion, hover and navigation ask. Statements never run.

import Foundation
import Mapl

final class Analysis {
    let root: String
    let session: Session
    let diagnostics: [Mapl.Diagnostic]
    /// Whether the plan was set up (it may have errors in fields): only then do entities
    /// exist to ask.
    let hasPlan: Bool
    private var indexes: [FileID: LineIndex] = [:]

    init(root: String, workspace: Workspace, today: Day) {
        self.root = root
        let session = Session(output: { _ in }, today: today)
        session.unsavedFiles = workspace.unsavedTexts
        session.keepsPlanWithErrors = true
        let source = session.addSource(name: root, text: workspace.text(of: root) ?? "")
        let found = withLargeStack { session.checkAndKeep(source) }
        self.session = session
        diagnostics = found
        // Errors in fields still leave the plan declared; syntax or name errors do not.
        hasPlan = session.machine.plan.count > 0 || !session.declaredGlobals.isEmpty
    }

    /// The path of a source file (a standard-library module's own file for `std/NAME`).
    func path(of file: FileID) -> String? {
        guard let name = session.sources.file(file)?.name, !name.hasPrefix("<") else { return nil }
        if let module = Stdlib.moduleName(ofImport: name) { return Stdlib.path(ofModule: module) }
        return name
    }

    /// The source file a path was read into, if it is part of this plan.
    func file(at path: String) -> SourceFile? {
        let wanted = Session.canonicalPath(path)
        var id: FileID = 0
        while let file = session.sources.file(id) {
            if let own = self.path(of: id), Session.canonicalPath(own) == wanted { return file }
            id += 1
        }
        return nil
    }

    /// Every source file of the plan, with its path.
    var files: [(file: SourceFile, path: String)] {
        var all: [(SourceFile, String)] = []
        var id: FileID = 0
        while let file = session.sources.file(id) {
            if let path = path(of: id) { all.append((file, path)) }
            id += 1
        }
        return all
    }

    func lineIndex(_ file: FileID) -> LineIndex? {
        if let known = indexes[file] { return known }
        guard let source = session.sources.file(file) else { return nil }
        let index = LineIndex(source.text)
        indexes[file] = index
        return index
    }

    func range(_ span: Span) -> Range? {
        lineIndex(span.file).map { $0.range(Int(span.start), Int(span.end)) }
    }

    func location(_ span: Span) -> Location? {
        guard let path = path(of: span.file), let range = range(span) else { return nil }
        return Location(uri: DocumentURI.uri(path), range: range)
    }

    /// The diagnostics of each file, as the protocol has them.
    func published() -> [String: [LSPDiagnostic]] {
        var byPath: [String: [LSPDiagnostic]] = [:]
        for (_, path) in files where !path.hasPrefix(Stdlib.directory ?? "\u{0}") { byPath[path] = [] }
        for diagnostic in diagnostics {
            guard let path = path(of: diagnostic.span.file), let range = range(diagnostic.span) else { continue }
            byPath[path, default: []].append(convert(diagnostic, range))
        }
        return byPath
    }

    private func convert(_ diagnostic: Mapl.Diagnostic, _ range: Range) -> LSPDiagnostic {
        var message = diagnostic.message
        if let hint = diagnostic.hint { message += "\nhint: " + hint }
        let related = diagnostic.notes.compactMap { note in location(note.span).map { LSPDiagnostic.Related(location: $0, message: note.message) } }
        let severity: Int
        switch diagnostic.severity {
        case .error: severity = 1
        case .warning: severity = 2
        case .note: severity = 3
        }
        return LSPDiagnostic(range: range, severity: severity, code: Analysis.code(diagnostic.kind), source: "mapl", message: message,
                             relatedInformation: related.isEmpty ? nil : related, data: Analysis.suggestion(in: diagnostic.hint))
    }

    /// A diagnostic's code: the check or rule that found it, else its kind.
    static func code(_ kind: DiagnosticKind) -> String {
        switch kind {
        case .checkFinding(let check, _, _): return check
        case .ruleViolation(let rule, _): return rule
        default:
            let name = String(describing: kind)
            return String(name.prefix { $0 != "(" })
        }
    }

    /// The word a hint suggests ("did you mean 'supporter'?"), for a quick fix.
    static func suggestion(in hint: String?) -> String? {
        guard let hint, let start = hint.range(of: "did you mean '") else { return nil }
        let rest = hint[start.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<end])
    }
}
