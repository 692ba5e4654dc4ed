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

    /// A table's rows side by side (`FieldColumns`): whole rows replaced (growing,
    /// shrinking), single fields set and cleared, in any order, with the room left
    /// behind reclaimed along the way, read like a dense array per row.
    @Test func columnsReadLikeDenseRows() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let width = 12
        var columns = FieldColumns()
        var dense: [[Value]] = []
        func value() -> Value {
            switch next(5) {
            case 0: return .nil
            case 1: return .string(String(repeating: "t", count: next(30)))
            case 2: return .list(ListObject([.number(Double(next(9)))]))
            default: return .number(Double(next(1000)))
            }
        }
        for step in 0..<6_000 {
            if dense.isEmpty || next(10) == 0 {
                columns.appendRow()
                dense.append(Array(repeating: .nil, count: width))
            }
            let row = next(dense.count)
            if next(3) == 0 {
                var fields = FieldValues()
                for index in 0..<width where next(3) == 0 { fields[index] = value() }
                columns.set(row, fields)
                dense[row] = (0..<width).map { fields[$0] }
            } else {
                let index = next(width), written = value()
                columns.set(row, index, written)
                dense[row][index] = written
            }
            if step % 1_500 == 0 { columns.compact() }
        }
        columns.compact()
        for (row, expected) in dense.enumerated() {
            #expect((0..<width).map { columns.value(row, $0).display } == expected.map(\.display), "row \(row)")
            #expect((0..<width).map { columns.row(row)[$0].display } == expected.map(\.display), "row \(row) copied")
            #expect(columns.count(row) == expected.filter { if case .nil = $0 { false } else { true } }.count)
        }
    }

    /// Lists of named levels (`roles: [coach, user]`) are kept packed: each must read
    /// back as the list stored, a new list each time; other lists are kept as they are.
    @Test func levelListsReadBackAsStored() {
        let role = Scales.buyingRole.id, stage = Scales.stage.id
        func levels(_ ranks: [Double], scale: UInt8 = role, numeric: Bool = false) -> Value {
            .list(ListObject(ContiguousArray(ranks.map { .level(Level(scale: scale, rank: $0, isNumeric: numeric)) })))
        }
        let mixed = Value.list(ListObject([.level(Level(scale: role, rank: 1)), .level(Level(scale: stage, rank: 1))]))
        let lists: [Value] = [levels([]), levels([3]), levels([1, 2, 1]), levels([0, 1, 2, 3, 4, 5, 6, 7]),
                              levels([0, 1, 2, 3, 4, 5, 6, 7, 1]), levels([8], numeric: true), levels([0.5]),
                              mixed, .list(ListObject([.string("a"), .number(2)]))]
        for list in lists {
            var fields = FieldValues()
            fields[3] = list
            guard case .list(let first) = fields[3], case .list(let second) = fields[3], case .list(let stored) = list else {
                Issue.record("not a list: \(fields[3].display)")
                continue
            }
            #expect(fields[3].display == list.display)
            #expect(zip(first.items, stored.items).allSatisfy { a, b in
                if case .level(let x) = a, case .level(let y) = b { return x == y && x.isNumeric == y.isNumeric && x.scale == y.scale }
                return a.display == b.display
            } && first.items.count == stored.items.count)
            first.items.append(.number(1))
            #expect(second.items.count == stored.items.count || second === first)
        }
    }

    /// A record of values kept in place (`involves: {ann: [coach], ben: []}`) is stored
    /// packed and read back as an equal new record; one holding an object whose
    /// identity counts (a list of texts) is kept as it is.
    @Test func recordsOfPlainValuesReadBackAsStored() {
        let role = Scales.buyingRole.id
        let roles = Value.list(ListObject([.level(Level(scale: role, rank: 2)), .level(Level(scale: role, rank: 5))]))
        let packable = RecordObject([("ann", roles), ("ben", .list(ListObject([]))), ("cy", .number(3)), ("dee", .string("a text longer than twelve"))])
        let texts = RecordObject([("ann", .list(ListObject([.string("x")])))])
        var fields = FieldValues()
        fields[0] = .record(packable)
        fields[1] = .record(texts)
        guard case .record(let first) = fields[0], case .record(let second) = fields[0], case .record(let kept) = fields[1] else {
            Issue.record("not records")
            return
        }
        #expect(first !== packable && first !== second)
        #expect(first.shape.keys == ["ann", "ben", "cy", "dee"])
        #expect(fields[0].display == Value.record(packable).display)
        #expect(kept === texts)
    }
}
