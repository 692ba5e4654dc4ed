// The parser reads a large source through a window of tokens (Parser.swift, "Token
// window"): these tests parse sources big enough to slide the window many times and
// check that nothing differs from parsing the whole token array at once.

import Testing
@testable import Mapl

@Suite("parser token window")
struct TokenWindowTests {
    /// A source of about `repeats` × 60 tokens: literals of every kind, interpolated
    /// strings, blocks, shorthand lines and declarations, so chunk and window edges fall
    /// inside every construct.
    private func bigSource(repeats: Int, brokenAt: Set<Int> = []) -> String {
        var text = "let total = 0\nstakeholder ann \"Ann\"\nstakeholder ben \"Ben\"\n"
        for index in 0..<repeats {
            text += """
            let v\(index) = [\(index), \(index).5, 40%, $1,200, 2026-01-0\(index % 9 + 1), 3w, "s {\(index) + 1} t"]
            fn f\(index)(x) { if x > \(index) { return x * 2 } else { return {a: x, b: "\(index)"} } }
            influence ann -> ben \(index % 100)%
            opportunity o\(index) "Deal \(index)" { value: $\(index + 1)k, stage: proposal, probability: 30% }
            total += len(v\(index))\n
            """
            if brokenAt.contains(index) { text += "let broken\(index) = (1 + \n" }
        }
        return text + "print(total)\n"
    }

    private func compare(_ text: String) {
        let source = SourceFile(id: 0, name: "big.mapl", text: text)
        let (streamed, streamedProblems) = Parser.parse(source)
        let lexed = Lexer.lex(source)
        var whole = Parser(lexed: lexed, source: source)
        let wholeProgram = whole.parseProgram()
        let wholeProblems = lexed.diagnostics + whole.diagnostics
        #expect(lexed.tokens.count > 100_000, "the source must slide the window")
        #expect(streamed.statements.count == wholeProgram.statements.count)
        #expect(streamed.statements.map(\.span) == wholeProgram.statements.map(\.span))
        #expect(streamedProblems.map(\.message) == wholeProblems.map(\.message))
        #expect(streamedProblems.map(\.span) == wholeProblems.map(\.span))
        // Literal values read late in the file come from the right tokens.
        let lastLiterals = streamed.statements.suffix(20).map { "\($0.kind)" }
        let wholeLiterals = wholeProgram.statements.suffix(20).map { "\($0.kind)" }
        #expect(lastLiterals == wholeLiterals)
    }

    @Test func aLargeSourceParsesAsFromAllTokens() {
        compare(bigSource(repeats: 2_500))
    }

    @Test func syntaxErrorsAcrossTheWindowAreTheSame() {
        compare(bigSource(repeats: 2_500, brokenAt: [3, 700, 1_299, 2_498]))
    }

    @Test func aLargePlanRunsWithTheRightValues() {
        var printed: [String] = []
        let session = Session(output: { printed.append($0) })
        let source = session.addSource(name: "big.mapl", text: bigSource(repeats: 2_500))
        guard case .success = session.run(source) else {
            Issue.record("the generated plan did not run")
            return
        }
        #expect(printed.joined() == "\(7 * 2_500)\n")
        let opportunities = session.machine.plan.entities(of: Schema.kind(named: "opportunity")!)
        #expect(opportunities.count == 2_500)
        #expect(opportunities.last?["value"].map { "\($0.display)" } == "$2,500,000")
    }
}
