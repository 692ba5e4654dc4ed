// Money arithmetic against the exact answer: products and quotients of amounts over the
// whole range, rounded half away from zero.

import Testing
@testable import Mapl

@Suite("money arithmetic")
struct MoneyTests {
    private func usd(_ cents: Int64) -> Money { Money(cents: cents, currency: .usd) }

    /// Dyadic factors are exact in binary, so the exact product is known in integers.
    @Test(arguments: [(1, 2), (1, 4), (3, 4), (3, 2), (3, 1), (1, 8), (-5, 4)])
    func scalingIsExactAcrossTheRange(_ numerator: Int, _ denominator: Int) {
        var generator = SystemRandomNumberGenerator()
        let factor = Double(numerator) / Double(denominator)
        for _ in 0..<2_000 {
            let cents = Int64.random(in: -(Int64.max / 4)...(Int64.max / 4), using: &generator)
            let exact = Int128(cents) * Int128(numerator)
            let size = Int128(denominator)
            var quotient = exact.magnitude / UInt128(size)
            if (exact.magnitude % UInt128(size)) * 2 >= UInt128(size) { quotient += 1 }
            let expected = exact < 0 ? -Int64(quotient) : Int64(quotient)
            #expect(usd(cents).scaled(by: factor)?.cents == expected, "\(cents) × \(factor)")
        }
    }

    @Test func wholeDivisionRoundsHalvesAwayFromZero() {
        #expect(usd(100).divided(by: 3)?.cents == 33)
        #expect(usd(200).divided(by: 3)?.cents == 67)
        #expect(usd(-200).divided(by: 3)?.cents == -67)
        #expect(usd(5).divided(by: 2)?.cents == 3)
        #expect(usd(-5).divided(by: 2)?.cents == -3)
        #expect(usd(Int64.max).divided(by: -1)?.cents == -Int64.max)
        #expect(usd(1).divided(by: 0) == nil)
    }

    @Test func overflowIsNilNotATrap() {
        #expect(usd(Int64.max).scaled(by: 2) == nil)
        #expect(usd(Int64.max / 2).scaled(by: 1e300) == nil)
        #expect(usd(1).scaled(by: .infinity) == nil)
        #expect(usd(1).scaled(by: .nan) == nil)
        #expect(usd(Int64.max).scaled(by: 1)?.cents == Int64.max)
        #expect(usd(Int64.min + 1).scaled(by: 1)?.cents == Int64.min + 1)
        #expect(usd(123).scaled(by: 1e-300)?.cents == 0)
        #expect(usd(123).scaled(by: .leastNonzeroMagnitude)?.cents == 0)
    }
}
