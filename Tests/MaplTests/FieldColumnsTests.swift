// Entities store their field values sparsely, a table's rows side by side
// (FieldColumns.swift); they must read exactly like the dense arrays they replace,
// whatever the order of writes.

import Testing
@testable import Mapl

@Suite("sparse field values")
struct FieldColumnsTests {
    @Test func everyKindFitsTheBitSet() {
        for kind in Schema.kinds { #expect(kind.fields.count <= FieldColumns.fieldLimit, "\(kind.name) has \(kind.fields.count) fields") }
    }

    /// Single fields set and cleared in rows taken in any order (so rows move to the end
    /// of the array and leave room behind, reclaimed along the way), at indices in and
    /// beyond the limit, read like a dense array per row.
    @Test func columnsReadLikeDenseRows() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let width = FieldColumns.fieldLimit
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
        for step in 0..<20_000 {
            if dense.isEmpty || next(20) == 0 {
                columns.appendRow()
                dense.append(Array(repeating: .nil, count: width))
            }
            // Mostly the last row, as a fill writes; now and then any row.
            let row = next(4) == 0 ? next(dense.count) : dense.count - 1
            let index = next(width + 4), written = value()
            columns.set(row, index, written)
            if index < width { dense[row][index] = written }
            if step % 5_000 == 0 { columns.compact() }
        }
        func check(_ when: String) {
            for (row, expected) in dense.enumerated() {
                #expect((0..<width).map { columns.value(row, $0).display } == expected.map(\.display), "row \(row) \(when)")
                #expect(columns.count(row) == expected.filter { if case .nil = $0 { false } else { true } }.count)
                #expect(columns.value(row, width + 70).display == Value.nil.display)
            }
        }
        check("before compacting")
        columns.compact()
        check("compacted")
    }

    /// One row's field, as stored and read back.
    private func storedAndRead(_ value: Value, reads: Int = 1) -> [Value] {
        var columns = FieldColumns()
        columns.appendRow()
        columns.set(0, 3, value)
        return (0..<reads).map { _ in columns.value(0, 3) }
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
            let read = storedAndRead(list, reads: 2)
            guard case .list(let first) = read[0], case .list(let second) = read[1], case .list(let stored) = list else {
                Issue.record("not a list: \(read[0].display)")
                continue
            }
            #expect(read[0].display == list.display)
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
        let read = storedAndRead(.record(packable), reads: 2)
        guard case .record(let first) = read[0], case .record(let second) = read[1], case .record(let kept) = storedAndRead(.record(texts))[0] else {
            Issue.record("not records")
            return
        }
        #expect(first !== packable && first !== second)
        #expect(first.shape.keys == ["ann", "ben", "cy", "dee"])
        #expect(read[0].display == Value.record(packable).display)
        #expect(kept === texts)
    }
}
