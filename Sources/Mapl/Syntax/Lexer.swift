// The lexer: UTF-8 bytes in, tokens with byte spans out. Literal values are decoded
// here, once, into a side table; every malformed byte sequence becomes a diagnostic.

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
    private let bytes: SourceBytes
    private let file: FileID
    private var position = 0
    private var tokens: [Token] = []
    private var literals: [Literal] = []
    private var diagnostics: [Diagnostic] = []
    private var sawNewline = true
    private var braceDepth = 0
    /// Open interpolations: the brace depth at which each resumes its string, and where
    /// that string's opening quote was (for the "unterminated" report).
    private var interpolations: [(depth: Int, quote: Int)] = []
    private var reportedUnterminated = false

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
    private var literalsTaken = 0
    private var finished = false

    /// Lexes on until at least `count` tokens are ready (or the text ends) and hands them
    /// out with their literals, so a parser can hold a window of tokens, not all of them.
    /// After the `endOfFile` token, returns nothing more.
    mutating func nextChunk(tokens count: Int) -> (tokens: [Token], literals: [Literal]) {
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

    private mutating func scan(until count: Int) {
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

    private func peek(_ offset: Int = 0) -> UInt8 {
        let index = position + offset
        return index < bytes.count ? bytes[index] : 0
    }

    private mutating func add(_ kind: TokenKind, _ start: Int, _ end: Int, literal: Literal? = nil) {
        var index: Int32 = -1
        if let literal {
            index = Int32(literalsTaken + literals.count)
            literals.append(literal)
        }
        tokens.append(Token(kind: kind, startsLine: sawNewline, start: Int32(start), end: Int32(end), literal: index))
        sawNewline = false
    }

    private mutating func report(_ kind: DiagnosticKind, _ start: Int, _ end: Int) {
        diagnostics.append(Diagnostic(kind, at: Span(file: file, start: Int32(start), end: Int32(end))))
    }

    private func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<min(end, bytes.count)], as: UTF8.self)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    private static func isIdentStart(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || b == 95
    }
    private static func isIdentPart(_ b: UInt8) -> Bool { isIdentStart(b) || isDigit(b) }

    private mutating func skipTrivia() {
        while position < bytes.count {
            switch bytes[position] {
            case 32, 9, 13: position += 1
            case 10: position += 1; sawNewline = true
            case 35:  // '#' comment to end of line
                while position < bytes.count, bytes[position] != 10 { position += 1 }
            default: return
            }
        }
    }

    // MARK: - Tokens

    private mutating func scanToken() {
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
        case UInt8(ascii: "$"): scanMoney(start)
        default:
            reportUnexpected(start)
        }
    }

    /// Reports the whole (possibly multi-byte) character at `start` and skips it.
    private mutating func reportUnexpected(_ start: Int) {
        let lead = bytes[start]
        let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        var end = start + 1
        while end < bytes.count, end < start + length, bytes[end] & 0xC0 == 0x80 { end += 1 }
        position = end
        if let scalarText = String(validating: bytes[start..<end], as: UTF8.self) {
            report(.unexpectedCharacter(scalarText), start, end)
        } else {
            report(.invalidUTF8, start, end)
        }
        add(.invalid, start, end)
    }

    private mutating func scanIdentifier() {
        let start = position
        while position < bytes.count, Lexer.isIdentPart(bytes[position]) { position += 1 }
        add(keyword(start, position) ?? .identifier, start, position)
    }

    /// The keyword spelled by these bytes, if any, compared as bytes (a large plan has
    /// millions of identifiers; making a String of each to look it up cost more than
    /// the rest of lexing).
    private func keyword(_ start: Int, _ end: Int) -> TokenKind? {
        let length = end - start
        guard length >= 2, length <= Lexer.longestKeyword else { return nil }
        let first = bytes[start]
        for (spelling, kind) in Lexer.keywordSpellings where spelling.count == length && spelling[0] == first {
            if bytes[start..<end].elementsEqual(spelling) { return kind }
        }
        return nil
    }

    private static let keywordSpellings: [([UInt8], TokenKind)] = TokenKind.keywords.map { (Array($0.key.utf8), $0.value) }
    private static let longestKeyword = TokenKind.keywords.keys.map(\.utf8.count).max() ?? 0

    // MARK: - Strings

    /// Scans string text from `from` up to the closing quote or an interpolation `{`.
    private mutating func scanStringBody(quote: Int, from: Int) {
        let resumed = from != quote + 1
        let pieceStart = resumed ? from - 1 : quote
        position = from
        var value: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                add(resumed ? .stringTail : .string, pieceStart, position, literal: .string(decodeChecked(value, pieceStart)))
                return
            case UInt8(ascii: "{"):
                position += 1
                add(resumed ? .stringMiddle : .stringHead, pieceStart, position, literal: .string(decodeChecked(value, pieceStart)))
                interpolations.append((braceDepth, quote))
                return
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

    /// Text of a string piece; bytes that are not UTF-8 are reported, not silently replaced.
    private mutating func decodeChecked(_ value: [UInt8], _ start: Int) -> String {
        if let text = String(validating: value, as: UTF8.self) { return text }
        report(.invalidUTF8, start, position)
        return String(decoding: value, as: UTF8.self)
    }

    /// One report per source, however many strings are left open inside each other.
    private mutating func reportUnterminated(_ quote: Int) {
        guard !reportedUnterminated else { return }
        reportedUnterminated = true
        report(.unterminatedString, quote, quote + 1)
    }

    private mutating func scanEscape(into value: inout [UInt8]) {
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

    private mutating func reportUnexpectedEscape(_ start: Int) {
        // Take the whole scalar after the backslash so the message shows it intact.
        var end = position + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        position = min(end, bytes.count)
        report(.invalidEscape(text(start + 1, position)), start, position)
    }

    // MARK: - Numbers, money, percentages, dates, durations

    private mutating func scanDigits(allowUnderscore: Bool = true) {
        while position < bytes.count {
            let b = bytes[position]
            if Lexer.isDigit(b) || (allowUnderscore && b == 95 && Lexer.isDigit(peek(1))) { position += 1 } else { break }
        }
    }

    private func looksLikeDate(at start: Int) -> Bool {
        // dddd-dd-dd not followed by another digit or letter
        guard start + 10 <= bytes.count else { return false }
        for (offset, byte) in bytes[start..<start + 10].enumerated() {
            let wantDash = offset == 4 || offset == 7
            if wantDash ? byte != 45 : !Lexer.isDigit(byte) { return false }
        }
        return start + 10 == bytes.count || !Lexer.isIdentPart(bytes[start + 10])
    }

    private mutating func scanNumber() {
        let start = position
        if looksLikeDate(at: start) { return scanDate(start) }
        scanDigits()
        var isInteger = true
        if peek() == UInt8(ascii: "."), Lexer.isDigit(peek(1)) {
            isInteger = false
            position += 1
            scanDigits()
        }
        let numberEnd = position
        // Most numbers in a plan are short plain digit runs: value them straight from the
        // bytes, without a String (a scale plan has millions of them).
        let plain = plainDecimal(start, numberEnd)
        if let plain, !Lexer.isIdentStart(peek()) {
            if peek() == UInt8(ascii: "%") {
                position += 1
                add(.percent, start, position, literal: .percent(plain / 100))
            } else {
                add(.number, start, position, literal: .number(plain))
            }
            return
        }
        let digits = text(start, numberEnd).replacingOccurrences(of: "_", with: "")
        if peek() == UInt8(ascii: "%") {
            position += 1
            let value = Double(digits) ?? 0
            add(.percent, start, position, literal: .percent(value / 100))
            return
        }
        if Lexer.isIdentStart(peek()) {
            let suffixStart = position
            while position < bytes.count, Lexer.isIdentPart(bytes[position]) { position += 1 }
            let suffix = text(suffixStart, position)
            return finishSuffixed(digits: digits, isInteger: isInteger, suffix: suffix, start: start)
        }
        guard let value = Double(digits), value.isFinite else {
            report(.numberTooLarge(text(start, position)), start, position)
            add(.invalid, start, position)
            return
        }
        add(.number, start, position, literal: .number(value))
    }

    /// The value of `digits[.digits]` between start and end when it has at most 15
    /// digits and no underscores, else nil. Exact: the digits form an integer below 2^53
    /// and the power of ten is exact, so the one division rounds as `Double(text)` would.
    private func plainDecimal(_ start: Int, _ end: Int) -> Double? {
        var mantissa: Int64 = 0
        var digitCount = 0
        var fractionDigits = -1
        for index in start..<end {
            let byte = bytes[index]
            if Lexer.isDigit(byte) {
                mantissa = mantissa &* 10 &+ Int64(byte &- 48)
                digitCount += 1
                if fractionDigits >= 0 { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), fractionDigits < 0 {
                fractionDigits = 0
            } else {
                return nil
            }
        }
        guard digitCount > 0, digitCount <= 15 else { return nil }
        return fractionDigits > 0 ? Double(mantissa) / Lexer.powersOfTen[fractionDigits] : Double(mantissa)
    }

    private static let powersOfTen: [Double] = (0...15).map { power in (0..<power).reduce(1.0) { value, _ in value * 10 } }

    /// The two digits at start and start + 1 as a number (the caller has checked they are digits).
    private func twoDigits(_ start: Int) -> Int { Int(bytes[start] &- 48) * 10 + Int(bytes[start + 1] &- 48) }

    private mutating func finishSuffixed(digits: String, isInteger: Bool, suffix: String, start: Int) {
        let literalText = text(start, position)
        if let scale = Lexer.moneyScale[suffix] {
            guard let money = Lexer.money(digits: digits, scale: scale) else {
                report(.numberTooLarge(literalText), start, position)
                add(.invalid, start, position)
                return
            }
            add(.money, start, position, literal: .money(money))
            return
        }
        if let unit = Lexer.durationUnits[suffix] {
            guard isInteger else {
                report(.malformedNumber(literalText), start, position)
                add(.invalid, start, position)
                return
            }
            guard let count = Int32(digits), let scaled = Int32(exactly: Int64(count) * Int64(unit.count)) else {
                report(.numberTooLarge(literalText), start, position)
                add(.invalid, start, position)
                return
            }
            let duration = unit.months ? Duration(months: scaled) : Duration(days: scaled)
            add(.duration, start, position, literal: .duration(duration))
            return
        }
        report(suffix == "m" ? .ambiguousSuffix(literal: literalText) : .unknownSuffix(literal: literalText, suffix: suffix), start, position)
        add(.invalid, start, position)
    }

    static let moneyScale: [String: Int64] = ["": 1, "k": 1_000, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000, "bn": 1_000_000_000]
    static let durationUnits: [String: (months: Bool, count: Int32)] = [
        "d": (false, 1), "w": (false, 7), "mo": (true, 1), "q": (true, 3), "y": (true, 12),
    ]

    /// Exact conversion of a decimal digit string times a scale to cents.
    static func money(digits: String, scale: Int64) -> Money? {
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        let whole = parts.first.map(String.init) ?? "0"
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        guard let wholeValue = Int64(whole.isEmpty ? "0" : whole) else { return nil }
        var (cents, overflow) = wholeValue.multipliedReportingOverflow(by: scale * 100)
        if overflow { return nil }
        // Fraction digits: each contributes scale*100 / 10^k cents, rounded at the end.
        var numerator: Int64 = 0, denominator: Int64 = 1
        for digit in fraction.prefix(15) {
            numerator = numerator * 10 + Int64(digit.wholeNumberValue ?? 0)
            denominator *= 10
        }
        if numerator > 0 {
            let product = Double(numerator) * Double(scale * 100) / Double(denominator)
            let add = Int64(product.rounded(.toNearestOrAwayFromZero))
            (cents, overflow) = cents.addingReportingOverflow(add)
            if overflow { return nil }
        }
        return Money(cents: cents)
    }

    private mutating func scanMoney(_ start: Int) {
        // '$' digits (',' ddd)* ('.' digits)? suffix?
        guard Lexer.isDigit(peek()) else {
            report(.malformedMoney(text(start, position)), start, position)
            add(.invalid, start, position)
            return
        }
        var digitBytes: [UInt8] = []
        digitBytes.reserveCapacity(16)
        while position < bytes.count {
            let b = bytes[position]
            if Lexer.isDigit(b) { digitBytes.append(b); position += 1 }
            else if b == UInt8(ascii: "_"), Lexer.isDigit(peek(1)) { position += 1 }
            else if b == UInt8(ascii: ","), Lexer.isDigit(peek(1)), Lexer.isDigit(peek(2)), Lexer.isDigit(peek(3)), !Lexer.isDigit(peek(4)) {
                position += 1  // a thousands separator: exactly three digits follow
            } else { break }
        }
        if peek() == UInt8(ascii: "."), Lexer.isDigit(peek(1)) {
            position += 1
            digitBytes.append(UInt8(ascii: "."))
            while position < bytes.count, Lexer.isDigit(bytes[position]) {
                digitBytes.append(bytes[position])
                position += 1
            }
        }
        let digits = String(decoding: digitBytes, as: UTF8.self)
        var suffix = ""
        if Lexer.isIdentStart(peek()) {
            let suffixStart = position
            while position < bytes.count, Lexer.isIdentPart(bytes[position]) { position += 1 }
            suffix = text(suffixStart, position)
        }
        guard let scale = Lexer.moneyScale[suffix] else {
            let literalText = text(start, position)
            if suffix == "m" { report(.ambiguousSuffix(literal: literalText), start, position) }
            else { report(.unknownSuffix(literal: literalText, suffix: suffix), start, position) }
            add(.invalid, start, position)
            return
        }
        guard let money = Lexer.money(digits: digits, scale: scale) else {
            report(.numberTooLarge(text(start, position)), start, position)
            add(.invalid, start, position)
            return
        }
        add(.money, start, position, literal: .money(money))
    }

    private mutating func scanDate(_ start: Int) {
        position = start + 10
        let year = twoDigits(start) * 100 + twoDigits(start + 2)
        let month = twoDigits(start + 5)
        let day = twoDigits(start + 8)
        guard let date = Day(year: year, month: month, day: day) else {
            let literalText = text(start, position)
            let reason: String
            if !(1...12).contains(month) { reason = "there is no month \(month)" }
            else if year < 1 { reason = "there is no year 0" }
            else { reason = "\(Lexer.monthNames[month - 1]) \(year) has \(Day.daysIn(month: month, year: year)) days" }
            report(.invalidDate(literal: literalText, reason: reason), start, position)
            add(.invalid, start, position)
            return
        }
        add(.date, start, position, literal: .date(date))
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]
}
