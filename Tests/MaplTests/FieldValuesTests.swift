// Entities store their field values sparsely (FieldValues.swift); it must read exactly
// like the dense array it replaced, whatever the order of writes.

import Testing
@testable import Mapl

@Suite("sparse field values")
struct FieldValuesTests {
    @Test func everyKindFitsTheBitSet() {
        for kind in Schema.kinds { #expect(kind.fields.count <= FieldValues.fieldLimit, "\(kind.name) has \(kind.fields.count) fields") }
    }

    @Test func readsLikeADenseArray() {
        // A fixed pseudo-random sequence of writes, some of them nil (clearing a field).
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<200 {
            let width = 1 + next(FieldValues.fieldLimit)
            var sparse = FieldValues()
            var dense = [Value](repeating: .nil, count: width)
            for _ in 0..<3 * width {
                let index = next(width)
                let value: Value = next(4) == 0 ? .nil : .number(Double(next(1000)))
                sparse[index] = value
                dense[index] = value
            }
            let read = (0..<width).map { sparse[$0].display }
            #expect(read == dense.map(\.display))
            #expect(sparse.count == dense.filter { if case .nil = $0 { false } else { true } }.count)
            #expect(sparse[width + 70].display == Value.nil.display)
        }
    }
}

@Suite("shared field values")
struct SharedFieldValuesTests {
    @Test func aWhatIfChangeCopiesOnlyThatEntitysValuesOut() throws {
        let session = Session(output: { _ in })
        session.compactsDeclarations = true
        let source = session.addSource(name: "plan.mapl", text: """
            stakeholder a "Ann" { influence: 3, support: neutral }
            stakeholder b "Ben" { influence: 5 }
            stakeholder c "Cy" { influence: 7, support: champion, title: "CFO" }
            b.influence = 9
            b.support = neutral
            """)
        guard case .success = session.run(source) else {
            Issue.record("the plan did not run")
            return
        }
        let kind = try #require(Schema.kind(named: "stakeholder"))
        let people = session.machine.plan.entities(of: kind)
        #expect(people.map(\.fields.isShared) == [true, false, true])
        let influence = try #require(kind.index["influence"]), support = try #require(kind.index["support"])
        #expect(people.map { $0.fields[influence].display } == ["3", "9", "7"])
        #expect(people.map { $0.fields[support].display } == ["neutral", "neutral", "champion"])
        #expect(people.map(\.fields.count) == [2, 2, 3])
    }
}

@Suite("entity index")
struct EntityIndexTests {
    private static func entity(_ id: String) -> Entity? {
        guard let kind = Schema.kind(named: "stakeholder") else { return nil }
        let span = Span(file: 0, start: 0, end: 0)
        let declaration = Declaration(kind: Name(text: "stakeholder", span: span), id: Name(text: id, span: span), title: nil, fields: [], span: span)
        return Entity(kind: kind, id: id, hasDeclaredID: true, title: nil, origin: .written(declaration))
    }

    @Test func findsWhatIsThereAfterRemovalsAndReplacements() throws {
        var index = EntityIndex()
        var current: [String: Entity] = [:]
        for round in 0..<3 {
            for number in 0..<500 {
                let made = try #require(EntityIndexTests.entity("p\(number)"))
                if let old = current[made.id], number % 3 == round { index.remove(old); current[made.id] = nil }
                if number % 2 == 0 || current[made.id] == nil { index.insert(made); current[made.id] = made }
            }
            for number in 0..<500 {
                #expect(index.entity(id: "p\(number)") === current["p\(number)"], "round \(round), p\(number)")
            }
        }
        for entity in current.values { index.remove(entity) }  // (gaps closed along the way)
        #expect((0..<500).allSatisfy { index.entity(id: "p\($0)") == nil })
        #expect(index.entity(id: "nobody") == nil)
    }
}
