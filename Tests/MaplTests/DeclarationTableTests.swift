// The declaration rows the parser writes: names numbered from their bytes, fields in
// place, and a declaration with a syntax error taken back out whole.

import Testing
@testable import Mapl

@Suite("declaration table")
struct DeclarationTableTests {
    private func parse(_ text: String) -> (Program, [Diagnostic]) {
        Parser.parse(SourceFile(id: 0, name: "t.mapl", text: text))
    }

    private func declarations(_ program: Program) -> [Declaration] {
        program.statements.compactMap { statement in
            if case .declaration(let declaration) = statement.kind { return declaration }
            return nil
        }
    }

    @Test func namesAreNumberedOncePerSpelling() {
        var interner = NameInterner()
        var numbers: [String: Int32] = [:]
        // Enough names to grow the table several times, spelled again in another order.
        let names = (0..<5_000).map { "name_\($0 * 7_919 % 5_000)" } + ["", "a", "ü", "a_much_longer_name_than_fits_in_a_small_string"]
        for name in names { numbers[name] = interner.symbol(name) }
        #expect(interner.count == Set(names).count)
        for name in names.reversed() {
            #expect(interner.symbol(name) == numbers[name], "\(name)")
            #expect(interner[interner.symbol(name)] == name)
        }
        #expect(interner.count == Set(names).count, "asking again adds nothing")
    }

    @Test func fieldsAreWordsLiteralsListsOrExpressions() throws {
        let (program, problems) = parse("""
            stakeholder ann "Ann" { support: champion, influence: 7, roles: [coach, user], title: "T {1}" }
            influence ann -> ann 40%
            """)
        #expect(problems.isEmpty)
        let found = declarations(program)
        try #require(found.count == 2)
        let rows = found[0].table.rows
        let kinds = found.map { $0.fields.map(\.key.text) }
        #expect(kinds == [["support", "influence", "roles", "title"], ["from", "to", "strength"]])
        let syntax = found[0].fieldRange.map { rows.fields[$0].value }
        guard case .word = syntax[0], case .number = syntax[1], case .words(_, 2) = syntax[2], case .expression = syntax[3] else {
            Issue.record("unexpected field forms: \(syntax)")
            return
        }
        #expect(rows.literalValue(of: syntax[1]) == .number(7))
        #expect(found[1].fields.map { "\($0.value.kind)".prefix(8) } == ["variable", "variable", "literal("])
        #expect(found[0].id?.text == "ann" && found[0].title == "Ann" && found[1].id == nil)
    }

    /// Lists of words and single literals, and records of names to those, are read in
    /// place (with each item's and entry's place); anything more is an expression.
    @Test func listsAndRecordsOfWordsAndLiteralsAreReadInPlace() throws {
        let text = """
            opportunity o "O" { criteria: ["a", 2], involves: {ann: [coach], ben: user, cy: 3}, a: {x: y + 1}, b: {"k": 1}, c: [f(1)] }
            """
        let (program, problems) = parse(text)
        #expect(problems.isEmpty)
        let found = try #require(declarations(program).first)
        let rows = found.table.rows
        let syntax = found.fieldRange.map { rows.fields[$0].value }
        guard case .words(let first, 2) = syntax[0], case .entries(let entries, 3) = syntax[1], case .expression = syntax[2],
              case .expression = syntax[3], case .expression = syntax[4] else {
            Issue.record("unexpected field forms: \(syntax)")
            return
        }
        func written(_ span: Span) -> String { String(decoding: Array(text.utf8)[Int(span.start)..<Int(span.end)], as: UTF8.self) }
        #expect([first, first + 1].map { written(rows.listItemSpan($0)) } == ["\"a\"", "2"])
        #expect(rows.listLiteral(first).map { "\($0)" } == "string(\"a\")")
        let keys = (Int(entries)..<Int(entries) + 3).map { rows.key($0).text }
        #expect(keys == ["ann", "ben", "cy"])
        #expect((Int(entries)..<Int(entries) + 3).map { written(rows.valueSpan($0)) } == ["[coach]", "user", "3"])
        // As trees (the formatter's view), with every item where it is written.
        guard case .record(let fields) = found.fields[1].value.kind, case .list(let items) = fields[0].value.kind else {
            Issue.record("not a record of lists: \(found.fields[1].value.kind)")
            return
        }
        #expect(items.map { written($0.span) } == ["coach"] && written(found.fields[1].value.span) == "{ann: [coach], ben: user, cy: 3}")
    }

    /// A field row stays 24 bytes (a large plan has millions): numbers kept in it are
    /// two 32-bit halves, so nothing in it needs 8-byte alignment. Numbers and
    /// percentages read back exactly, other literals are kept aside.
    @Test func fieldRowsStaySmallAndNumbersReadBack() throws {
        #expect(MemoryLayout<DeclarationRows.Field>.stride == 24)
        let (program, problems) = parse("""
            stakeholder ann "Ann" { influence: 0.1, last_contact: 2026-01-02 }
            influence ann -> ann 12.345%
            """)
        #expect(problems.isEmpty)
        let found = declarations(program)
        try #require(found.count == 2)
        let rows = found[0].table.rows
        let values = (found[0].fieldRange.lowerBound..<found[1].fieldRange.upperBound).map { rows.literalValue(of: rows.fields[$0].value) }
        #expect(values.compactMap { $0 } == [.number(0.1), .date(Day(year: 2026, month: 1, day: 2) ?? Day(ordinal: 0)), .percent(0.12345)])
        #expect(rows.literals.count == 1, "only the date is kept aside")
    }

    /// A field's name is found where it is written, also when a long comment (or a
    /// record's entries) stand between it and its value.
    @Test func keysFarFromTheirValuesKeepTheirPlace() throws {
        let filler = String(repeating: "# a long comment line to keep the value far away\n", count: 2_000)
        let text = "stakeholder ann \"Ann\" {\n  title:\n\(filler)  \"CEO\", influence: 7\n}\n"
        let (program, problems) = parse(text)
        #expect(problems.isEmpty)
        let found = try #require(declarations(program).first)
        let bytes = Array(text.utf8)
        let keys = found.fieldRange.map { found.table.rows.key($0) }
        #expect(keys.map(\.text) == ["title", "influence"])
        #expect(keys.map { String(decoding: bytes[Int($0.span.start)..<Int($0.span.end)], as: UTF8.self) } == ["title", "influence"])
        #expect(found.fieldRange.map { Int(found.table.rows.valueSpan($0).start) - Int(found.table.rows.keyStart($0)) }.first ?? 0 > 65_535)
    }

    /// `Parser.isListItem` takes the kinds `TokenKind` lists first: names and the
    /// literals that are one token.
    @Test func listItemsAreNamesAndOneTokenLiterals() {
        let items = TokenKind.allCases.filter(Parser.isListItem)
        #expect(items == [.identifier, .number, .money, .percent, .date, .duration, .string])
    }

    @Test func aDeclarationWithASyntaxErrorIsTakenOutWhole() throws {
        let (program, problems) = parse("""
            stakeholder ann "Ann" { influence: high, support: ) }
            stakeholder ben "Ben" { support: champion, influence: 7, hair: "red" }
            influence ben -> ben strong
            """)
        #expect(problems.count == 1)
        let found = declarations(program)
        try #require(found.count == 2)
        #expect(found.map(\.row) == [0, 1])
        #expect(found.map { $0.id?.text } == ["ben", nil])
        let rows = found[0].table.rows
        #expect(found[0].fields.map(\.key.text) == ["support", "influence", "hair"])
        #expect(found[0].fieldRange.map { rows.fields[$0].slot >= 0 } == [true, true, false], "hair is no stakeholder field")
        #expect(found[1].fields.map(\.key.text) == ["from", "to", "strength"])
        #expect(found[0].span.start == 54 && found[1].fieldRange.count == 3)
    }

    /// A list of words read in place looks ahead to its `]` and the token after it; where
    /// that lies past the parser's window of tokens (near the end of a chunk of tokens),
    /// the list is read the longer way, never taken for a list of words when it goes on.
    @Test func wordListsAtTheEndOfTheTokenWindowReadTheSame() {
        var inPlace = 0
        for filler in 4_040...4_080 {
            // (Lists longer than the parser's sure lookahead of 8 tokens.)
            var text = "stakeholder a \"A\"\nstakeholder b \"B\"\n"
            text += String(repeating: "z\n", count: filler)
            text += "member m \"M\" { covers: [a, b, a, b, a, b] + [], title: \"T\" }\n"
            text += "member n \"N\" { covers: [a, b, a, b, a, b] }\n"
            let (program, problems) = parse(text)
            #expect(problems.isEmpty, "\(filler) filler lines: \(problems.map(\.message))")
            let members = declarations(program).filter { $0.entityKind.name == "member" }
            #expect(members.count == 2)
            guard members.count == 2 else { continue }
            let rows = members[0].table.rows
            if case .words? = members[0].fieldRange.first.map({ rows.fields[$0].value }) {
                Issue.record("\(filler): a list that goes on was taken for words")
            }
            // Past the window the list is read as an expression: the same value, the longer way.
            if case .words? = members[1].fieldRange.first.map({ rows.fields[$0].value }) { inPlace += 1 }
        }
        #expect(inPlace >= 30, "most lists of words are read in place")
    }
}
