// Diagnostics on very long lines: the excerpt window and the column are found from the
// span's own offset (a one-line file with a problem per token used to render in
// quadratic time). They must say exactly what reading the whole line says.

import Testing
@testable import Mapl

@Suite("long line rendering")
struct LongLineRenderingTests {
    /// Line, column and excerpt as the renderer worked them out before: by reading the
    /// whole line, character by character.
    private func reference(_ text: String, _ start: Int, _ end: Int) -> String {
        let bytes = Array(text.utf8)
        func location(_ offset: Int) -> (Int, Int) {
            var line = 1, column = 1
            for index in 0..<min(offset, bytes.count) {
                if bytes[index] == UInt8(ascii: "\n") { line += 1; column = 1 } else if bytes[index] & 0xC0 != 0x80 { column += 1 }
            }
            return (line, column)
        }
        let (line, column) = location(start)
        let (endLine, endColumn) = location(end)
        // (By scalars: as Characters, "\r\n" is one.)
        var scalars = Array(text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)[line - 1])
        while scalars.last == "\r" { scalars.removeLast() }
        let lastColumn = endLine == line ? endColumn : scalars.count + 1
        let width = max(1, lastColumn - column)
        var caretColumn = column
        if scalars.count > 100 {
            let first = max(0, min(column - 1 - 50, scalars.count - 100))
            scalars = Array(scalars[first..<min(scalars.count, first + 100)])
            caretColumn = column - first
        }
        let caretWidth = min(width, max(1, scalars.count - caretColumn + 2))
        let lead = String(scalars.prefix(caretColumn - 1).map { $0 == "\t" ? "\t" : " " })
        let gutter = String(line)
        return "plan.mapl:\(line):\(column): error: division by zero\n"
            + " \(gutter) | \(String(String.UnicodeScalarView(scalars)))\n"
            + " \(String(repeating: " ", count: gutter.count)) | \(lead)\(String(repeating: "^", count: caretWidth))\n"
    }

    private func checkEverySpan(in text: String, step: Int) {
        let sources = SourceMap()
        let file = sources.add(name: "plan.mapl", text: text)
        let renderer = DiagnosticRenderer(sources: sources)
        let count = text.utf8.count
        for start in stride(from: 0, through: count, by: step) {
            for length in [0, 1, 7, 300] {
                let end = min(count, start + length)
                let rendered = renderer.render(Diagnostic(.divisionByZero, at: Span(file: file.id, start: Int32(start), end: Int32(end))))
                #expect(rendered == reference(text, start, end), "span \(start)..<\(end)")
            }
        }
    }

    @Test func asciiLongLine() {
        checkEverySpan(in: String(repeating: "let x = 1 + 2; ", count: 700) + "\nshort\n", step: 37)
    }

    @Test func multibyteLongLineWithTabsAndCRLF() {
        let piece = "é\tx = \"€😀\" + y;  "
        checkEverySpan(in: "a\r\n" + String(repeating: piece, count: 600) + "\r\n" + String(repeating: "ü", count: 130) + "\nend", step: 29)
    }

    @Test func offsetsInsideACharacterAndPastTheEnd() {
        // Spans normally start a character; one starting inside one, or past the
        // text, still renders as the whole-line reading did.
        let text = String(repeating: "ab€", count: 2000)
        checkEverySpan(in: text, step: 1001)
        checkEverySpan(in: text, step: 1000)
    }

    @Test func manyProblemsOnOneLongLineRenderQuickly() {
        let text = String(repeating: "x € ", count: 50_000)
        let sources = SourceMap()
        let file = sources.add(name: "plan.mapl", text: text)
        let renderer = DiagnosticRenderer(sources: sources)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for start in stride(from: 0, to: text.utf8.count, by: 60) {
                _ = renderer.render(Diagnostic(.divisionByZero, at: Span(file: file.id, start: Int32(start), end: Int32(start + 1))))
            }
        }
        // 5,000 diagnostics on a 300 KB line: reading the line for each took minutes.
        #expect(elapsed < .seconds(20))
    }
}
