// `Session.check(file:)` lets go of a plan's text (and its imports') once they are parsed
// and reads it again from the file for the messages; a file that changed or vanished
// before the messages are rendered is said to have, rather than shown with lines that
// are not the ones the spans point into. A text not read from a file stays in memory.

import Foundation
import Testing
@testable import Mapl

@Suite("checked plan sources")
struct CheckedSourceTests {
    static let plan = """
        stakeholder dana "Dana" { influence: 7, stance: loud }
        import "part.mapl"

        """
    static let part = """
        stakeholder omar "Omar" { influence: 11 }

        """

    /// Writes the plan and its import to a new folder, checks the plan with
    /// `check(file:)`, lets `change` act on the folder, then renders the findings: the
    /// rendering, and whether each text was in memory after the check.
    private func checked(after change: (URL) throws -> Void = { _ in }) throws -> (rendered: String, loaded: [Bool]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-checked-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("plan.mapl").path
        try CheckedSourceTests.plan.write(toFile: path, atomically: true, encoding: .utf8)
        try CheckedSourceTests.part.write(to: folder.appendingPathComponent("part.mapl"), atomically: true, encoding: .utf8)
        let session = Session(output: { _ in })
        guard case .success(let bytes) = SourceBytes.contents(ofFile: path) else {
            Issue.record("cannot read \(path)")
            return ("", [])
        }
        let id = session.addSource(name: path, bytes: bytes, readFrom: path).id
        let diagnostics = withLargeStack { session.check(file: id) }
        let loaded = (0..<FileID(session.sources.count)).map(session.sources.isLoaded)
        try change(folder)
        return (DiagnosticRenderer(sources: session.sources).render(diagnostics), loaded)
    }

    @Test func theTextsAreLetGoAndTheirLinesReadAgain() throws {
        let (rendered, loaded) = try checked()
        #expect(loaded == [false, false])
        #expect(rendered.contains("plan.mapl:1:41: error:"), "\(rendered)")
        #expect(rendered.contains(" 1 | stakeholder dana \"Dana\" { influence: 7, stance: loud }"), "\(rendered)")
        #expect(rendered.contains("part.mapl:1:38: error:"), "\(rendered)")
        #expect(rendered.contains(" 1 | stakeholder omar \"Omar\" { influence: 11 }"), "\(rendered)")
    }

    @Test func aFileChangedBeforeTheMessagesIsNotShownAsIfItWereTheSame() throws {
        let (rendered, _) = try checked(after: { folder in
            try ("# a line added on top\n" + CheckedSourceTests.plan).write(to: folder.appendingPathComponent("plan.mapl"), atomically: true, encoding: .utf8)
        })
        #expect(rendered.contains("plan.mapl: error:"), "\(rendered)")
        #expect(rendered.contains("plan.mapl has changed since it was read)"), "\(rendered)")
        #expect(!rendered.contains("a line added") && !rendered.contains("stance: loud"))
        // The import did not change: its line is shown.
        #expect(rendered.contains(" 1 | stakeholder omar \"Omar\" { influence: 11 }"), "\(rendered)")
    }

    @Test func anImportThatVanishedBeforeTheMessagesIsSaidToHave() throws {
        let (rendered, _) = try checked(after: { folder in
            try FileManager.default.removeItem(at: folder.appendingPathComponent("part.mapl"))
        })
        #expect(rendered.contains("part.mapl can no longer be read"), "\(rendered)")
        #expect(!rendered.contains("Omar"))
        #expect(rendered.contains(" 1 | stakeholder dana \"Dana\" { influence: 7, stance: loud }"), "\(rendered)")
    }

    @Test func aTextNotReadFromAFileIsKept() {
        let session = Session(output: { _ in })
        let id = session.addSource(name: "<stdin>", bytes: SourceBytes(Array("stakeholder a \"A\" { influence: 11 }\n".utf8))).id
        let diagnostics = withLargeStack { session.check(file: id) }
        #expect(session.sources.isLoaded(id))
        let rendered = DiagnosticRenderer(sources: session.sources).render(diagnostics)
        #expect(rendered.contains(" 1 | stakeholder a \"A\" { influence: 11 }"), "\(rendered)")
    }

    @Test func aTextReadAgainUnchangedKeepsItsLines() throws {
        // Many lines, so that the line table kept while the text was away is used past
        // its first sample; a multi-byte title, so that columns count scalars.
        let text = (0..<40).map { "stakeholder p\($0) \"Pé \($0)\" { influence: \($0 == 37 ? 12 : 3) }\n" }.joined()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-lines-\(UUID().uuidString).mapl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let session = Session(output: { _ in })
        guard case .success(let bytes) = SourceBytes.contents(ofFile: path) else { Issue.record("cannot read \(path)"); return }
        let id = session.addSource(name: path, bytes: bytes, readFrom: path).id
        let diagnostics = withLargeStack { session.check(file: id) }
        #expect(!session.sources.isLoaded(id))
        let rendered = DiagnosticRenderer(sources: session.sources).render(diagnostics)
        #expect(rendered.contains(":38:38: error:"), "\(rendered)")
        #expect(rendered.contains("38 | stakeholder p37 \"Pé 37\" { influence: 12 }"), "\(rendered)")
    }
}
