// Unit tests of the diagnostic renderer: location, excerpt, caret, hint, notes, trace.

import Testing
@testable import Mapl

@Suite("diagnostic renderer")
struct RendererTests {
    private func setup(_ text: String) -> (SourceMap, SourceFile) {
        let sources = SourceMap()
        let file = sources.add(name: "plan.mapl", text: text)
        return (sources, file)
    }

    @Test func locationAndCaret() {
        let (sources, file) = setup("let a = 1\nlet total = revnue * 2\n")
        let start = Int32("let a = 1\nlet total = ".utf8.count)
        let diagnostic = Diagnostic(.undefinedName("revnue", suggestion: "revenue"), at: Span(file: file.id, start: start, end: start + 6))
        let text = DiagnosticRenderer(sources: sources).render(diagnostic)
        #expect(text == """
            plan.mapl:2:13: error: undefined name 'revnue'
             2 | let total = revnue * 2
               |             ^^^^^^
              hint: did you mean 'revenue'?

            """)
    }

    @Test func columnsCountCharactersNotBytes() {
        let (sources, file) = setup("let s = \"é\" + 1")
        let start = Int32("let s = \"é\" + ".utf8.count)
        let text = DiagnosticRenderer(sources: sources).render(Diagnostic(.divisionByZero, at: Span(file: file.id, start: start, end: start + 1)))
        #expect(text.hasPrefix("plan.mapl:1:15: error: division by zero\n"))
        #expect(text.contains("\n   |               ^\n"))
    }

    /// Text from a source never drives the terminal: control characters are escaped in
    /// the line, the message and the file name, and the caret still lines up.
    @Test func controlCharactersAreShownEscaped() {
        let sources = SourceMap()
        let file = sources.add(name: "odd\u{7}.mapl", text: "print(\"\u{1B}]0;title\u{7}\" + y)")
        let start = Int32("print(\"\u{1B}]0;title\u{7}\" + ".utf8.count)
        let text = DiagnosticRenderer(sources: sources).render(Diagnostic(.undefinedName("y\u{1B}", suggestion: nil), at: Span(file: file.id, start: start, end: start + 1)))
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(text)")
        #expect(text.hasPrefix("odd\\u{7}.mapl:1:22: error: undefined name 'y\\u{1B}'\n"), "\(text)")
        #expect(text.contains(" 1 | print(\"\\u{1B}]0;title\\u{7}\" + y)\n   |                               ^\n"), "\(text)")
    }

    /// `visible` on a text (it works on bytes) escapes what `visible` on each scalar does:
    /// every C0 control but tab, DEL and U+0080 to U+009F, and nothing else (not U+00A0
    /// to U+00BF, which share C2 as their first byte).
    @Test func visibleTextIsVisibleScalarByScalar() {
        let pieces: [String] = ["a", "\t", "\n", "\u{0}", "\u{1B}", "\u{7F}", "\u{80}", "\u{9F}", "\u{A0}", "\u{BF}",
                                "é", "€", "😀", "\r\n", "\u{200B}", "}", "\\"]
        var generator = SystemRandomNumberGenerator()
        for round in 0..<2000 {
            let text = (0..<(round % 12)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let expected = text.unicodeScalars.map(DiagnosticRenderer.visible).joined()
            #expect(DiagnosticRenderer.visible(text) == expected, "\(text.unicodeScalars.map { $0.value })")
        }
        #expect(DiagnosticRenderer.visible("a\u{85}b\u{0}") == "a\\u{85}b\\u{0}")
    }

    @Test func emptySpanGetsOneCaretAndNoteIsShown() {
        let (sources, file) = setup("let x = 1\nlet x = 2")
        let diagnostic = Diagnostic(.duplicateDeclaration("x"), at: Span(file: file.id, start: 14, end: 15),
                                    notes: [.init(span: Span(file: file.id, start: 4, end: 5), message: "'x' was first declared here")])
        let text = DiagnosticRenderer(sources: sources).render(diagnostic)
        #expect(text.contains("plan.mapl:2:5: error: 'x' is already declared in this scope"))
        #expect(text.contains("plan.mapl:1:5: note: 'x' was first declared here"))
        let zeroWidth = DiagnosticRenderer(sources: sources).render(Diagnostic(.unterminatedString, at: Span(file: file.id, start: 9, end: 9)))
        #expect(zeroWidth.contains("|          ^\n"))
    }

    @Test func colourOnlyWhenAsked() {
        let (sources, file) = setup("x")
        let diagnostic = Diagnostic(.divisionByZero, at: Span(file: file.id, start: 0, end: 1))
        #expect(!DiagnosticRenderer(sources: sources, useColor: false).render(diagnostic).contains("\u{1B}["))
        #expect(DiagnosticRenderer(sources: sources, useColor: true).render(diagnostic).contains("\u{1B}[1;31merror"))
    }

    @Test func traceCollapsesRepeats() {
        let (sources, file) = setup("fn f(n) { return f(n + 1) }\nf(0)")
        var error = RuntimeError(.callDepthExceeded(limit: 3), at: Span(file: file.id, start: 17, end: 25))
        error.trace = Array(repeating: .init(function: "f", callSite: Span(file: file.id, start: 17, end: 25)), count: 3)
            + [.init(function: "f", callSite: Span(file: file.id, start: 28, end: 32))]
        let text = DiagnosticRenderer(sources: sources).render(error)
        #expect(text.contains("  in f, called from plan.mapl:1:18 (3 times)\n  in f, called from plan.mapl:2:1\n"))
    }

    @Test func longLinesAreWindowed() {
        let (sources, file) = setup(String(repeating: "(", count: 5000) + "@")
        let text = DiagnosticRenderer(sources: sources).render(Diagnostic(.unexpectedCharacter("@"), at: Span(file: file.id, start: 5000, end: 5001)))
        #expect(text.split(separator: "\n").allSatisfy { $0.count < 200 })
        #expect(text.contains("@\n"))
    }
}
