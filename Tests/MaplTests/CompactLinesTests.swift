// Shorthand influence and conflict lines are held compactly when a plan is read
// (LineBatch.swift, LineColumns.swift). Over every .mapl file in the repository, that
// must change nothing users see: the same check diagnostics and the same plan, exported
// as JSON, as when every line is read as an ordinary declaration.

import Foundation
import Testing
@testable import Mapl

@Suite("shorthand lines: compact and written out agree")
struct CompactLinesTests {
    /// `mapl check`'s diagnostics, then the plan as JSON (or why it could not be set up).
    static func outcome(of path: String, compact: Bool) -> String {
        withLargeStack {
            let text = (try? FormatCorpus.read(path)) ?? ""
            let fullPath = MaplProcess.root.appendingPathComponent(path).path
            let checking = Session(output: { _ in }, today: Day(year: 2026, month: 11, day: 22) ?? Session.today())
            checking.compactsShorthandLines = compact
            let renderer = DiagnosticRenderer(sources: checking.sources)
            var report = checking.check(checking.addSource(name: fullPath, text: text)).map(renderer.render).joined()
            let declaring = Session(output: { _ in }, today: Day(year: 2026, month: 11, day: 22) ?? Session.today())
            declaring.compactsShorthandLines = compact
            let problems = declaring.declarePlan(declaring.addSource(name: fullPath, text: text))
            if problems.isEmpty, case .text(let json)? = try? declaring.export.render(.json) {
                report += json
            } else {
                report += "no plan: \(problems.count) problems"
            }
            return report
        }
    }

    @Test(arguments: FormatCorpus.files())
    func sameDiagnosticsAndPlan(_ file: CorpusFile) {
        let compact = CompactLinesTests.outcome(of: file.path, compact: true)
        let written = CompactLinesTests.outcome(of: file.path, compact: false)
        #expect(compact == written)
    }

    @Test func theCorpusHasShorthandLines() throws {
        // The comparison above means something only if the corpus uses the shorthand.
        let withLines = try FormatCorpus.files().filter { try FormatCorpus.read($0.path).contains("\ninfluence ") }
        #expect(withLines.count >= 20)
    }
}
