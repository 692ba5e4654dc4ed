// Unit tests of the plan writer: literals read back as the same values, and a whole
// plan written out loads again as the same plan.

import Foundation
import Testing
@testable import Mapl

/// Loads plan source in a fresh session: its document, or the error messages.
func loadDocument(_ text: String, name: String = "<test>") -> (document: PlanDocument, errors: [String]) {
    withLargeStack {
        let session = Session(output: { _ in })
        let source = session.addSource(name: name, text: text)
        let errors = session.loadPlan(source).map(\.message)
        return (session.planDocument, errors)
    }
}

@Suite("plan writer")
struct PlanWriterTests {
    @Test func moneyLiterals() {
        #expect(PlanWriter.moneyLiteral(Money(cents: 110_000_000, currency: .usd)) == "$1.1M")
        #expect(PlanWriter.moneyLiteral(Money(cents: 125_000_000, currency: .usd)) == "$1.25M")
        #expect(PlanWriter.moneyLiteral(Money(cents: 123_400_000, currency: .usd)) == "$1.234M")
        #expect(PlanWriter.moneyLiteral(Money(cents: 123_450_000, currency: .usd)) == "$1,234,500")
        #expect(PlanWriter.moneyLiteral(Money(cents: 42_000_000, currency: .usd)) == "$420k")
        #expect(PlanWriter.moneyLiteral(Money(cents: 250_000_000_000, currency: .usd)) == "$2.5B")
        #expect(PlanWriter.moneyLiteral(Money(cents: 4_800_050, currency: .usd)) == "$48,000.50")
        #expect(PlanWriter.moneyLiteral(Money(cents: -3_500, currency: .usd)) == "-$35")
        #expect(PlanWriter.moneyLiteral(Money(cents: 0, currency: .usd)) == "$0")
        #expect(PlanWriter.moneyLiteral(Money(cents: 42_000_000, currency: Currency(code: "EUR")!)) == "€420k")
        #expect(PlanWriter.moneyLiteral(Money(cents: -4_800_050, currency: Currency(code: "CHF")!)) == "-CHF 48,000.50")
    }

    @Test func otherLiterals() {
        #expect(PlanWriter.literal(.percent(0.55)) == "55%")
        #expect(PlanWriter.literal(.percent(0.125)) == "12.5%")
        #expect(PlanWriter.literal(.number(0.00001)) == "0.00001")
        #expect(PlanWriter.literal(.number(-3)) == "-3")
        #expect(PlanWriter.literal(.duration(Duration(days: 90))) == "90d")
        #expect(PlanWriter.literal(.duration(Duration(days: 14))) == "2w")
        #expect(PlanWriter.literal(.duration(Duration(months: 14, days: 3))) == "14mo + 3d")
        #expect(PlanWriter.literal(.duration(Duration(months: 24))) == "2y")
        #expect(PlanWriter.literal(.text("say \"hi\" {x}\n")) == #""say \"hi\" \{x\}\n""#)
        #expect(PlanWriter.literal(.map([.init("it", .word("strong")), .init("qa", .word("weak"))])) == "{it: strong, qa: weak}")
    }

    /// Every literal the writer produces reads back as the value it was made from.
    @Test func literalsReadBack() throws {
        let values: [FieldValue] = [
            .money(Money(cents: 110_000_000, currency: .usd)), .money(Money(cents: 4_800_050, currency: .usd)), .money(Money(cents: 123_400_000, currency: .usd)),
            .percent(0.55), .percent(0.125), .number(0.00001), .number(7.25),
            .date(try #require(Day(year: 2027, month: 2, day: 28))), .text("a \"quoted\" {brace}\nline"),
        ]
        for value in values {
            let field: String
            switch value {
            case .money: field = "budget"
            case .percent: field = "weight"
            case .number: field = "weight"
            case .date: field = "due"
            default: field = "note"
            }
            let kind = field == "weight" ? "criterion" : "initiative"
            let text = PlanWriter.write(PlanDocument(entries: [PlanEntry(kind: kind, id: "x", fields: [.init(field, value)])]))
            let loaded = loadDocument(text)
            #expect(loaded.errors.isEmpty, "\(text)")
            #expect(loaded.document.entries.first?[field] == value, "\(text)")
        }
    }

    @Test func shortDeclarationsStayOnOneLine() {
        let entry = PlanEntry(kind: "stakeholder", id: "dana", title: "Dana Wright", fields: [.init("support", .word("neutral")), .init("title", .text("CFO"))])
        #expect(PlanWriter.declaration(entry) == "stakeholder dana \"Dana Wright\" { title: \"CFO\", support: neutral }\n")
        let line = PlanEntry(kind: "influence", fields: [.init("to", .word("pat")), .init("from", .word("omar")), .init("strength", .percent(0.45)), .init("note", .text("golf"))])
        #expect(PlanWriter.declaration(line) == "influence omar -> pat 45% { note: \"golf\" }\n")
        let conflict = PlanEntry(kind: "conflict", fields: [.init("from", .word("tom")), .init("to", .word("nadia"))], comments: ["platform choice"])
        #expect(PlanWriter.declaration(conflict) == "# platform choice\nconflict tom <-> nadia\n")
    }

    /// The Globex example, written out by the writer, loads as the same plan.
    @Test func globexRoundTrip() throws {
        let path = MaplProcess.root.appendingPathComponent("examples/globex/plan.mapl").path
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let first = loadDocument(original, name: path)
        #expect(first.errors.isEmpty)
        #expect(first.document.entries.count > 100)
        let written = PlanWriter.write(first.document)
        let second = loadDocument(written)
        #expect(second.errors.isEmpty, "\(second.errors)")
        #expect(second.document == first.document)
        #expect(PlanWriter.write(second.document) == written, "writing is idempotent")
    }

    @Test func identifiers() {
        var ids = IdentifierAllocator()
        #expect(ids.make(from: "Dana Wright", kind: "contact") == "dana_wright")
        #expect(ids.make(from: "Dana Wright", kind: "contact") == "dana_wright_2")
        #expect(ids.make(from: "José Núñez-O'Brien", kind: "contact") == "jose_nunez_obrien")
        #expect(ids.make(from: "IT", kind: "unit") == "it_unit")
        #expect(ids.make(from: "Renewal", kind: "deal") == "renewal_deal")
        #expect(ids.make(from: "2027 rollout", kind: "deal") == "deal_2027_rollout")
        #expect(ids.make(from: "???", kind: "contact") == "contact")
        #expect(ids.make(from: "A very long opportunity name that goes on and on forever", kind: "deal") == "a_very_long_opportunity_name_that_goes")
        #expect(IdentifierAllocator.isValidID("dana_2"))
        #expect(!IdentifierAllocator.isValidID("2dana"))
        #expect(!IdentifierAllocator.isValidID("let"))
        #expect(!IdentifierAllocator.isValidID("da-na"))
    }
}
