// Draws diagnostics like a modern compiler: `file:line:col: error: message`, the source
// line, a caret under the span, then `hint:` and any notes or call trace.

/// Renders diagnostics against the sources they point into.
public struct DiagnosticRenderer: Sendable {
    public let sources: SourceMap
    /// ANSI colour; the CLI turns it on only for a terminal without `NO_COLOR`.
    public var useColor: Bool

    public init(sources: SourceMap, useColor: Bool = false) {
        self.sources = sources
        self.useColor = useColor
    }

    /// The full text for one diagnostic, ending with a newline.
    public func render(_ diagnostic: Diagnostic) -> String {
        var out = ""
        let label = paint(diagnostic.severity.rawValue, diagnostic.severity == .error ? "1;31" : diagnostic.severity == .warning ? "1;33" : "1;36")
        out += paint(location(diagnostic.span), "1") + ": " + label + ": " + paint(DiagnosticRenderer.visible(diagnostic.message), "1") + "\n"
        out += excerpt(diagnostic.span)
        if let hint = diagnostic.hint {
            out += "  " + paint("hint", "1;36") + ": " + DiagnosticRenderer.visible(hint) + "\n"
        }
        for note in diagnostic.notes {
            out += paint(location(note.span), "1") + ": " + paint("note", "1;36") + ": " + DiagnosticRenderer.visible(note.message) + "\n"
            out += excerpt(note.span)
        }
        return out
    }

    /// A runtime error with the chain of calls it came through.
    public func render(_ error: RuntimeError) -> String {
        let out = render(error.diagnostic)
        // Runs of the same call (deep recursion) print once with a count, and a long
        // trace keeps its innermost and outermost calls.
        var lines: [String] = []
        var index = 0
        while index < error.trace.count {
            let frame = error.trace[index]
            var run = 1
            while index + run < error.trace.count, error.trace[index + run].function == frame.function,
                  error.trace[index + run].callSite == frame.callSite { run += 1 }
            let repeated = run > 1 ? " (\(run) times)" : ""
            lines.append("  in \(frame.function), called from \(location(frame.callSite))\(repeated)\n")
            index += run
        }
        if lines.count > 20 {
            lines = Array(lines.prefix(10)) + ["  … \(lines.count - 15) more calls …\n"] + Array(lines.suffix(5))
        }
        return out + lines.joined()
    }

    /// `file:line:col` of the start of a span.
    public func location(_ span: Span) -> String {
        guard let file = sources.file(span.file) else { return "<unknown>" }
        // (A text that is missing has no lines to count: the file name alone.)
        if file.missingReason != nil { return DiagnosticRenderer.visible(file.name) }
        let (line, column) = file.location(of: span.start)
        return "\(DiagnosticRenderer.visible(file.name)):\(line):\(column)"
    }

    /// A control character as an escape (`\u{1B}`), so that text from a source or a file
    /// name can never drive the terminal (ESC sequences, bells, carriage returns); a tab
    /// stays a tab.
    static func visible(_ scalar: Unicode.Scalar) -> String {
        guard escaped(scalar) else { return String(scalar) }
        return "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }

    /// Whether `visible` shows a scalar as an escape: a control character other than tab.
    static func escaped(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return scalar != "\t" && (value < 0x20 || (0x7F...0x9F).contains(value))
    }

    /// A text with its control characters escaped (see `visible(_:)` for one). Every
    /// message and source line goes through here, so it works on the UTF-8 bytes: a text
    /// with nothing to escape costs one pass and no allocation.
    public static func visible(_ text: String) -> String {
        var text = text
        let escapedText: String? = text.withUTF8 { bytes in
            // The bytes of the control character `escaped` picks at `index` (0: none):
            // one below 0x20 but a tab, DEL, or U+0080 to U+009F (C2 80 to C2 9F).
            func control(at index: Int) -> Int {
                let byte = bytes[index]
                if byte < 0x20 { return byte == 0x09 ? 0 : 1 }
                if byte == 0x7F { return 1 }
                if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) { return 2 }
                return 0
            }
            var index = 0
            while index < bytes.count, control(at: index) == 0 { index += 1 }
            guard index < bytes.count else { return nil }
            var out = Array(bytes[..<index])
            out.reserveCapacity(bytes.count + 16)
            while index < bytes.count {
                let length = control(at: index)
                if length == 0 {
                    out.append(bytes[index])
                    index += 1
                } else {
                    out += visible(Unicode.Scalar(bytes[index + length - 1])).utf8
                    index += length
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return escapedText ?? text
    }

    /// `count` copies of an ASCII character (`String(repeating:count:)` of a String takes
    /// thousands of instructions; a check may print hundreds of carets).
    static func run(of character: Unicode.Scalar, _ count: Int) -> String {
        let count = max(0, count)
        return String(unsafeUninitializedCapacity: count) { buffer in
            buffer.initialize(repeating: UInt8(ascii: character))
            return count
        }
    }

    private func excerpt(_ span: Span) -> String {
        guard let file = sources.file(span.file) else { return "" }
        if let reason = file.missingReason {
            return "   \(paint("|", "1;34")) (line not shown: \(DiagnosticRenderer.visible(reason)))\n"
        }
        let (line, column) = file.location(of: span.start)
        let (endLine, endColumn) = file.location(of: span.end)
        let lineBytes = file.lineRange(line)
        let lineLength = file.scalarCount(lineBytes)
        // A span running past its first line is underlined to that line's end.
        let lastColumn = endLine == line ? endColumn : lineLength + 1
        let width = max(1, lastColumn - column)
        let gutter = String(line)
        let pad = DiagnosticRenderer.run(of: " ", gutter.count)
        // Tabs in the source stay tabs under the caret, so it lines up in any terminal.
        var shownBytes = lineBytes
        var caretColumn = column
        // A very long line is cut to a window around the caret, found from the caret's
        // own offset rather than by reading the line (a one-line file of 100,000
        // problems would take quadratic time).
        let window = 100
        if lineLength > window {
            let start = max(0, min(column - 1 - window / 2, lineLength - window))
            let caretScalar = min(column - 1, lineLength)
            var caretOffset = min(max(Int(span.start), lineBytes.lowerBound), lineBytes.upperBound)
            while caretOffset < lineBytes.upperBound, file.bytes[caretOffset] & 0xC0 == 0x80 { caretOffset += 1 }
            let first = file.offset(caretOffset, movedBy: start - caretScalar, within: lineBytes)
            shownBytes = first..<file.offset(first, movedBy: window, within: lineBytes)
            caretColumn = column - start
        }
        let text = String(decoding: file.bytes[shownBytes], as: UTF8.self)
        let shown = DiagnosticRenderer.visible(text)
        let scalarCount = text.unicodeScalars.count
        let caretWidth = min(width, max(1, scalarCount - caretColumn + 2))
        // (An escaped control character is wider than one column: the caret follows it.
        // Built as bytes: a String grown a character at a time costs a hundred times more.)
        var leadBytes: [UInt8] = []
        leadBytes.reserveCapacity(max(0, caretColumn - 1))
        for scalar in text.unicodeScalars.prefix(caretColumn - 1) {
            if scalar == "\t" {
                leadBytes.append(9)
            } else {
                let width = DiagnosticRenderer.escaped(scalar) ? DiagnosticRenderer.visible(scalar).count : 1
                leadBytes.append(contentsOf: repeatElement(32, count: width))
            }
        }
        let lead = String(decoding: leadBytes, as: UTF8.self)
        var out = " \(paint(gutter, "1;34")) \(paint("|", "1;34")) \(shown)\n"
        out += " \(pad) \(paint("|", "1;34")) \(lead)\(paint(DiagnosticRenderer.run(of: "^", caretWidth), "1;31"))\n"
        return out
    }

    private func paint(_ text: String, _ code: String) -> String {
        useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// The one-line count after a list of findings: "2 errors, 1 warning"; "" for none.
    public static func count(_ diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        func counted(_ n: Int, _ word: String) -> String? { n == 0 ? nil : "\(n) \(word)\(n == 1 ? "" : "s")" }
        return [counted(errors, "error"), counted(warnings, "warning")].compactMap { $0 }.joined(separator: ", ")
    }
}
