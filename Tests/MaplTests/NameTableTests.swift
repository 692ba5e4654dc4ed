// The interning table behind shorthand lines (NameTable.swift): one symbol per
// spelling, stable across the table's growth, with the spelling kept.

import Testing
@testable import Mapl

@Suite("name table")
struct NameTableTests {
    @Test func eachSpellingGetsOneSymbolThroughGrowth() {
        let table = NameTable()
        // Ids that differ only in a few low bits, as generated plans have, plus prefixes.
        // Long names that share their first eight bytes, and lengths around eight.
        let names = (0..<50_000).map { "s\($0)" } + ["s", "s_", "ceo", "ceo2", "_", "a"]
            + (0..<300).map { "stakeholder_\($0)" } + ["abcdefgh", "abcdefghi", "abcdefg", "abcdefgh_", String(repeating: "x", count: 300),
               String(repeating: "x", count: 301), String(repeating: "x", count: 299) + "y"]
        let symbols = names.map { table.intern(ArraySlice(Array($0.utf8))) }
        #expect(Set(symbols).count == names.count)
        #expect(symbols == Array(0..<Int32(names.count)))
        let again = names.map { table.intern(ArraySlice(Array($0.utf8))) }
        #expect(again == symbols)
        for (name, symbol) in zip(names, symbols) where symbol % 997 == 0 || name.count < 3 {
            #expect(table.text(symbol) == name)
            #expect(table.length(symbol) == Int32(name.utf8.count))
        }
        #expect(table.count == names.count)
    }

    @Test func manyAtOnceAreNumberedAsOneByOne() {
        // New names, names seen before and repeats within the call, some long.
        let words = (0..<3_000).map { "n\($0 % 1_700)" + ($0 % 7 == 0 ? "_and_a_longer_tail" : "") }
        let text = Array(words.joined(separator: " ").utf8)
        var spans: [Span] = []
        var start: Int32 = 0
        for word in words {
            spans.append(Span(file: 0, start: start, end: start + Int32(word.utf8.count)))
            start += Int32(word.utf8.count) + 1
        }
        let oneByOne = NameTable(), atOnce = NameTable()
        let expected = spans.map { oneByOne.intern(ArraySlice(text[Int($0.start)..<Int($0.end)])) }
        let first = atOnce.intern(Array(spans.prefix(1_000)), of: SourceBytes(text))
        let rest = atOnce.intern(Array(spans.dropFirst(1_000)), of: SourceBytes(text))
        #expect(first + rest == expected)
        #expect(atOnce.count == oneByOne.count)
        for symbol in 0..<Int32(atOnce.count) { #expect(atOnce.text(symbol) == oneByOne.text(symbol)) }
    }

    @Test func slicesOfALargerTextAreInternedByTheirBytes() {
        let table = NameTable()
        let text = Array("influence ann -> ben\ninfluence ben -> ann\n".utf8)
        let ann = table.intern(text[10..<13]), ben = table.intern(text[17..<20])
        #expect(table.intern(text[31..<34]) == ben)
        #expect(table.intern(text[38..<41]) == ann)
        #expect(table.text(ann) == "ann" && table.text(ben) == "ben")
    }
}
