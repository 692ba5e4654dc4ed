// Trivia: the comments and line breaks between tokens, which the lexer skips. They are
// recovered from the gaps between token spans, so the lexer itself needs no change.

/// One comment as written, from its `#` to the end of its line.
public struct SourceComment: Sendable, Equatable {
    /// The text from `#` on, without trailing spaces, tabs or a carriage return.
    public var text: String
    /// Byte offset of the `#`.
    public var offset: Int32
    /// True when code precedes it on the same line (a trailing comment).
    public var trailing: Bool
}

/// What lies in the gap before one token (or before the end of input).
struct Gap {
    /// A comment on the same line as the previous token.
    var trailingComment: SourceComment?
    /// The lines between the previous token's line and the next token's line, in order:
    /// each is a comment on a line of its own, or nil for a blank line.
    var ownLines: [SourceComment?] = []
    /// True when at least one line break separates the previous token from the next.
    var hasLineBreak = false
}

/// Reads the trivia of a source text out of the gaps between its tokens. In a lexed
/// source every byte outside a token span is whitespace or part of a comment, so each
/// gap is split at line breaks and each piece is blank, a comment, or spaces.
enum Trivia {
    /// The gap before each token (index i is the gap before `tokens[i]`; the gap before
    /// `endOfFile` holds what follows the last token).
    static func gaps(bytes: SourceBytes, tokens: [Token]) -> [Gap] {
        var gaps: [Gap] = []
        gaps.reserveCapacity(tokens.count)
        var previousEnd = 0
        for (index, token) in tokens.enumerated() {
            let start = Int(token.start)
            gaps.append(gap(bytes: bytes, from: previousEnd, to: max(previousEnd, start), atStart: index == 0))
            previousEnd = max(previousEnd, Int(token.end))
        }
        return gaps
    }

    /// Every comment of a source text, in order (for tests and tools that must keep them).
    static func comments(in source: SourceFile) -> [SourceComment] {
        comments(in: gaps(bytes: source.bytes, tokens: Lexer.lex(source).tokens))
    }

    static func comments(in gaps: [Gap]) -> [SourceComment] {
        var comments: [SourceComment] = []
        for gap in gaps {
            if let trailing = gap.trailingComment { comments.append(trailing) }
            for case let own? in gap.ownLines { comments.append(own) }
        }
        return comments
    }

    private static func gap(bytes: SourceBytes, from start: Int, to end: Int, atStart: Bool) -> Gap {
        var result = Gap()
        var lineStart = start
        var pieces: [(start: Int, end: Int)] = []
        var position = start
        while position < end {
            if bytes[position] == UInt8(ascii: "\n") {
                pieces.append((lineStart, position))
                lineStart = position + 1
            }
            position += 1
        }
        pieces.append((lineStart, end))
        result.hasLineBreak = pieces.count > 1
        for (number, piece) in pieces.enumerated() {
            let comment = self.comment(bytes: bytes, piece.start, piece.end)
            if number == 0 && !atStart {
                // The rest of the previous token's line: only a trailing comment fits here.
                result.trailingComment = comment.map { SourceComment(text: $0.text, offset: $0.offset, trailing: true) }
            } else if number == pieces.count - 1 && (number > 0 || atStart) && comment == nil {
                // The start of the next token's line: indentation only.
                continue
            } else {
                result.ownLines.append(comment)
            }
        }
        return result
    }

    /// The comment in bytes[start..<end], if the piece holds one.
    private static func comment(bytes: SourceBytes, _ start: Int, _ end: Int) -> SourceComment? {
        guard let hash = bytes[start..<end].firstIndex(of: UInt8(ascii: "#")) else { return nil }
        var last = end
        while last > hash, [32, 9, 13].contains(bytes[last - 1]) { last -= 1 }
        return SourceComment(text: String(decoding: bytes[hash..<last], as: UTF8.self), offset: Int32(hash), trailing: false)
    }
}
