// Unit tests of the lexer: token kinds, spans, literal values and lexical diagnostics.

import Testing
@testable import Mapl

private func lex(_ text: String) -> LexedSource {
    Lexer.lex(SourceFile(id: 0, name: "t", text: text))
}

private func kinds(_ text: String) -> [TokenKind] {
    lex(text).tokens.map(\.kind)
}

@Suite("lexer")
struct LexerTests {
    @Test func keywordsAndIdentifiers() {
        #expect(kinds("let fn return if else for in while break continue true false nil and or not")
            == [.kwLet, .kwFn, .kwReturn, .kwIf, .kwElse, .kwFor, .kwIn, .kwWhile, .kwBreak, .kwContinue,
                .kwTrue, .kwFalse, .kwNil, .kwAnd, .kwOr, .kwNot, .endOfFile])
        #expect(kinds("stakeholder _x y2") == [.identifier, .identifier, .identifier, .endOfFile])
    }

    @Test func operators() {
        #expect(kinds("( ) [ ] { } , . .. : ; => + - * / % = == != < <= > >= += -= *= /= ??")
            == [.leftParen, .rightParen, .leftBracket, .rightBracket, .leftBrace, .rightBrace, .comma, .dot,
                .dotDot, .colon, .semicolon, .arrow, .plus, .minus, .star, .slash, .percentSign, .equal,
                .equalEqual, .bangEqual, .less, .lessEqual, .greater, .greaterEqual, .plusEqual, .minusEqual,
                .starEqual, .slashEqual, .questionQuestion, .endOfFile])
    }

    @Test func spansAreByteOffsets() {
        let tokens = lex("let é = \"ü\"").tokens
        // 'é' is not an identifier letter: it is reported, but offsets stay in bytes.
        #expect(tokens[0].start == 0 && tokens[0].end == 3)
        #expect(tokens.last?.start == Int32("let é = \"ü\"".utf8.count))
    }

    @Test(arguments: [
        ("42", Literal.number(42)), ("3.5", .number(3.5)), ("1_000", .number(1000)),
        ("$1,200", .money(Money(cents: 120_000, currency: .usd))), ("$1.2M", .money(Money(cents: 120_000_000, currency: .usd))),
        ("250k", .money(Money(cents: 25_000_000, currency: .unstated))), ("$99.95", .money(Money(cents: 9995, currency: .usd))),
        ("3bn", .money(Money(cents: 300_000_000_000, currency: .unstated))), ("1.5K", .money(Money(cents: 150_000, currency: .unstated))),
        ("€1.2M", .money(Money(cents: 120_000_000, currency: Currency(code: "EUR")!))),
        ("£250k", .money(Money(cents: 25_000_000, currency: Currency(code: "GBP")!))),
        ("CHF 1,200.50", .money(Money(cents: 120_050, currency: Currency(code: "CHF")!))),
        ("¥3M", .money(Money(cents: 300_000_000, currency: Currency(code: "JPY")!))),
        ("40%", .percent(0.4)), ("12.5%", .percent(0.125)),
        ("90d", .duration(Duration(days: 90))), ("6w", .duration(Duration(days: 42))),
        ("3mo", .duration(Duration(months: 3))), ("2q", .duration(Duration(months: 6))),
        ("1y", .duration(Duration(months: 12))),
    ])
    func literals(_ text: String, _ value: Literal) {
        let lexed = lex(text)
        #expect(lexed.diagnostics.isEmpty)
        #expect(lexed.literals == [value])
    }

    @Test func dates() {
        let lexed = lex("2027-03-31 2024-02-29")
        #expect(lexed.diagnostics.isEmpty)
        #expect(lexed.literals == [.date(Day(year: 2027, month: 3, day: 31)!), .date(Day(year: 2024, month: 2, day: 29)!)])
        #expect(kinds("2027-3-1") == [.number, .minus, .number, .minus, .number, .endOfFile])
    }

    @Test func moneyCommaNeedsThreeDigits() {
        #expect(kinds("[$1,20]") == [.leftBracket, .money, .comma, .number, .rightBracket, .endOfFile])
    }

    @Test func percentVersusRemainder() {
        #expect(kinds("10 % 3") == [.number, .percentSign, .number, .endOfFile])
        #expect(kinds("10%") == [.percent, .endOfFile])
    }

    @Test func rangeIsNotADecimal() {
        #expect(kinds("1..5") == [.number, .dotDot, .number, .endOfFile])
    }

    @Test func stringEscapes() {
        let lexed = lex(#""a\n\t\"\\\{\}\u{48}""#)
        #expect(lexed.diagnostics.isEmpty)
        #expect(lexed.literals == [.string("a\n\t\"\\{}H")])
    }

    @Test func interpolationTokens() {
        #expect(kinds(#""a {x} b {f("y")} c""#) == [.stringHead, .identifier, .stringMiddle, .identifier, .leftParen, .string, .rightParen, .stringTail, .endOfFile])
        #expect(kinds(#""{ {a: 1}.a }""#) == [.stringHead, .leftBrace, .identifier, .colon, .number, .rightBrace, .dot, .identifier, .stringTail, .endOfFile])
    }

    @Test func newlineFlags() {
        let tokens = lex("a\nb c").tokens
        #expect(tokens.map(\.startsLine) == [true, true, false, false])
    }

    @Test func commentsAndShebang() {
        #expect(kinds("#!/usr/bin/env mapl\nx # trailing\n# whole line") == [.identifier, .endOfFile])
    }

    @Test(arguments: [
        ("@", DiagnosticKind.unexpectedCharacter("@")),
        ("\"abc", .unterminatedString),
        (#""\q""#, .invalidEscape("q")),
        ("10kg", .unknownSuffix(literal: "10kg", suffix: "kg")),
        ("5m", .ambiguousSuffix(literal: "5m")),
        ("$", .malformedMoney("$")),
        ("2027-02-30", .invalidDate(literal: "2027-02-30", reason: "February 2027 has 28 days")),
        ("2027-13-01", .invalidDate(literal: "2027-13-01", reason: "there is no month 13")),
        ("1.5d", .malformedNumber("1.5d")),
        ("99999999999999999999k", .numberTooLarge("99999999999999999999k")),
    ])
    func diagnostics(_ text: String, _ kind: DiagnosticKind) {
        let lexed = lex(text)
        #expect(lexed.diagnostics.map(\.kind) == [kind])
        // A bad escape spoils only itself: the string token stays usable.
        if case .invalidEscape = kind {
            #expect(lexed.tokens.first?.kind == .string)
        } else {
            #expect(lexed.tokens.contains { $0.kind == .invalid })
        }
    }

    @Test func unterminatedInterpolationIsReportedOnce() {
        let lexed = lex("\"total {x")
        #expect(lexed.diagnostics.map(\.kind) == [.unterminatedString])
    }

    @Test func invalidUTF8NeverTraps() {
        let bytes: [UInt8] = [0x6C, 0x65, 0x74, 0x20, 0xFF, 0xC3, 0x28, 0xE2, 0x82]
        let lexed = Lexer(bytes: bytes, file: 0).runCopy()
        #expect(!lexed.diagnostics.isEmpty)
        #expect(lexed.tokens.last?.kind == .endOfFile)
    }
}

extension Lexer {
    /// Runs a copy, for tests that build a lexer from raw bytes.
    func runCopy() -> LexedSource {
        var copy = self
        return copy.run()
    }
}
