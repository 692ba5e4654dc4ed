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
        out += paint(location(diagnostic.span), "1") + ": " + label + ": " + paint(diagnostic.message, "1") + "\n"
        out += excerpt(diagnostic.span)
        if let hint = diagnostic.hint {
            out += "  " + paint("hint", "1;36") + ": " + hint + "\n"
        }
        for note in diagnostic.notes {
            out += paint(location(note.span), "1") + ": " + paint("note", "1;36") + ": " + note.message + "\n"
            out += excerpt(note.span)
        }
        return out
    }

    /// A runtime error with the chain of calls it came through.
    public func render(_ error: RuntimeError) -> String {
        var out = render(error.diagnostic)
        for frame in error.trace {
            out += "  in \(frame.function), called from \(location(frame.callSite))\n"
        }
        return out
    }

    /// `file:line:col` of the start of a span.
    public func location(_ span: Span) -> String {
        guard let file = sources.file(span.file) else { return "<unknown>" }
        let (line, column) = file.location(of: span.start)
        return "\(file.name):\(line):\(column)"
    }

    private func excerpt(_ span: Span) -> String {
        guard let file = sources.file(span.file) else { return "" }
        let (line, column) = file.location(of: span.start)
        let text = file.lineText(line)
        let (endLine, endColumn) = file.location(of: span.end)
        let lineLength = text.unicodeScalars.count
        // A span running past its first line is underlined to that line's end.
        let lastColumn = endLine == line ? endColumn : lineLength + 1
        let width = max(1, lastColumn - column)
        let gutter = String(line)
        let pad = String(repeating: " ", count: gutter.count)
        // Tabs in the source stay tabs under the caret, so it lines up in any terminal.
        let lead = String(text.unicodeScalars.prefix(column - 1).map { $0 == "\t" ? "\t" : " " })
        var out = " \(paint(gutter, "1;34")) \(paint("|", "1;34")) \(text)\n"
        out += " \(pad) \(paint("|", "1;34")) \(lead)\(paint(String(repeating: "^", count: width), "1;31"))\n"
        return out
    }

    private func paint(_ text: String, _ code: String) -> String {
        useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
