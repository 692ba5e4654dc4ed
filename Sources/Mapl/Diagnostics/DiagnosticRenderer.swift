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
    public func render(_ diagnostic: Diagnostic) -> String { render([diagnostic]) }

    /// The texts of diagnostics one after another, as `render` gives each (what `mapl
    /// check` prints: tens of thousands of findings on a large plan).
    public func render(_ diagnostics: [Diagnostic]) -> String {
        var out = RenderedText()
        for diagnostic in diagnostics { write(diagnostic, to: &out) }
        return out.text
    }

    private func write(_ diagnostic: Diagnostic, to out: inout RenderedText) {
        let severity = diagnostic.severity
        writeLine(at: diagnostic.span, label: severity.rawValue, labelCode: severity == .error ? "1;31" : severity == .warning ? "1;33" : "1;36",
                  message: diagnostic.message, boldMessage: true, to: &out)
        writeExcerpt(diagnostic.span, to: &out)
        if let hint = diagnostic.hint {
            out.add("  ")
            paint("1;36", to: &out) { $0.add("hint") }
            out.add(": ")
            out.addVisible(hint)
            out.add("\n")
        }
        for note in diagnostic.notes {
            writeLine(at: note.span, label: "note", labelCode: "1;36", message: note.message, boldMessage: false, to: &out)
            writeExcerpt(note.span, to: &out)
        }
    }

    /// `file:line:col: label: message` and a line break (a note's message is not bold).
    private func writeLine(at span: Span, label: String, labelCode: String, message: String, boldMessage: Bool,
                           to out: inout RenderedText) {
        paint("1", to: &out) { $0.add(location(span)) }
        out.add(": ")
        paint(labelCode, to: &out) { $0.add(label) }
        out.add(": ")
        if boldMessage {
            paint("1", to: &out) { $0.addVisible(message) }
        } else {
            out.addVisible(message)
        }
        out.add("\n")
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
            guard firstControl(in: bytes) < bytes.count else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            appendVisible(bytes, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
        return escapedText ?? text
    }

    /// How many bytes the control character `escaped` picks at `index` takes (0: none
    /// there): one below 0x20 but a tab, DEL, or U+0080 to U+009F (C2 80 to C2 9F).
    private static func control(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = bytes[index]
        if byte < 0x20 { return byte == 0x09 ? 0 : 1 }
        if byte == 0x7F { return 1 }
        if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) { return 2 }
        return 0
    }

    /// Where the first control character to escape is (`bytes.count` for none).
    private static func firstControl(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var index = 0
        while index < bytes.count, control(in: bytes, at: index) == 0 { index += 1 }
        return index
    }

    /// Appends UTF-8 `bytes` with their control characters escaped.
    static func appendVisible(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var index = firstControl(in: bytes)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<index]))
        while index < bytes.count {
            let length = control(in: bytes, at: index)
            if length == 0 {
                out.append(bytes[index])
                index += 1
            } else {
                out += visible(Unicode.Scalar(bytes[index + length - 1])).utf8
                index += length
            }
        }
    }

    /// The source line a span starts on, and a caret under the span.
    private func writeExcerpt(_ span: Span, to out: inout RenderedText) {
        guard let file = sources.file(span.file) else { return }
        if let reason = file.missingReason {
            out.add("   ")
            paint("1;34", to: &out) { $0.add("|") }
            out.add(" (line not shown: ")
            out.addVisible(reason)
            out.add(")\n")
            return
        }
        let (line, column) = file.location(of: span.start)
        let (endLine, endColumn) = file.location(of: span.end)
        let lineBytes = file.lineRange(line)
        let lineLength = file.scalarCount(lineBytes)
        // A span running past its first line is underlined to that line's end.
        let lastColumn = endLine == line ? endColumn : lineLength + 1
        let width = max(1, lastColumn - column)
        let gutter = String(line)
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
        out.add(" ")
        paint("1;34", to: &out) { $0.add(gutter) }
        out.add(" ")
        paint("1;34", to: &out) { $0.add("|") }
        out.add(" ")
        // (The text's bytes are valid UTF-8, cut at scalars: read as they are.)
        let (scalarCount, lead) = file.bytes.withUnsafeBufferPointer { all in
            let shown = UnsafeBufferPointer(rebasing: all[shownBytes])
            out.addVisible(shown)
            return (shown.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }, DiagnosticRenderer.lead(shown, scalars: caretColumn - 1))
        }
        out.add("\n")
        let caretWidth = min(width, max(1, scalarCount - caretColumn + 2))
        out.add(" ")
        out.addRun(of: " ", gutter.utf8.count)
        out.add(" ")
        paint("1;34", to: &out) { $0.add("|") }
        out.add(" ")
        out.bytes += lead
        paint("1;31", to: &out) { $0.addRun(of: "^", caretWidth) }
        out.add("\n")
    }

    /// What goes under the first `count` scalars of a line before the caret: a tab for a
    /// tab, and a space per column of how the scalar is shown (an escaped control
    /// character is wider than one column: the caret follows it).
    private static func lead(_ line: UnsafeBufferPointer<UInt8>, scalars count: Int) -> [UInt8] {
        var lead: [UInt8] = []
        lead.reserveCapacity(max(0, count))
        var index = 0, scalars = 0
        while index < line.count, scalars < count {
            var length = 1
            while index + length < line.count, line[index + length] & 0xC0 == 0x80 { length += 1 }
            if line[index] == 9 {
                lead.append(9)
            } else {
                // The control characters `escaped` picks: one byte below 0x20 or DEL, or
                // U+0080 to U+009F (C2 80 to C2 9F).
                var control: UInt8?
                if length == 1, line[index] < 0x20 || line[index] == 0x7F { control = line[index] }
                if length == 2, line[index] == 0xC2, line[index + 1] <= 0x9F { control = line[index + 1] }
                let columns = control.map { visible(Unicode.Scalar($0)).count } ?? 1
                lead.append(contentsOf: repeatElement(32, count: columns))
            }
            index += length
            scalars += 1
        }
        return lead
    }

    /// Writes `text` between the ANSI codes for `code` when colour is on.
    private func paint(_ code: String, to out: inout RenderedText, _ text: (inout RenderedText) -> Void) {
        if useColor {
            out.add("\u{1B}[")
            out.add(code)
            out.add("m")
        }
        text(&out)
        if useColor { out.add("\u{1B}[0m") }
    }

    /// The one-line count after a list of findings: "2 errors, 1 warning"; "" for none.
    public static func count(_ diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        func counted(_ n: Int, _ word: String) -> String? { n == 0 ? nil : "\(n) \(word)\(n == 1 ? "" : "s")" }
        return [counted(errors, "error"), counted(warnings, "warning")].compactMap { $0 }.joined(separator: ", ")
    }
}

/// Text built as UTF-8 bytes: a diagnostic's text is a few dozen pieces, and Strings
/// joined piece by piece cost tens of thousands of instructions a diagnostic.
struct RenderedText {
    var bytes: [UInt8] = []

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func add(_ text: String) { bytes += text.utf8 }

    /// Adds a text with its control characters escaped (`DiagnosticRenderer.visible`).
    mutating func addVisible(_ text: String) {
        var text = text
        text.withUTF8 { addVisible($0) }
    }

    mutating func addVisible(_ utf8: UnsafeBufferPointer<UInt8>) { DiagnosticRenderer.appendVisible(utf8, to: &bytes) }

    /// `count` copies of an ASCII character.
    mutating func addRun(of character: Unicode.Scalar, _ count: Int) {
        bytes.append(contentsOf: repeatElement(UInt8(ascii: character), count: max(0, count)))
    }
}
