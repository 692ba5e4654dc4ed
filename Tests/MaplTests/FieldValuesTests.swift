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
