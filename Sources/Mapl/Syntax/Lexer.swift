// The lexer: UTF-8 bytes in, tokens with byte spans out. Literal values are decoded
// here, once, into a side table; every malformed byte sequence becomes a diagnostic.
// This file holds the token loop, names and punctuation; LexerStrings.swift strings,
// LexerNumbers.swift numbers, money, percentages, dates and durations. (Members are
// internal so the files share them.)
//
// The scanning functions read the text through one `UnsafeBufferPointer` lent by
// `scanChunk` for the length of a scan: subscripts of it are unchecked in release
// builds, so every read is guarded by a comparison with `count` (or goes through `at`).
// Each returns the token it read; `scanChunk` alone stores tokens.

/// The lexer's output for one source text.
public struct LexedSource: Sendable {
    public var tokens: [Token]
    public var literals: [Literal]
    public var diagnostics: [Diagnostic]
    /// The names the tokens' `name`s number.
    var names: NameInterner
}

/// Scans one source text. Strings with `{…}` interpolation are split Wren-style: a
/// `stringHead` for each piece before a `{`, the tokens of the expression, and a final
/// `string` for the rest; a stack remembers which `}` resumes which string.
public struct Lexer: Sendable {
    /// The source text, read in place during a scan.
    typealias Bytes = UnsafeBufferPointer<UInt8>

    let bytes: SourceBytes
    let file: FileID
    var position = 0
    var literals: [Literal] = []
    var diagnostics: [Diagnostic] = []
    /// Whether a line break came after the last token (`startsLine` of the next).
    var sawNewline = true
    var braceDepth = 0
    /// Open interpolations: the brace depth at which each resumes its string, and where
    /// that string's opening quote was (for the "unterminated" report).
    var interpolations: [(depth: Int, quote: Int)] = []
    var reportedUnterminated = false
    /// The number, counted from the first literal of the text, of `literals[0]`: token
    /// literal indexes count the literals handed out in earlier chunks too.
    var literalBase = 0
    /// How many literals have been handed out by `nextChunk`.
    var literalsTaken = 0
    var finished = false
    /// Every name read so far, numbered (the keywords first: see `FixedNames`).
    var names = FixedNames.shared.interner
    /// The keywords' token kinds, by number (a copy here, so that a lookup does not check
    /// that a global is set up; the same for the hash's start).
    let keywords = FixedNames.shared.keywords
    let hashStart = SeededHash.start

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
        var tokens = scanChunk(65_536, after: [])
        while !finished { tokens += scanChunk(65_536, after: []) }
        return LexedSource(tokens: tokens, literals: literals, diagnostics: diagnostics, names: names)
    }

    /// Drops the first `drop` tokens of `window` and lexes on until `count` more tokens (or
    /// the rest of the text, up to `endOfFile`) are appended to it, and their literals to
    /// `windowLiterals`, so a parser can hold a window of tokens, not all of them. `windowLiterals` must end with the last
    /// literal handed out (or be empty): indexes go on from there. Names are numbered in
    /// `windowNames`, which must be the table of the chunks before (or the fixed names).
    /// After the `endOfFile` token, appends nothing more.
    @inline(never)  // (once a chunk: kept whole, a profile shows the lexer's cost in one place)
    mutating func nextChunk(tokens count: Int, into window: inout [Token], droppingFirst drop: Int,
                            literals windowLiterals: inout [Literal], names windowNames: inout NameInterner) {
        guard !finished else { return window.removeFirst(drop) }
        // (The parser's literals and names are added to in place: swapped in and back out.)
        swap(&literals, &windowLiterals)
        swap(&names, &windowNames)
        literalBase = literalsTaken - literals.count
        window = scanChunk(count, after: window[drop...])
        literalsTaken = literalBase + literals.count
        swap(&literals, &windowLiterals)
        swap(&names, &windowNames)
    }

    /// `kept`, then the next `count` tokens, or the rest of the text up to and with
    /// `endOfFile` (then `finished` is set); their literals are appended to `literals`.
    mutating func scanChunk(_ count: Int, after kept: ArraySlice<Token>) -> [Token] {
        // (Tokens go straight into the array's storage: an `append` per token would check
        // each time that the array is not shared. Each turn of the loop stores one token,
        // the last at most two; every token but those two takes a byte or more, so the
        // rest of the text holds at most its byte count plus two.)
        let limit = kept.count + min(count, bytes.count - position + 1)
        return bytes.withUnsafeBufferPointer { text in
            [Token](unsafeUninitializedCapacity: limit + 1) { chunk, stored in
                stored = chunk.initialize(fromContentsOf: kept)
                // A `#!` first line is a comment like any other, so scripts can be executable.
                while stored < limit {
                    skipTrivia(text)
                    if position >= text.count {
                        if let open = interpolations.last {
                            reportUnterminated(open.quote)
                            chunk.initializeElement(at: stored, to: startingLine(Token(.invalid, position, position)))
                            stored += 1
                        }
                        chunk.initializeElement(at: stored, to: startingLine(Token(.endOfFile, text.count, text.count)))
                        stored += 1
                        finished = true
                        return
                    }
                    chunk.initializeElement(at: stored, to: startingLine(nextToken(text)))
                    stored += 1
                }
            }
        }
    }

    /// Diagnostics found so far (all of them once `endOfFile` was handed out).
    var problems: [Diagnostic] { diagnostics }

    // MARK: - Helpers

    /// The byte at `index`, or 0 past the end.
    @inline(__always)
    static func at(_ text: Bytes, _ index: Int) -> UInt8 { index < text.count ? text[index] : 0 }

    /// `token`, marked as starting a line when a line break came before it.
    @inline(__always)
    mutating func startingLine(_ token: Token) -> Token {
        var token = token
        token.startsLine = sawNewline
        sawNewline = false
        return token
    }

    /// A literal token from start to end, its value added to the literal table.
    @inline(__always)
    mutating func token(_ kind: TokenKind, _ start: Int, _ end: Int, literal: Literal) -> Token {
        let index = Int32(literalBase + literals.count)
        literals.append(literal)
        return Token(kind, start, end, index: index)
    }

    mutating func report(_ kind: DiagnosticKind, _ start: Int, _ end: Int) {
        diagnostics.append(Diagnostic(kind, at: Span(file: file, start: Int32(start), end: Int32(end))))
    }

    /// The source text from `start` to `end` (for messages).
    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<min(end, bytes.count)], as: UTF8.self)
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }
    @inline(__always)
    static func isIdentStart(_ b: UInt8) -> Bool { byteClass(b) & nameStart != 0 }
    @inline(__always)
    static func isIdentPart(_ b: UInt8) -> Bool { byteClass(b) & namePart != 0 }

    // What each byte value is to the lexer, looked up in a table, because a test per
    // byte of a name or a string must cost few instructions: a test of several ranges
    // costs more, and its order is the compiler's to choose. Each class is a bit set:
    static let namePart: UInt8 = 1  // letters, digits and `_`
    static let nameStart: UInt8 = 2  // letters and `_`
    static let stringStop: UInt8 = 4  // `"`, `{`, `\\` and line feed, in a string piece

    /// The classes of a byte.
    @inline(__always)
    static func byteClass(_ byte: UInt8) -> UInt8 {
        byteClasses.withUTF8Buffer { table in Int(byte) < table.count ? table[Int(byte)] & 0x1F : 0 }
    }

    /// Per byte value, the character `@` (0x40) plus its classes: `A` a digit, `C` a
    /// letter or `_`, `D` a string stop. Row n holds bytes 16n to 16n + 15.
    static let byteClasses: StaticString = """
        @@@@@@@@@@D@@@@@\
        @@@@@@@@@@@@@@@@\
        @@D@@@@@@@@@@@@@\
        AAAAAAAAAA@@@@@@\
        @CCCCCCCCCCCCCCC\
        CCCCCCCCCCC@D@@C\
        @CCCCCCCCCCCCCCC\
        CCCCCCCCCCCD@@@@\
        @@@@@@@@@@@@@@@@\
        @@@@@@@@@@@@@@@@\
        @@@@@@@@@@@@@@@@\
        @@@@@@@@@@@@@@@@\
        @@@@@@@@@@@@@@@@\
        @@@@@@@@@@@@@@@@\
        @@@@@@@@@@@@@@@@\
        @@@@@@@@@@@@@@@@
        """

    mutating func skipTrivia(_ text: Bytes) {
        var at = position
        while at < text.count {
            switch text[at] {
            case 32, 9, 13: at += 1
            case 10: at += 1; sawNewline = true
            case 35:  // '#' comment to end of line
                while at < text.count, text[at] != 10 { at += 1 }
            default: position = at; return
            }
        }
        position = at
    }

    // MARK: - Tokens

    /// The token at `position` (which is not a space or a comment), moving past it. Names
    /// and punctuation, most of a text's tokens, are read here; the rest in `scanOther`.
    @inline(__always)
    mutating func nextToken(_ text: Bytes) -> Token {
        let start = position
        let byte = text[start]
        if Lexer.isIdentStart(byte) { return scanIdentifier(text) }
        if let (kind, length) = Lexer.punctuation(byte, Lexer.at(text, start + 1), Lexer.at(text, start + 2)) {
            position = start + length
            return Token(kind, start, position)
        }
        return scanOther(text)
    }

    /// The operator or punctuation mark that starts with `byte` (followed by `next` and
    /// `after`), and its length; nil for bytes that start something else (a brace, a
    /// string, a number, money) or nothing (a lone `!` or `?`).
    @inline(__always)
    static func punctuation(_ byte: UInt8, _ next: UInt8, _ after: UInt8) -> (TokenKind, Int)? {
        let equal = next == UInt8(ascii: "=")
        switch byte {
        case UInt8(ascii: "("): return (.leftParen, 1)
        case UInt8(ascii: ")"): return (.rightParen, 1)
        case UInt8(ascii: "["): return (.leftBracket, 1)
        case UInt8(ascii: "]"): return (.rightBracket, 1)
        case UInt8(ascii: ","): return (.comma, 1)
        case UInt8(ascii: "."): return next == UInt8(ascii: ".") ? (.dotDot, 2) : (.dot, 1)
        case UInt8(ascii: ":"): return (.colon, 1)
        case UInt8(ascii: ";"): return (.semicolon, 1)
        case UInt8(ascii: "+"): return equal ? (.plusEqual, 2) : (.plus, 1)
        case UInt8(ascii: "-"): return next == UInt8(ascii: ">") ? (.rightArrow, 2) : equal ? (.minusEqual, 2) : (.minus, 1)
        case UInt8(ascii: "*"): return equal ? (.starEqual, 2) : (.star, 1)
        case UInt8(ascii: "/"): return equal ? (.slashEqual, 2) : (.slash, 1)
        case UInt8(ascii: "%"): return (.percentSign, 1)
        case UInt8(ascii: "<"):
            if next == UInt8(ascii: "-"), after == UInt8(ascii: ">") { return (.twoWayArrow, 3) }
            return equal ? (.lessEqual, 2) : (.less, 1)
        case UInt8(ascii: ">"): return equal ? (.greaterEqual, 2) : (.greater, 1)
        case UInt8(ascii: "="): return equal ? (.equalEqual, 2) : next == UInt8(ascii: ">") ? (.arrow, 2) : (.equal, 1)
        case UInt8(ascii: "!"): return equal ? (.bangEqual, 2) : nil
        case UInt8(ascii: "?"): return next == UInt8(ascii: "?") ? (.questionQuestion, 2) : nil
        default: return nil
        }
    }

    /// A token that is not a name or punctuation: a number, a brace, a string, money, or
    /// characters no token starts with.
    @inline(never)  // (rarer tokens: kept out of the token loop, which stays small)
    mutating func scanOther(_ text: Bytes) -> Token {
        let start = position
        switch text[start] {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return scanNumber(text)
        case UInt8(ascii: "{"):
            braceDepth += 1
            position = start + 1
            return Token(.leftBrace, start, position)
        case UInt8(ascii: "}"):
            if let open = interpolations.last, open.depth == braceDepth {
                interpolations.removeLast()
                return scanStringBody(text, quote: open.quote, from: start + 1)
            }
            braceDepth -= 1
            position = start + 1
            return Token(.rightBrace, start, position)
        case UInt8(ascii: "\""):
            return scanStringBody(text, quote: start, from: start + 1)
        case UInt8(ascii: "$"):
            position = start + 1
            return scanMoney(text, start, currency: .usd)
        default:
            // A currency symbol before an amount (`€1.2M`), or garbage.
            if let (currency, length) = Currency.symbol(in: bytes, at: start), Lexer.isDigit(Lexer.at(text, start + length)) {
                position = start + length
                return scanMoney(text, start, currency: currency)
            }
            return reportUnexpected(text, start)
        }
    }

    /// Reports the character at `start`, and the run of characters after it that could
    /// not start a token either, as one error (a line of garbage is one problem, not one
    /// per byte), and skips them.
    mutating func reportUnexpected(_ text: Bytes, _ start: Int) -> Token {
        var end = start
        repeat { end = Lexer.characterEnd(text, from: end) } while end < text.count && !startsToken(text, at: end)
        position = end
        if let shownText = String(validating: UnsafeBufferPointer(rebasing: text[start..<end]), as: UTF8.self) {
            let scalars = shownText.unicodeScalars
            let shown = scalars.count > 24 ? String(String.UnicodeScalarView(scalars.prefix(24))) + "…" : shownText
            report(scalars.count == 1 ? .unexpectedCharacter(shown) : .unexpectedCharacters(shown), start, end)
        } else {
            report(.invalidUTF8, start, end)
        }
        return Token(.invalid, start, end)
    }

    /// Whether a token, a space or a comment can begin at `offset` (`!` and `?` only as
    /// `!=` and `??`).
    func startsToken(_ text: Bytes, at offset: Int) -> Bool {
        let byte = text[offset]
        guard Lexer.canStartToken(byte) else { return Currency.symbol(in: bytes, at: offset) != nil }
        guard byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?") else { return true }
        let wanted = byte == UInt8(ascii: "!") ? UInt8(ascii: "=") : UInt8(ascii: "?")
        return Lexer.at(text, offset + 1) == wanted
    }

    /// Where the (possibly multi-byte) character at `start` ends.
    static func characterEnd(_ text: Bytes, from start: Int) -> Int {
        let lead = text[start]
        let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        var end = start + 1
        while end < text.count, end < start + length, text[end] & 0xC0 == 0x80 { end += 1 }
        return end
    }

    /// Whether a byte may begin a token, a space or a comment: everything but the bytes
    /// `nextToken` reports as unexpected (and the bytes of characters beyond ASCII).
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

    // MARK: - Names

    /// A name or a keyword (or a currency code before an amount), numbered among `names`:
    /// the name is hashed as it is read, so that its bytes are read once.
    @inline(__always)
    mutating func scanIdentifier(_ text: Bytes) -> Token {
        let start = position
        var hash = SeededHash.adding(text[start], to: hashStart)
        var end = start + 1
        while end < text.count {
            let byte = text[end]
            guard Lexer.isIdentPart(byte) else { break }
            hash = SeededHash.adding(byte, to: hash)
            end += 1
        }
        position = end
        if end - start == 3, let currency = Lexer.currencyCode(text, start) {
            position = end + 1
            return scanMoney(text, start, currency: currency)
        }
        let name = names.symbol(Bytes(rebasing: text[start..<end]), hash: SeededHash.finished(hash))
        if name < keywords.count { return Token(keywords[Int(name)], start, end) }
        return Token(.identifier, start, end, index: name)
    }

    /// The currency a three-letter name at `start` names when it is a currency code
    /// written before an amount: three capitals, one space, a digit (`CHF 1,200`, `CAD 250k`).
    static func currencyCode(_ text: Bytes, _ start: Int) -> Currency? {
        let end = start + 3
        guard end + 1 < text.count, text[end] == UInt8(ascii: " "), Lexer.isDigit(text[end + 1]),
              text[start..<end].allSatisfy({ $0 &- UInt8(ascii: "A") < 26 }) else { return nil }
        return Currency(code: String(decoding: Bytes(rebasing: text[start..<end]), as: UTF8.self))
    }
}
