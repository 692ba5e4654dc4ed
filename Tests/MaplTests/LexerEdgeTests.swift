// Unit tests of the lexer's edges: each literal form with its exact token kinds, spans
// and values; keywords against names that start like them; strings with and without
// escapes, beyond ASCII and not UTF-8; the byte tables; and lexing in chunks.

import Testing
@testable import Mapl

/// A token as the tests compare it: kind, span, and the literal value it carries.
private struct Lexeme: Equatable, CustomStringConvertible {
    var kind: TokenKind
    var start: Int32
    var end: Int32
    var value: Literal?

    init(_ kind: TokenKind, _ start: Int32, _ end: Int32, _ value: Literal? = nil) {
        (self.kind, self.start, self.end, self.value) = (kind, start, end, value)
    }

    var description: String { "\(kind) \(start)..<\(end) \(value.map { "\($0)" } ?? "-")" }
}

private func lexemes(_ lexed: LexedSource) -> [Lexeme] {
    lexed.tokens.map { token in
        Lexeme(token.kind, token.start, token.end, token.literal >= 0 ? lexed.literals[Int(token.literal)] : nil)
    }
}

private func lexemes(_ text: String) -> [Lexeme] {
    lexemes(Lexer.lex(SourceFile(id: 0, name: "t", text: text)))
}

private func diagnostics(_ text: String) -> [DiagnosticKind] {
    Lexer.lex(SourceFile(id: 0, name: "t", text: text)).diagnostics.map(\.kind)
}

private func usd(_ cents: Int64) -> Literal { .money(Money(cents: cents, currency: .usd)) }
private func plain(_ cents: Int64) -> Literal { .money(Money(cents: cents, currency: .unstated)) }

@Suite("lexer edges")
struct LexerEdgeTests {
    @Test func moneyWithThousandsCommas() {
        #expect(lexemes("$1,200,000 $630,000 $1,200.50 $1_000 $1,200k") == [
            Lexeme(.money, 0, 10, usd(120_000_000)), Lexeme(.money, 11, 19, usd(63_000_000)),
            Lexeme(.money, 20, 29, usd(120_050)), Lexeme(.money, 30, 36, usd(100_000)),
            Lexeme(.money, 37, 44, usd(120_000_000)), Lexeme(.endOfFile, 44, 44),
        ])
        // A comma needs exactly three digits after it; else it is punctuation.
        #expect(lexemes("$1,2000 $1,20") == [
            Lexeme(.money, 0, 2, usd(100)), Lexeme(.comma, 2, 3), Lexeme(.number, 3, 7, .number(2000)),
            Lexeme(.money, 8, 10, usd(100)), Lexeme(.comma, 10, 11), Lexeme(.number, 11, 13, .number(20)),
            Lexeme(.endOfFile, 13, 13),
        ])
    }

    @Test func moneyFractionsRoundHalfUp() {
        #expect(lexemes("$0.005 $0.004 $1.2345678901234567M").map(\.value) == [
            usd(1), usd(0), usd(123_456_789), nil,
        ])
    }

    @Test func moneyWithCodesAndSymbols() {
        let chf = Currency(code: "CHF")!, cad = Currency(code: "CAD")!, eur = Currency(code: "EUR")!
        #expect(lexemes("CHF 1,200 CAD 250k €1.5M") == [
            Lexeme(.money, 0, 9, .money(Money(cents: 120_000, currency: chf))),
            Lexeme(.money, 10, 18, .money(Money(cents: 25_000_000, currency: cad))),
            Lexeme(.money, 19, 26, .money(Money(cents: 150_000_000, currency: eur))),
            Lexeme(.endOfFile, 26, 26),
        ])
        // Not a known code, two spaces, or small letters: a name and a number.
        #expect(lexemes("XYZ 5").map(\.kind) == [.identifier, .number, .endOfFile])
        #expect(lexemes("CHF  5").map(\.kind) == [.identifier, .number, .endOfFile])
        #expect(lexemes("chf 5").map(\.kind) == [.identifier, .number, .endOfFile])
        #expect(lexemes("€x").map(\.kind) == [.invalid, .identifier, .endOfFile])
    }

    @Test func suffixedNumbers() {
        #expect(lexemes("2.5M 250k 1.5K 3bn 1B 2600k") == [
            Lexeme(.money, 0, 4, plain(250_000_000)), Lexeme(.money, 5, 9, plain(25_000_000)),
            Lexeme(.money, 10, 14, plain(150_000)), Lexeme(.money, 15, 18, plain(300_000_000_000)),
            Lexeme(.money, 19, 21, plain(100_000_000_000)), Lexeme(.money, 22, 27, plain(260_000_000)),
            Lexeme(.endOfFile, 27, 27),
        ])
        #expect(diagnostics("5m 2kk 10kg 1.5d") == [
            .ambiguousSuffix(literal: "5m"), .unknownSuffix(literal: "2kk", suffix: "kk"),
            .unknownSuffix(literal: "10kg", suffix: "kg"), .malformedNumber("1.5d"),
        ])
        #expect(diagnostics("$5m $5d $ 5") == [
            .ambiguousSuffix(literal: "$5m"), .unknownSuffix(literal: "$5d", suffix: "d"), .malformedMoney("$"),
        ])
        #expect(diagnostics("99999999999999999999k $99999999999999999999") == [
            .numberTooLarge("99999999999999999999k"), .numberTooLarge("$99999999999999999999"),
        ])
    }

    @Test func plainNumbers() {
        #expect(lexemes("1_000 1_2_3.4_5 007 3.25 0.1") == [
            Lexeme(.number, 0, 5, .number(1000)), Lexeme(.number, 6, 15, .number(123.45)),
            Lexeme(.number, 16, 19, .number(7)), Lexeme(.number, 20, 24, .number(3.25)),
            Lexeme(.number, 25, 28, .number(0.1)), Lexeme(.endOfFile, 28, 28),
        ])
        // A `_` not before a digit starts a suffix; more than 15 digits are read as
        // `Double` reads them.
        #expect(lexemes("1_ 1234567890123456789 0.12345678901234567").map(\.value) == [
            nil, .number(1_234_567_890_123_456_789), .number(0.12345678901234567), nil,
        ])
        #expect(diagnostics("1_") == [.unknownSuffix(literal: "1_", suffix: "_")])
        #expect(lexemes("1..5 3.x").map(\.kind) == [.number, .dotDot, .number, .number, .dot, .identifier, .endOfFile])
        let huge = String(repeating: "9", count: 400)
        #expect(diagnostics(huge) == [.numberTooLarge(huge)])
    }

    @Test func percentages() {
        #expect(lexemes("40% 12.5% 1_0% 0.5% 100 %") == [
            Lexeme(.percent, 0, 3, .percent(0.4)), Lexeme(.percent, 4, 9, .percent(0.125)),
            Lexeme(.percent, 10, 14, .percent(0.1)), Lexeme(.percent, 15, 19, .percent(0.005)),
            Lexeme(.number, 20, 23, .number(100)), Lexeme(.percentSign, 24, 25), Lexeme(.endOfFile, 25, 25),
        ])
    }

    @Test func datesAndDurations() {
        #expect(lexemes("2026-08-22 90d 6w 3mo 2q 1y 1_0d") == [
            Lexeme(.date, 0, 10, .date(Day(year: 2026, month: 8, day: 22)!)),
            Lexeme(.duration, 11, 14, .duration(Duration(days: 90))), Lexeme(.duration, 15, 17, .duration(Duration(days: 42))),
            Lexeme(.duration, 18, 21, .duration(Duration(months: 3))), Lexeme(.duration, 22, 24, .duration(Duration(months: 6))),
            Lexeme(.duration, 25, 27, .duration(Duration(months: 12))), Lexeme(.duration, 28, 32, .duration(Duration(days: 10))),
            Lexeme(.endOfFile, 32, 32),
        ])
        // A date followed by a name character is not a date.
        #expect(lexemes("2027-03-31x").map(\.kind) == [.number, .minus, .number, .minus, .invalid, .endOfFile])
        #expect(diagnostics("2147483647d 2147483648d 306783379w") == [
            .numberTooLarge("2147483648d"), .numberTooLarge("306783379w"),
        ])
        #expect(diagnostics("0000-01-01") == [.invalidDate(literal: "0000-01-01", reason: "there is no year 0")])
    }

    @Test func keywordsAgainstNamesLikeThem() {
        #expect(lexemes("in inner i if iff fn fns nil nill continue continues or or_ IN Let") == [
            Lexeme(.kwIn, 0, 2), Lexeme(.identifier, 3, 8), Lexeme(.identifier, 9, 10), Lexeme(.kwIf, 11, 13),
            Lexeme(.identifier, 14, 17), Lexeme(.kwFn, 18, 20), Lexeme(.identifier, 21, 24), Lexeme(.kwNil, 25, 28),
            Lexeme(.identifier, 29, 33), Lexeme(.kwContinue, 34, 42), Lexeme(.identifier, 43, 52), Lexeme(.kwOr, 53, 55),
            Lexeme(.identifier, 56, 59), Lexeme(.identifier, 60, 62), Lexeme(.identifier, 63, 66), Lexeme(.endOfFile, 66, 66),
        ])
        for (word, kind) in TokenKind.keywords {
            #expect(lexemes(word).first?.kind == kind)
            #expect(lexemes(word + "x").first?.kind == .identifier)
            #expect(lexemes("x" + word).first?.kind == .identifier)
        }
    }

    @Test func plainAndEscapedStrings() {
        #expect(lexemes(#""Head of Region 72" "" "a\n\"b" "ü日本" "x\u{1F600}""#) == [
            Lexeme(.string, 0, 19, .string("Head of Region 72")), Lexeme(.string, 20, 22, .string("")),
            Lexeme(.string, 23, 31, .string("a\n\"b")), Lexeme(.string, 32, 42, .string("ü日本")),
            Lexeme(.string, 43, 55, .string("x😀")), Lexeme(.endOfFile, 55, 55),
        ])
        #expect(lexemes("\"two\nlines\" x").map(\.value) == [.string("two\nlines"), nil, nil])
        #expect(lexemes(#""a {b} c""#) == [
            Lexeme(.stringHead, 0, 4, .string("a ")), Lexeme(.identifier, 4, 5),
            Lexeme(.stringTail, 5, 9, .string(" c")), Lexeme(.endOfFile, 9, 9),
        ])
    }

    @Test func aLineBreakInsideAStringDoesNotStartALine() {
        let tokens = Lexer.lex(SourceFile(id: 0, name: "t", text: "x\n\"a\nb\"\n\"c\\n\"")).tokens
        #expect(tokens.map(\.startsLine) == [true, false, true, false])
    }

    @Test func stringsThatAreNotUTF8AreReported() {
        // The plain piece falls back to the byte-by-byte way, which reports the bytes.
        let bytes: [UInt8] = Array("\"ab".utf8) + [0xFF, 0xC3] + Array("cd\" \"é\\n\"".utf8)
        let lexed = Lexer(bytes: bytes, file: 0).runCopy()
        #expect(lexed.diagnostics.map(\.kind) == [.invalidUTF8])
        #expect(lexed.diagnostics.first?.span == Span(file: 0, start: 0, end: 8))
        #expect(lexemes(lexed) == [
            Lexeme(.string, 0, 8, .string("ab\u{FFFD}\u{FFFD}cd")), Lexeme(.string, 9, 15, .string("é\n")),
            Lexeme(.endOfFile, 15, 15),
        ])
    }

    @Test func byteClassesMatchTheirDefinitions() {
        #expect(Lexer.byteClasses.utf8CodeUnitCount == 256)
        for value in 0...255 {
            let byte = UInt8(value)
            let scalar = Unicode.Scalar(byte)
            let letter = value < 128 && (scalar.properties.isAlphabetic || byte == UInt8(ascii: "_"))
            let digit = value >= 48 && value <= 57
            #expect(Lexer.isIdentStart(byte) == letter, "byte \(value)")
            #expect(Lexer.isIdentPart(byte) == (letter || digit), "byte \(value)")
            let stop = [UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "\\"), 10].contains(byte)
            #expect((Lexer.byteClass(byte) & Lexer.stringStop != 0) == stop, "byte \(value)")
        }
    }

    @Test func byteSpellingsFindOnlyTheirWords() {
        let spellings = ByteSpellings([("a", 1), ("bb", 2), ("bc", 3), ("cdefg", 4), ("", 5)])
        func meaning(_ word: String) -> Int? {
            Array(word.utf8).withUnsafeBufferPointer { spellings.meaning(of: $0) }
        }
        #expect(meaning("a") == 1 && meaning("bb") == 2 && meaning("bc") == 3 && meaning("cdefg") == 4)
        for other in ["", "b", "ba", "bd", "cdef", "cdefh", "cdefgh", "A", "!", "é"] {
            #expect(meaning(other) == nil, "\(other)")
        }
    }

    @Test func chunksGiveTheSameTokensAsTheWhole() {
        let text = "let x = [1, $1,200, \"a {y} b\", 2026-01-02, 3w] # c\nfoo(\"é\", 40%) \"open {z"
        let source = SourceFile(id: 0, name: "t", text: text)
        let whole = Lexer.lex(source)
        for size in [1, 2, 3, 7] {
            var lexer = Lexer(source: source)
            var tokens: [Token] = [], literals: [Literal] = [], names = FixedNames.shared.interner
            while !lexer.finished { lexer.nextChunk(tokens: size, into: &tokens, droppingFirst: 0, literals: &literals, names: &names) }
            #expect(tokens.map(\.kind) == whole.tokens.map(\.kind))
            #expect(tokens.map(\.name) == whole.tokens.map(\.name) && names.names == whole.names.names)
            #expect(tokens.map(\.start) == whole.tokens.map(\.start) && tokens.map(\.end) == whole.tokens.map(\.end))
            #expect(tokens.map(\.literal) == whole.tokens.map(\.literal))
            #expect(tokens.map(\.startsLine) == whole.tokens.map(\.startsLine))
            #expect(literals == whole.literals)
            #expect(lexer.problems.map(\.kind) == whole.diagnostics.map(\.kind))
        }
    }

    @Test func namesAreNumberedAsTheyAreRead() {
        // The lexer hashes a name as it reads it: the same numbers as hashing it whole.
        let text = "from to strength where rule stakeholder from zed\nzed let _x9 stakeholders"
        let lexed = Lexer.lex(SourceFile(id: 0, name: "t", text: text))
        let fixed = FixedNames.shared
        let names = lexed.tokens.map(\.name)
        #expect(Array(names.prefix(4)) == [fixed.fromWord, fixed.toWord, fixed.strengthWord, fixed.whereWord])
        #expect(names[4] == fixed.ruleWord && names[6] == fixed.fromWord)
        #expect(fixed.kindOrdinals[Int(names[5])] == Int16(Schema.kinds.first { $0.name == "stakeholder" }?.ordinal ?? -2))
        #expect(names[7] == names[8] && names[7] >= Int32(fixed.interner.count) && names[10] == names[7] + 1)
        #expect(lexed.tokens[9].kind == .kwLet && names[9] == -1 && lexed.tokens[9].literal == -1)
        #expect(lexed.names[names[11]] == "stakeholders" && lexed.tokens[11].literal == -1)
        var again = lexed.names
        #expect(again.symbol("zed") == names[7] && again.symbol("_x9") == names[10])
    }
}
