// How a plan stores its entities: rows of per-kind tables, removed rows set aside
// rather than lists kept beside the tables, and ids found through an index into the
// tables (EntityIndex). Each must read exactly like the plain structures it replaced.

import Testing
@testable import Mapl

@Suite("plan storage")
struct PlanStorageTests {
    /// A fixed pseudo-random sequence.
    struct Draws {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test func theIdIndexAnswersLikeADictionary() {
        var draws = Draws(state: 0x1234_5678_9ABC_DEF1)
        // The "table": ids by reference; several references may carry one id over time.
        var ids: [Int: String] = [:]
        func id(_ reference: EntityIndex.Reference) -> String { ids[reference.kind << 20 | reference.row] ?? "" }
        var index = EntityIndex()
        var expected: [String: EntityIndex.Reference] = [:]
        var nextRow = 0
        for _ in 0..<20_000 {
            let key = "id\(draws.next(700))"
            if draws.next(3) == 0, let present = expected[key] {
                index.remove(key, ifItIs: present, id: id)
                expected[key] = nil
            } else {
                let reference = EntityIndex.Reference(kind: draws.next(4), row: nextRow)
                nextRow += 1
                ids[reference.kind << 20 | reference.row] = key
                index.insert(key, reference, id: id)
                expected[key] = reference
            }
            if draws.next(500) == 0 { index.reserve(index.count + draws.next(2_000), id: id) }
        }
        #expect(index.count == expected.count)
        for number in 0..<700 {
            let key = "id\(number)"
            #expect(index.find(key, id: id) == expected[key], "\(key)")
        }
        // Removing with another reference than the entry's leaves it.
        if let (key, reference) = expected.first {
            index.remove(key, ifItIs: EntityIndex.Reference(kind: reference.kind, row: reference.row + 1), id: id)
            #expect(index.find(key, id: id) == reference)
        }
    }

    @Test func removedAndRestoredRowsReadLikeLists() throws {
        let kinds = try #require(["stakeholder", "influence", "unit"].map { Schema.kind(named: $0) } as? [EntityKind])
        var draws = Draws(state: 0xDEAD_BEEF_0BAD_F00D)
        let plan = Plan()
        // The lists and ids the plan kept before: the model.
        var lists: [[String]] = Array(repeating: [], count: kinds.count)
        var named: [String: String] = [:]
        var saved: (Plan.Snapshot, [[String]], [String: String])?
        var serial = 0
        for _ in 0..<3_000 {
            let which = draws.next(kinds.count), kind = kinds[which]
            switch draws.next(10) {
            case 0...5:
                serial += 1
                let id = draws.next(2) == 0 ? "e\(draws.next(400))" : nil
                if let id, let old = plan.entity(id: id) {
                    plan.remove(old)
                    let list = kinds.firstIndex { $0.ordinal == old.kind.ordinal } ?? 0
                    lists[list].removeAll { $0 == named[id] }
                }
                let entity = plan.declare(kind, id: id, title: "t\(serial)", span: Span(file: 0, start: 0, end: 0))
                lists[which].append("t\(serial)")
                if let id { named[id] = "t\(serial)" }
                #expect(entity.title == "t\(serial)")
            case 6:
                if let victim = plan.entities(of: kind).dropFirst(draws.next(5)).first {
                    plan.remove(victim)
                    lists[which].removeAll { $0 == victim.title }
                    if victim.hasDeclaredID { named[victim.id] = nil }
                }
            case 7:
                saved = (plan.snapshot(), lists, named)
            default:
                if let (snapshot, oldLists, oldNamed) = saved, draws.next(3) == 0 {
                    plan.restore(snapshot)
                    (lists, named) = (oldLists, oldNamed)
                    saved = nil
                }
            }
            for (index, kind) in kinds.enumerated() {
                #expect(plan.entities(of: kind).map { $0.title ?? "" } == lists[index])
                #expect(plan.count(of: kind) == lists[index].count)
            }
        }
        #expect(plan.count == lists.map(\.count).reduce(0, +))
        for number in 0..<400 {
            #expect(plan.entity(id: "e\(number)")?.title == named["e\(number)"], "e\(number)")
        }
    }

    /// A table keeps one file for its rows' spans, and files per row only once a row
    /// comes from another file (a kind declared in a plan and in a file it imports).
    @Test func spansKeepTheirFiles() throws {
        let kind = try #require(Schema.kind(named: "stakeholder"))
        let plan = Plan()
        var draws = Draws(state: 0x0F0F_1234_ABCD_0001)
        var expected: [Span] = []
        for index in 0..<200 {
            let file = FileID(index < 50 ? 3 : draws.next(4))
            let start = Int32(draws.next(100_000))
            let span = Span(file: file, start: start, end: start + Int32(draws.next(80)))
            expected.append(span)
            _ = plan.declare(kind, id: nil, title: nil, span: span)
        }
        plan.trim()
        #expect(plan.entities(of: kind).map(\.span) == expected)
    }
}
