// When is typed text a whole input? Decided by the parser's own "found end of input"
// errors (an open block, bracket, string or operator), never by counting characters.

import Mapl

/// Decides whether typed text is an unfinished block, bracket or string.
public enum InputCompleteness {
    /// True when the parser stopped because the text ended too early: more lines
    /// would finish it, so the REPL shows a continuation prompt instead of an error.
    public static func isIncomplete(_ text: String) -> Bool {
        let source = SourceFile(id: 0, name: "<input>", text: text)
        let (_, diagnostics) = Parser.parse(source)
        let end = Int32(source.bytes.count)
        return diagnostics.contains { diagnostic in
            switch diagnostic.kind {
            case .unterminatedString: return true
            case .expected(_, let found), .expectedExpression(let found):
                return found == "end of input" && diagnostic.span.start >= end
            default: return false
            }
        }
    }
}

/// Gathers typed lines into whole inputs: a line starting with `:` is a meta command
/// on its own; other lines collect until the text is complete.
public struct InputAssembler {
    /// The lines of an unfinished input so far, each with its line break.
    public private(set) var pending = ""
    private var blankLines = 0
    /// On a terminal, two empty lines in a row submit an unfinished input as it is,
    /// so a stray `(` shows its error instead of trapping the user in `...` prompts.
    public var blankLinesSubmit: Bool

    public init(blankLinesSubmit: Bool = false) {
        self.blankLinesSubmit = blankLinesSubmit
    }

    /// True while an unfinished input waits for more lines.
    public var isContinuing: Bool { !pending.isEmpty }

    /// Adds one line (without its line break); returns a whole input when there is one.
    public mutating func add(_ line: String) -> String? {
        let blank = line.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" }
        if pending.isEmpty {
            if blank { return nil }
            if line.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix(":") { return line }
        }
        pending += line + "\n"
        blankLines = blank ? blankLines + 1 : 0
        if InputCompleteness.isIncomplete(pending) && !(blankLinesSubmit && blankLines >= 2) { return nil }
        return take()
    }

    /// Whatever is pending, e.g. at end of input; nil when nothing is. The last line
    /// break is left off, so "found end of input" points after the last thing typed.
    public mutating func finish() -> String? {
        if pending.allSatisfy(\.isWhitespace) {
            clear()
            return nil
        }
        var input = take()
        while input.last == "\n" { input.removeLast() }
        return input
    }

    /// Forgets the unfinished input (Ctrl-C).
    public mutating func clear() {
        pending = ""
        blankLines = 0
    }

    private mutating func take() -> String {
        let input = pending
        clear()
        return input
    }
}
