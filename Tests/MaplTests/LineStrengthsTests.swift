// Line strengths are kept as decimal digits (LineStrengths.swift); they must give back
// exactly the Double the lexer made from the text, whatever the text.

import Testing
@testable import Mapl

@Suite("line strengths")
struct LineStrengthsTests {
    /// What the lexer makes of a number or percentage written as `text`.
    static func lexed(_ text: String) -> Literal? {
        let tokens = Lexer.lex(SourceFile(id: 0, name: "t", text: text))
        guard let first = tokens.tokens.first, first.literal >= 0 else { return nil }
        return tokens.literals[Int(first.literal)]
    }

    @Test func writtenDecimalsComeBackExactly() throws {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: UInt64) -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (state >> 29) % bound
        }
        var strengths = LineStrengths()
        var expected: [LineStrength] = []
        for _ in 0..<5_000 {
            // Up to 12 digits, up to 9 of them decimals: some fit the digits, some the table.
            let digits = String(next(1_000_000_000_000))
            let decimals = Int(next(10))
            var text = digits
            if decimals > 0 && decimals < digits.count { text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals)) }
            let percent = next(2) == 0
            switch LineStrengthsTests.lexed(text + (percent ? "%" : "")) {
            case .percent(let share)?: strengths.append(.percent(share)); expected.append(.percent(share))
            case .number(let number)?: strengths.append(.number(number)); expected.append(.number(number))
            default: Issue.record("\(text) did not lex as a number")
            }
        }
        for special in [0.0, -0.0, -1.5, 1e300, .infinity, 0.1 + 0.2] {
            strengths.append(.number(special))
            expected.append(.number(special))
        }
        strengths.append(.word(7))
        strengths.append(.none)
        expected += [.word(7), .none]
        for (index, want) in expected.enumerated() {
            #expect(describe(strengths.written(index)) == describe(want), "line \(index)")
        }
        // Filled in: a numeric level keeps the written value as its rank; a named one its rank.
        for (index, want) in expected.enumerated() {
            switch want {
            case .number(let value), .percent(let value): strengths.fill(index, with: Level(scale: 3, rank: value, isNumeric: true))
            case .word: strengths.fill(index, with: Level(scale: 3, rank: 2))
            case .none: strengths.fill(index, with: nil)
            }
        }
        for (index, want) in expected.enumerated() {
            let level = strengths.level(index, scale: 3)
            switch want {
            case .number(let value), .percent(let value):
                #expect(level?.rank.bitPattern == value.bitPattern && level?.isNumeric == true, "line \(index)")
            case .word: #expect(level?.rank == 2 && level?.isNumeric == false)
            case .none: #expect(level == nil)
            }
        }
    }

    private func describe(_ strength: LineStrength) -> String {
        switch strength {
        case .none: return "none"
        case .word(let symbol): return "word \(symbol)"
        case .number(let value): return "number \(value.bitPattern)"
        case .percent(let value): return "percent \(value.bitPattern)"
        }
    }
}
