// The formatter's model of a file: lines of tokens, comment lines and blank lines, with
// the indentation and spacing rules that turn them into text.

/// One output line before it is rendered.
enum LayoutLine {
    /// Tokens `first...last` of one line, and the comment that ends it, if any.
    case code(first: Int, last: Int, comment: TrailingComment?)
    /// A comment on a line of its own.
    case comment(SourceComment)
    case blank
}

/// A comment after code, with the column (in Unicode scalars) it was written at.
struct TrailingComment {
    var text: String
    var column: Int
}

/// What a `{` opens; records are written `{a: 1}`, blocks and field blocks `{ a: 1 }`.
enum BraceKind {
    case block, record, fields
}

struct Layout {
    let bytes: SourceBytes
    /// The tokens without the final `endOfFile`.
    let tokens: [Token]
    let options: FormatOptions
    let roles: SyntaxRoles
    var lines: [LayoutLine] = []
    /// For each bracket (and interpolation piece) the index of its partner; -1 otherwise.
    /// A `stringMiddle` is partnered with the piece that closes it.
    private(set) var partner: [Int]
    /// How many interpolations each token is inside.
    private(set) var interpolationDepth: [Int]
    /// How many brackets (and interpolations) are open before each token.
    private(set) var depth: [Int]
    private var recordOpens: Set<Int> = []
    /// Commas between sort keys or selected fields.
    private(set) var clauseCommas: Set<Int> = []
    /// Each query as tokens `first...last`, and the clause words a line may start with,
    /// by the query's first token.
    private(set) var queries: [Int: [(last: Int, breaks: [Int])]] = [:]

    init(source: SourceFile, tokens allTokens: [Token], gaps: [Gap], roles: SyntaxRoles, options: FormatOptions) {
        bytes = source.bytes
        tokens = Array(allTokens.dropLast())  // endOfFile
        self.roles = roles
        self.options = options
        partner = Array(repeating: -1, count: tokens.count)
        interpolationDepth = Array(repeating: 0, count: tokens.count)
        depth = Array(repeating: 0, count: tokens.count)
        matchBrackets()
        findRoles()
        lines = Layout.lines(bytes: bytes, tokens: allTokens, gaps: gaps)
        removeSurplusBlankLines()
    }

    // MARK: - Structure

    static func isOpener(_ kind: TokenKind) -> Bool {
        kind == .leftParen || kind == .leftBracket || kind == .leftBrace
    }

    static func isCloser(_ kind: TokenKind) -> Bool {
        kind == .rightParen || kind == .rightBracket || kind == .rightBrace || kind == .stringMiddle || kind == .stringTail
    }

    /// Tokens after which the next item of a list, record, call or block begins.
    static func endsItem(_ kind: TokenKind) -> Bool {
        kind == .comma || kind == .semicolon
    }

    /// How a token changes the nesting of brackets; interpolated strings nest too: a
    /// `stringHead` opens, a `stringMiddle` closes and opens again, a `stringTail` closes.
    enum Nesting {
        case opens, closes, reopens, none
    }

    static func nesting(_ kind: TokenKind) -> Nesting {
        switch kind {
        case .leftParen, .leftBracket, .leftBrace, .stringHead:
            return .opens
        case .rightParen, .rightBracket, .rightBrace, .stringTail:
            return .closes
        case .stringMiddle:
            return .reopens
        case .identifier, .number, .money, .percent, .date, .duration, .string, .kwLet, .kwFn, .kwReturn, .kwIf,
             .kwElse, .kwFor, .kwIn, .kwWhile, .kwBreak, .kwContinue, .kwTrue, .kwFalse, .kwNil, .kwAnd, .kwOr,
             .kwNot, .comma, .dot, .dotDot, .colon, .semicolon, .arrow, .rightArrow, .twoWayArrow, .plus, .minus,
             .star, .slash, .percentSign, .equal, .equalEqual, .bangEqual, .less, .lessEqual, .greater,
             .greaterEqual, .plusEqual, .minusEqual, .starEqual, .slashEqual, .questionQuestion, .endOfFile, .invalid:
            return .none
        }
    }

    private mutating func matchBrackets() {
        var open: [Int] = []
        var strings = 0
        for index in tokens.indices {
            let kind = tokens[index].kind
            interpolationDepth[index] = strings
            depth[index] = open.count
            switch Layout.nesting(kind) {
            case .opens:
                open.append(index)
                if kind == .stringHead { strings += 1 }
            case .reopens:
                if let opener = open.popLast() { partner[opener] = index; partner[index] = opener }
                open.append(index)
            case .closes:
                if let opener = open.popLast() { partner[opener] = index; partner[index] = opener }
                if kind == .stringTail { strings -= 1 }
            case .none:
                break
            }
        }
    }

    /// Turns the byte offsets of the syntax roles into token indices.
    private mutating func findRoles() {
        // A record's span starts at its `{`, or at the `(` of a parenthesised record.
        for start in roles.recordStarts {
            guard var cursor = index(startingAt: start) else { continue }
            while cursor < tokens.count, tokens[cursor].kind == .leftParen { cursor += 1 }
            if cursor < tokens.count, tokens[cursor].kind == .leftBrace { recordOpens.insert(cursor) }
        }
        for clause in roles.listClauses {
            guard var cursor = index(startingAt: clause.start) else { continue }
            while cursor < tokens.count, tokens[cursor].start < clause.end {
                if tokens[cursor].kind == .comma { clauseCommas.insert(cursor) }
                cursor += 1
            }
        }
        for query in roles.queries {
            guard let first = index(startingAt: query.span.start), let last = index(endingAt: query.span.end) else { continue }
            let breaks = query.breaks.compactMap { index(startingAt: $0) }.filter { $0 > first && depth[$0] == depth[first] }
            if !breaks.isEmpty { queries[first, default: []].append((last, breaks)) }
        }
    }

    /// The token that starts (or ends) at a byte offset, by binary search.
    private func index(startingAt offset: Int32) -> Int? {
        let index = firstIndex { $0.start >= offset }
        return index < tokens.count && tokens[index].start == offset ? index : nil
    }

    private func index(endingAt offset: Int32) -> Int? {
        let index = firstIndex { $0.end >= offset }
        return index < tokens.count && tokens[index].end == offset ? index : nil
    }

    /// The first token for which `isAtOrAfter` holds (tokens are in source order).
    private func firstIndex(_ isAtOrAfter: (Token) -> Bool) -> Int {
        var low = 0, high = tokens.count
        while low < high {
            let mid = (low + high) / 2
            if isAtOrAfter(tokens[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    func braceKind(_ open: Int) -> BraceKind {
        if recordOpens.contains(open) { return .record }
        return roles.blockStarts.contains(tokens[open].start) ? .block : .fields
    }

    // MARK: - Lines from tokens and trivia

    private static func lines(bytes: SourceBytes, tokens: [Token], gaps: [Gap]) -> [LayoutLine] {
        var lines: [LayoutLine] = []
        var first = -1, last = -1
        var comment: TrailingComment?
        func finishLine() {
            if first >= 0 { lines.append(.code(first: first, last: last, comment: comment)) }
            first = -1
            comment = nil
        }
        for (index, token) in tokens.enumerated() {
            let gap = gaps[index]
            if let trailing = gap.trailingComment {
                comment = TrailingComment(text: trailing.text, column: column(of: Int(trailing.offset), in: bytes))
            }
            if index == 0 || gap.hasLineBreak || token.kind == .endOfFile {
                finishLine()
                for own in gap.ownLines { lines.append(own.map { .comment($0) } ?? .blank) }
            }
            if token.kind == .endOfFile { break }
            if first < 0 { first = index }
            last = index
        }
        return lines
    }

    /// The column of a byte offset on its line, in Unicode scalars from 0.
    private static func column(of offset: Int, in bytes: SourceBytes) -> Int {
        var start = offset
        while start > 0, bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
        return Layout.scalarCount(bytes[start..<offset])
    }

    static func scalarCount(_ slice: some Collection<UInt8>) -> Int {
        var count = 0
        for byte in slice where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// At most one blank line in a row, and none at the start or end of the file, right
    /// after a line that ends with an opening bracket, or right before a closing one.
    private mutating func removeSurplusBlankLines() {
        var kept: [LayoutLine] = []
        for line in lines {
            switch line {
            case .blank:
                guard let previous = kept.last else { continue }
                switch previous {
                case .blank: continue
                case .code(_, let last, _) where Layout.isOpener(tokens[last].kind): continue
                case .code, .comment: kept.append(line)
                }
            case .code(let first, _, _):
                if Layout.isCloser(tokens[first].kind), case .blank = kept.last { kept.removeLast() }
                kept.append(line)
            case .comment:
                kept.append(line)
            }
        }
        if case .blank = kept.last { kept.removeLast() }
        lines = kept
    }

    // MARK: - Indentation

    /// The indentation level of every line (comment lines take the level of the code
    /// that follows them; before a closing bracket, the level inside it).
    func indentLevels() -> [Int] {
        var levels = Array(repeating: 0, count: lines.count)
        var open: [Int] = []  // the level of the line each open bracket is on
        for (number, line) in lines.enumerated() {
            guard case .code(let first, let last, _) = line else { continue }
            let level: Int
            if Layout.isCloser(tokens[first].kind) {
                level = open.last ?? 0
            } else {
                level = (open.last.map { $0 + 1 } ?? 0) + (continuesStatement(first) ? 1 : 0)
            }
            levels[number] = level
            for index in first...last {
                switch Layout.nesting(tokens[index].kind) {
                case .opens: open.append(level)
                case .reopens: _ = open.popLast(); open.append(level)
                case .closes: _ = open.popLast()
                case .none: break
                }
            }
        }
        // Comment lines: the level of the next code line, or inside the bracket it closes.
        var next = 0
        for number in lines.indices.reversed() {
            switch lines[number] {
            case .code(let first, _, _):
                next = levels[number] + (Layout.isCloser(tokens[first].kind) ? 1 : 0)
            case .comment, .blank:
                levels[number] = next
            }
        }
        return levels
    }

    /// True when the line starting at this token continues the statement (or list item)
    /// of the line before: it gets one more level of indentation.
    private func continuesStatement(_ index: Int) -> Bool {
        if index == 0 { return false }
        let previous = tokens[index - 1].kind
        if Layout.isOpener(previous) || Layout.endsItem(previous) || previous == .stringHead || previous == .stringMiddle {
            return false
        }
        let token = tokens[index]
        if token.kind == .kwElse || roles.statementStarts.contains(token.start) { return false }
        // A field of a record or declaration: `name: value` on a line of its own.
        if token.kind == .identifier || token.kind == .string, index + 1 < tokens.count, tokens[index + 1].kind == .colon {
            return false
        }
        return true
    }

    // MARK: - Spacing

    /// True when the token ends an operand, so that `(`, `[` and `.` after it call,
    /// index or select a field, and a `-` after it subtracts.
    private func endsOperand(_ index: Int) -> Bool {
        switch tokens[index].kind {
        case .identifier, .number, .money, .percent, .date, .duration, .string, .stringTail,
             .kwTrue, .kwFalse, .kwNil, .rightParen, .rightBracket:
            return true
        case .rightBrace:
            return partner[index] < 0 || braceKind(partner[index]) != .fields
        case .stringHead, .stringMiddle, .kwLet, .kwFn, .kwReturn, .kwIf, .kwElse, .kwFor, .kwIn, .kwWhile,
             .kwBreak, .kwContinue, .kwAnd, .kwOr, .kwNot, .leftParen, .leftBracket, .leftBrace, .comma, .dot,
             .dotDot, .colon, .semicolon, .arrow, .rightArrow, .twoWayArrow, .plus, .minus, .star, .slash,
             .percentSign, .equal, .equalEqual, .bangEqual, .less, .lessEqual, .greater, .greaterEqual,
             .plusEqual, .minusEqual, .starEqual, .slashEqual, .questionQuestion, .endOfFile, .invalid:
            return false
        }
    }

    /// A `-` that negates: at the start of a line (where it always starts a new
    /// statement) or after anything that does not end an operand.
    private func isUnaryMinus(_ index: Int, lineStart: Int) -> Bool {
        tokens[index].kind == .minus && (index == lineStart || !endsOperand(index - 1))
    }

    /// Tokens never followed by a space, and tokens never preceded by one.
    private static let noSpaceAfter: Set<TokenKind> = [.leftParen, .leftBracket, .stringHead, .stringMiddle, .dot, .dotDot]
    private static let noSpaceBefore: Set<TokenKind> = [.rightParen, .rightBracket, .stringMiddle, .stringTail, .comma,
                                                         .semicolon, .colon, .dotDot]

    /// Whether one space separates two neighbouring tokens of a line.
    func spaced(_ left: Int, _ right: Int, lineStart: Int) -> Bool {
        let a = tokens[left].kind, b = tokens[right].kind
        if Layout.noSpaceAfter.contains(a) { return false }
        if a == .leftBrace { return braceKind(left) != .record }  // `{a: 1}`, `{ stmt }`
        if isUnaryMinus(left, lineStart: lineStart) { return b == .minus }  // `-x`, `-(a)`; `- -3`, not `--3`
        if Layout.noSpaceBefore.contains(b) { return false }
        if b == .rightBrace { return partner[right] < 0 || braceKind(partner[right]) != .record }
        if b == .leftParen || b == .leftBracket { return !(endsOperand(left) || a == .kwFn) }  // `f(x)`, `fn(x)`, `xs[0]`
        if b == .dot { return !endsOperand(left) }  // `a.b`, but `x: .champion`
        return true
    }

    // MARK: - Rendering

    /// The text of tokens `first...last` laid out on one line, and each token's column
    /// (in scalars, from the start of that text).
    func lineText(_ first: Int, _ last: Int, lineStart: Int) -> (text: [UInt8], columns: [Int]) {
        var text: [UInt8] = []
        var columns: [Int] = []
        var column = 0
        for index in first...last {
            if index > first, spaced(index - 1, index, lineStart: lineStart) {
                text.append(32)
                column += 1
            }
            columns.append(column)
            let token = tokens[index]
            let slice = bytes[Int(token.start)..<Int(token.end)]
            text.append(contentsOf: slice)
            if slice.contains(10) {
                column = Layout.scalarCount(slice[(slice.lastIndex(of: 10) ?? slice.startIndex) + 1..<slice.endIndex])
            } else {
                column += Layout.scalarCount(slice)
            }
        }
        return (text, columns + [column])
    }

    /// The whole file as text.
    func render() -> String {
        let levels = indentLevels()
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for (number, line) in lines.enumerated() {
            let indent = levels[number] * options.indentWidth
            switch line {
            case .blank:
                break
            case .comment(let comment):
                out.append(contentsOf: repeatElement(32, count: indent))
                out.append(contentsOf: comment.text.utf8)
            case .code(let first, let last, let comment):
                out.append(contentsOf: repeatElement(32, count: indent))
                let (text, columns) = lineText(first, last, lineStart: first)
                out.append(contentsOf: text)
                if let comment {
                    let multiline = text.contains(10)
                    let end = (multiline ? 0 : indent) + (columns.last ?? 0)
                    let column = max(comment.column, end + 2)
                    out.append(contentsOf: repeatElement(32, count: column - end))
                    out.append(contentsOf: comment.text.utf8)
                }
            }
            out.append(10)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
