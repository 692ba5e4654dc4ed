// The text of a plan opened with open_plan is let go once the plan is set up and read
// again from its file when a message needs one of its lines; a file that changed or
// vanished meanwhile is said to have, rather than shown with lines that are not the
// ones its spans point into.

import Foundation
import Testing
@testable import Mapl

@Suite("opened plan sources")
struct OpenedPlanSourceTests {
    static let plan = """
        opportunity deal "Deal" { value: $200k, stage: proposal, probability: 40% }
        criterion broken "Broken" { weight: 1, score: fn(o) => o.value / o.name }

        """

    /// Opens `plan` (written to a new folder) in a session, lets `change` act on the
    /// file, then calls the plan's failing score: the rendered error, and whether the
    /// opened plan's text was in memory before the call.
    private func failure(after change: (URL) throws -> Void) throws -> (rendered: String, loadedBeforeCall: Bool) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-opened-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("plan.mapl")
        try OpenedPlanSourceTests.plan.write(to: file, atomically: true, encoding: .utf8)
        let session = Session(output: { _ in })
        let opened: Bool = withLargeStack {
            let text = "let p = open_plan(\"\(file.path)\")\nlet score = p.criteria[0].score\n"
            guard case .success = session.run(session.addSource(name: "<script>", text: text)) else { return false }
            return true
        }
        #expect(opened)
        // The script is file 0, the opened plan file 1.
        let loaded = session.sources.isLoaded(1)
        // Set up, the opened plan gave up its global names (its code reaches them by slot).
        #expect(session.openedPlans.values.first?.globals.names.isEmpty == true)
        try change(file)
        let outcome = withLargeStack { session.run(session.addSource(name: "<call>", text: "score(p.opportunities[0])\n")) }
        guard case .failed(let error) = outcome else {
            Issue.record("expected a runtime error, got \(outcome)")
            return ("", loaded)
        }
        return (DiagnosticRenderer(sources: session.sources).render(error), loaded)
    }

    @Test func anErrorInAnOpenedPlanShowsItsLineReadAgain() throws {
        let (rendered, loaded) = try failure(after: { _ in })
        #expect(!loaded)
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasSuffix("plan.mapl:2:56: error: cannot divide money and string") == true, "\(rendered)")
        #expect(lines.dropFirst().first == " 2 | criterion broken \"Broken\" { weight: 1, score: fn(o) => o.value / o.name }")
        #expect(lines.dropFirst(2).first == "   |                                                        ^^^^^^^^^^^^^^^^")
    }

    @Test func aChangedFileIsNotShownAsIfItWereTheSame() throws {
        let (rendered, _) = try failure(after: { file in
            try ("# a line added on top\n" + OpenedPlanSourceTests.plan).write(to: file, atomically: true, encoding: .utf8)
        })
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasSuffix("plan.mapl: error: cannot divide money and string") == true, "\(rendered)")
        #expect(lines.dropFirst().first?.hasSuffix("plan.mapl has changed since it was read)") == true, "\(rendered)")
        #expect(!rendered.contains("criterion") && !rendered.contains("a line added"))
    }

    @Test func aFileThatVanishedIsSaidToHave() throws {
        let (rendered, _) = try failure(after: { file in try FileManager.default.removeItem(at: file) })
        #expect(rendered.contains("plan.mapl: error: cannot divide money and string"), "\(rendered)")
        #expect(rendered.contains("can no longer be read"), "\(rendered)")
        #expect(!rendered.contains("criterion"))
    }

    @Test func aReleasedTextIsReadAgainWhole() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-release-\(UUID().uuidString).mapl").path
        let text = "stakeholder a \"Ä\" { influence: 5 }\n\u{FF}bad byte\n"
        // Written as bytes with one that is not UTF-8: read again, it is repaired the same way.
        var bytes = Array(text.utf8)
        bytes[bytes.count - 10] = 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sources = SourceMap()
        guard case .success(let read) = SourceBytes.contents(ofFile: path) else { Issue.record("cannot read \(path)"); return }
        let first = sources.add(name: path, bytes: read, readFrom: path)
        let kept = Array(first.bytes)
        sources.add(name: "<other>", text: "x")
        sources.release(0..<2)
        #expect(!sources.isLoaded(0))
        #expect(sources.isLoaded(1))  // not from a file: kept
        let again = sources.file(0)
        #expect(again.map { Array($0.bytes) } == kept)
        #expect(again?.missingReason == nil)
        #expect(sources.isLoaded(0))
    }
}
