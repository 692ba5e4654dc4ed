// The lexer: UTF-8 bytes in, tokens with byte spans out. Literal values are decoded
// here, once, into a side table; every malformed byte sequence becomes a diagnostic.
// This file holds names, punctuation and strings; LexerNumbers.swift numbers, money,
// percentages, dates and durations. (Members are internal so both files share them.)

/// The lexer's output for one source text.
public struct LexedSource: Sendable {
    public var tokens: [Token]
    public var literals: [Literal]
    public var diagnostics: [Diagnostic]
}

/// Scans one source text. Strings with `{…}` interpolation are split Wren-style: a
/// `stringHead` for each piece before a `{`, the tokens of the expression, and a final
/// `string` for the rest; a stack remembers which `}` resumes which string.
public struct Lexer: Sendable {
    let bytes: SourceBytes
    let file: FileID
    var position = 0
    var tokens: [Token] = []
    var literals: [Literal] = []
    var diagnostics: [Diagnostic] = []
    var sawNewline = true
    var braceDepth = 0
    /// Open interpolations: the brace depth at which each resumes its string, and where
    /// that string's opening quote was (for the "unterminated" report).
    var interpolations: [(depth: Int, quote: Int)] = []
    var reportedUnterminated = false

    public init(source: SourceFile) {
        bytes = source.bytes
        file = source.id
    }

    init(bytes: [UInt8], file: FileID) {
        self.bytes = SourceBytes(bytes)
        self.file = file
    }

    /// Tokenizes the whole source; the last token is always `endOfFile`.
    public static func lex(_ source: SourceFile) -> LexedSource {
        var lexer = Lexer(source: source)
        return lexer.run()
    }

    public mutating func run() -> LexedSource {
        tokens.reserveCapacity(bytes.count / 4 + 1)
        scan(until: .max)
        return LexedSource(tokens: tokens, literals: literals, diagnostics: diagnostics)
    }

    /// Literals handed out by `nextChunk` before the ones now held; token literal indexes
    /// count them too, so they stay valid across chunks.
    var literalsTaken = 0
    var finished = false

    /// Lexes on until at least `count` tokens are ready (or the text ends) and hands them
    /// out with their literals, so a parser can hold a window of tokens, not all of them.
    /// After the `endOfFile` token, returns nothing more.
    mutating func nextChunk(tokens count: Int) -> (tokens: [Token], literals: [Literal]) {
        // (A chunk's array is handed over: the next one starts empty. Room for what the
        // rest of the text can hold, not a whole chunk, when that is less: a token takes
        // a byte or more, but for the end and one for an unclosed string.)
        tokens.reserveCapacity(min(count, max(0, bytes.count - position) + 2) + 1)
        if !finished { scan(until: count) }
        defer {
            literalsTaken += literals.count
            tokens = []
            literals = []
        }
        return (tokens, literals)
    }

    /// Diagnostics found so far (all of them once `endOfFile` was handed out).
    var problems: [Diagnostic] { diagnostics }

    mutating func scan(until count: Int) {
        // A `#!` first line is a comment like any other, so scripts can be executable.
        while tokens.count < count {
            skipTrivia()
            if position >= bytes.count {
                if let open = interpolations.last {
                    reportUnterminated(open.quote)
                    add(.invalid, position, position)
                }
                add(.endOfFile, bytes.count, bytes.count)
                finished = true
                return
            }
            scanToken()
        }
    }

    // MARK: - Helpers

    func peek(_ offset: Int = 0) -> UInt8 {
        let index = position + offset
        return index < bytes.count ? bytes[index] : 0
    }

    mutating func add(_ kind: TokenKind, _ start: Int, _ end: Int, literal: Literal? = nil) {
        var index: Int32 = -1
        if let literal {
            index = Int32(literalsTaken + literals.count)
            literals.append(literal)
        }
        tokens.append(Token(kind: kind, startsLine: sawNewline, start: Int32(start), end: Int32(end), literal: index))
        sawNewline = false
    }

    mutating func report(_ kind: DiagnosticKind, _ start: Int, _ end: Int) {
        diagnostics.append(Diagnostic(kind, at: Span(file: file, start: Int32(start), end: Int32(end))))
    }

    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<min(end, bytes.count)], as: UTF8.self)
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    static func isIdentStart(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || b == 95
    }
    static func isIdentPart(_ b: UInt8) -> Bool { isIdentStart(b) || isDigit(b) }

    mutating func skipTrivia() {
        // (Over the bytes in place: most of a plan's bytes are spaces, names and comments.)
        let (end, newline) = bytes.withUnsafeBufferPointer { buffer -> (Int, Bool) in
            var at = position, newline = false
            while at < buffer.count {
                switch buffer[at] {
                case 32, 9, 13: at += 1
                case 10: at += 1; newline = true
                case 35:  // '#' comment to end of line
                    while at < buffer.count, buffer[at] != 10 { at += 1 }
                default: return (at, newline)
                }
            }
            return (at, newline)
        }
        position = end
        if newline { sawNewline = true }
    }

    // MARK: - Tokens

    mutating func scanToken() {
        let start = position
        let byte = bytes[position]
        if Lexer.isIdentStart(byte) { return scanIdentifier() }
        if Lexer.isDigit(byte) { return scanNumber() }
        position += 1
        func one(_ kind: TokenKind) { add(kind, start, position) }
        func two(_ next: UInt8, _ long: TokenKind, _ short: TokenKind) {
            if peek() == next { position += 1; add(long, start, position) } else { add(short, start, position) }
        }
        switch byte {
        case UInt8(ascii: "("): one(.leftParen)
        case UInt8(ascii: ")"): one(.rightParen)
        case UInt8(ascii: "["): one(.leftBracket)
        case UInt8(ascii: "]"): one(.rightBracket)
        case UInt8(ascii: "{"):
            braceDepth += 1
            one(.leftBrace)
        case UInt8(ascii: "}"):
            if let open = interpolations.last, open.depth == braceDepth {
                interpolations.removeLast()
                scanStringBody(quote: open.quote, from: position)
            } else {
                braceDepth -= 1
                one(.rightBrace)
            }
        case UInt8(ascii: ","): one(.comma)
        case UInt8(ascii: "."): two(UInt8(ascii: "."), .dotDot, .dot)
        case UInt8(ascii: ":"): one(.colon)
        case UInt8(ascii: ";"): one(.semicolon)
        case UInt8(ascii: "+"): two(UInt8(ascii: "="), .plusEqual, .plus)
        case UInt8(ascii: "-"):
            if peek() == UInt8(ascii: ">") { position += 1; one(.rightArrow) }
            else { two(UInt8(ascii: "="), .minusEqual, .minus) }
        case UInt8(ascii: "*"): two(UInt8(ascii: "="), .starEqual, .star)
        case UInt8(ascii: "/"): two(UInt8(ascii: "="), .slashEqual, .slash)
        case UInt8(ascii: "%"): one(.percentSign)
        case UInt8(ascii: "<"):
            if peek() == UInt8(ascii: "-"), peek(1) == UInt8(ascii: ">") { position += 2; one(.twoWayArrow) }
            else { two(UInt8(ascii: "="), .lessEqual, .less) }
        case UInt8(ascii: ">"): two(UInt8(ascii: "="), .greaterEqual, .greater)
        case UInt8(ascii: "="):
            if peek() == UInt8(ascii: "=") { position += 1; one(.equalEqual) }
            else if peek() == UInt8(ascii: ">") { position += 1; one(.arrow) }
            else { one(.equal) }
        case UInt8(ascii: "!"):
            if peek() == UInt8(ascii: "=") { position += 1; one(.bangEqual) }
            else { reportUnexpected(start) }
        case UInt8(ascii: "?"):
            if peek() == UInt8(ascii: "?") { position += 1; one(.questionQuestion) }
            else { reportUnexpected(start) }
        case UInt8(ascii: "\""): scanStringBody(quote: start, from: position)
        case UInt8(ascii: "$"): scanMoney(start, currency: .usd)
        default:
            if let (currency, length) = Currency.symbol(in: bytes, at: start), start + length < bytes.count, Lexer.isDigit(bytes[start + length]) {
                position = start + length
                scanMoney(start, currency: currency)
            } else {
                reportUnexpected(start)
            }
        }
    }

    /// Reports the character at `start`, and the run of characters after it that could
    /// not start a token either, as one error (a line of garbage is one problem, not one
    /// per byte), and skips them.
    mutating func reportUnexpected(_ start: Int) {
        var end = start
        repeat { end = Lexer.characterEnd(bytes, from: end) } while end < bytes.count && !startsToken(at: end)
        position = end
        if let text = String(validating: bytes[start..<end], as: UTF8.self) {
            let scalars = text.unicodeScalars
            let shown = scalars.count > 24 ? String(String.UnicodeScalarView(scalars.prefix(24))) + "…" : text
            report(scalars.count == 1 ? .unexpectedCharacter(shown) : .unexpectedCharacters(shown), start, end)
        } else {
            report(.invalidUTF8, start, end)
        }
        add(.invalid, start, end)
    }

    /// Whether a token, a space or a comment can begin at `offset` (`!` and `?` only as
    /// `!=` and `??`).
    func startsToken(at offset: Int) -> Bool {
        let byte = bytes[offset]
        guard Lexer.canStartToken(byte) else { return Currency.symbol(in: bytes, at: offset) != nil }
        guard byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?") else { return true }
        let wanted = byte == UInt8(ascii: "!") ? UInt8(ascii: "=") : UInt8(ascii: "?")
        return offset + 1 < bytes.count && bytes[offset + 1] == wanted
    }

    /// Where the (possibly multi-byte) character at `start` ends.
    static func characterEnd(_ bytes: SourceBytes, from start: Int) -> Int {
        let lead = bytes[start]
        let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        var end = start + 1
        while end < bytes.count, end < start + length, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return end
    }

    /// Whether a byte may begin a token, a space or a comment: everything but the bytes
    /// `scanToken` reports as unexpected (and the bytes of characters beyond ASCII).
    static func canStartToken(_ byte: UInt8) -> Bool {
        if byte >= 0x80 { return false }
        if isIdentStart(byte) || isDigit(byte) { return true }
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#"),
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
             UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "+"), UInt8(ascii: "-"),
             UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "="),
             UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: "\""), UInt8(ascii: "$"):
            return true
        default:
            return false
        }
    }

    mutating func scanIdentifier() {
        let start = position
        position = bytes.withUnsafeBufferPointer { buffer in
            var at = start
            while at < buffer.count, Lexer.isIdentPart(buffer[at]) { at += 1 }
            return at
        }
        if let currency = currencyCode(start, position) {
            position += 1
            return scanMoney(start, currency: currency)
        }
        add(keyword(start, position) ?? .identifier, start, position)
    }

    /// The currency an identifier names when it is a currency code written before an
    /// amount: three capitals, one space, a digit (`CHF 1,200`, `CAD 250k`).
    func currencyCode(_ start: Int, _ end: Int) -> Currency? {
        guard end - start == 3, end + 1 < bytes.count, bytes[end] == UInt8(ascii: " "), Lexer.isDigit(bytes[end + 1]),
              (start..<end).allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(bytes[$0]) }) else { return nil }
        return Currency(code: text(start, end))
    }

    /// The keyword spelled by these bytes, if any.
    func keyword(_ start: Int, _ end: Int) -> TokenKind? {
        guard end - start >= 2 else { return nil }
        return bytes.withUnsafeBufferPointer { Lexer.keywords.meaning(of: UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    static let keywords = ByteSpellings(TokenKind.keywords.map { ($0.key, $0.value) })

    // MARK: - Strings

    /// Scans string text from `from` up to the closing quote or an interpolation `{`.
    mutating func scanStringBody(quote: Int, from: Int) {
        let resumed = from != quote + 1
        let pieceStart = resumed ? from - 1 : quote
        position = from
        if scanPlainStringPiece(resumed: resumed, pieceStart: pieceStart, quote: quote) { return }
        var value: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "{"):
                position += 1
                let text = decodeChecked(value, pieceStart)
                return endStringPiece(text, opensInterpolation: byte == UInt8(ascii: "{"), resumed: resumed, pieceStart: pieceStart, quote: quote)
            case UInt8(ascii: "\\"):
                scanEscape(into: &value)
            case 10:
                sawNewline = false  // newlines inside strings do not separate statements
                value.append(byte)
                position += 1
            default:
                value.append(byte)
                position += 1
            }
        }
        reportUnterminated(quote)
        add(.invalid, pieceStart, position)
    }

    /// A string piece without escapes (most are), its text taken from the source as it
    /// is; false, having read nothing, for a piece with an escape or no end.
    mutating func scanPlainStringPiece(resumed: Bool, pieceStart: Int, quote: Int) -> Bool {
        let (end, newlines) = bytes.withUnsafeBufferPointer { buffer -> (Int, Bool) in
            var end = position, newlines = false
            while end < buffer.count {
                let byte = buffer[end]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "\\") { break }
                if byte == 10 { newlines = true }
                end += 1
            }
            return (end, newlines)
        }
        guard end < bytes.count, bytes[end] != UInt8(ascii: "\\") else { return false }
        let text = bytes.withUnsafeBufferPointer { String(validating: UnsafeBufferPointer(rebasing: $0[position..<end]), as: UTF8.self) }
        guard let text else { return false }  // (the slow way reports the bad bytes)
        if newlines { sawNewline = false }  // newlines inside strings do not separate statements
        let opensInterpolation = bytes[end] == UInt8(ascii: "{")
        position = end + 1
        endStringPiece(text, opensInterpolation: opensInterpolation, resumed: resumed, pieceStart: pieceStart, quote: quote)
        return true
    }

    /// Adds the token of a string piece read up to its closing quote, or up to the `{` of
    /// an interpolation (which the lexer then remembers to come back from).
    mutating func endStringPiece(_ text: String, opensInterpolation: Bool, resumed: Bool, pieceStart: Int, quote: Int) {
        if opensInterpolation {
            add(resumed ? .stringMiddle : .stringHead, pieceStart, position, literal: .string(text))
            interpolations.append((braceDepth, quote))
        } else {
            add(resumed ? .stringTail : .string, pieceStart, position, literal: .string(text))
        }
    }

    /// Text of a string piece; bytes that are not UTF-8 are reported, not silently replaced.
    mutating func decodeChecked(_ value: [UInt8], _ start: Int) -> String {
        if let text = String(validating: value, as: UTF8.self) { return text }
        report(.invalidUTF8, start, position)
        return String(decoding: value, as: UTF8.self)
    }

    /// One report per source, however many strings are left open inside each other.
    mutating func reportUnterminated(_ quote: Int) {
        guard !reportedUnterminated else { return }
        reportedUnterminated = true
        report(.unterminatedString, quote, quote + 1)
    }

    mutating func scanEscape(into value: inout [UInt8]) {
        let start = position
        position += 1  // the backslash
        guard position < bytes.count else { return }
        let escaped = bytes[position]
        position += 1
        switch escaped {
        case UInt8(ascii: "n"): value.append(10)
        case UInt8(ascii: "t"): value.append(9)
        case UInt8(ascii: "r"): value.append(13)
        case UInt8(ascii: "0"): value.append(0)
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"): value.append(escaped)
        case UInt8(ascii: "u"):
            var digits = ""
            if peek() == UInt8(ascii: "{") {
                position += 1
                while position < bytes.count, bytes[position] != UInt8(ascii: "}"), bytes[position] != UInt8(ascii: "\""), digits.count <= 8 {
                    digits.append(Character(Unicode.Scalar(bytes[position])))
                    position += 1
                }
                if peek() == UInt8(ascii: "}") {
                    position += 1
                    if let code = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(code) {
                        value.append(contentsOf: Array(String(scalar).utf8))
                        return
                    }
                }
            }
            report(.invalidEscape(text(start + 1, position)), start, position)
        default:
            position = start + 1
            reportUnexpectedEscape(start)
        }
    }

    mutating func reportUnexpectedEscape(_ start: Int) {
        // Take the whole scalar after the backslash so the message shows it intact.
        var end = position + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        position = min(end, bytes.count)
        report(.invalidEscape(text(start + 1, position)), start, position)
    }
}
