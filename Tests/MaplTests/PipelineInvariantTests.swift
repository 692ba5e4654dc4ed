// The account maths must behave as a sales manager expects, for any plan: no deal is
// counted twice, winning a deal of the period raises won by its value and never raises
// the gap, losing one never lowers the gap, and a close date moved past the period
// moves the deal from open to later. Checked over many generated plans.

import Testing
@testable import Mapl

@Suite("pipeline invariants")
struct PipelineInvariantTests {
    static let today = Day(year: 2026, month: 11, day: 22) ?? Day(ordinal: 0)
    static let stages = ["lost", "prospecting", "qualification", "needs_analysis", "proposal", "negotiation", "won"]

    struct Deal {
        var value: Int        // thousands
        var stage: String
        var probability: Int? // percent
        var close: String?    // a date in 2025–2028, or none
    }

    /// A fixed pseudo-random sequence, so a failure can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static func date(_ random: inout Generator) -> String {
        text(Day(year: 2025 + random.next(4), month: 1 + random.next(12), day: 1 + random.next(28)) ?? today)
    }

    static func day(_ text: String?) -> Day? {
        guard let parts = text?.split(separator: "-").compactMap({ Int($0) }), parts.count == 3 else { return nil }
        return Day(year: parts[0], month: parts[1], day: parts[2])
    }

    static func text(_ day: Day) -> String {
        let (year, month, date) = day.civil
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(date < 10 ? "0" : "")\(date)"
    }

    /// - Parameter period: a `plan { … }` declaration, or account fields (`fiscal_year_start: april`).
    static func source(_ deals: [Deal], period: String, outside: Int) -> String {
        let planLine = period.hasPrefix("plan") ? period : ""
        let accountFields = period.hasPrefix("plan") ? "" : period
        var text = "\(planLine)\naccount a \"A\" { revenue_goal: $3M, close_ratio: 30%, booked_outside_deals: \(outside)k\(accountFields) }\n"
        for (index, deal) in deals.enumerated() {
            var fields = ["value: \(deal.value)k", "stage: \(deal.stage)"]
            if let probability = deal.probability { fields.append("probability: \(probability)%") }
            if let close = deal.close { fields.append("close: \(close)") }
            text += "opportunity d\(index) \"D\(index)\" { \(fields.joined(separator: ", ")) }\n"
        }
        return text
    }

    static func figures(_ text: String) throws -> PipelineFigures {
        let result: Result<PipelineFigures, PipelineProblem> = withLargeStack {
            let session = Session(output: { _ in }, today: today)
            let errors = session.loadPlan(session.addSource(name: "<plan>", text: text))
            #expect(errors.isEmpty, "\(errors.map(\.message)) in\n\(text)")
            return Result { () throws(PipelineProblem) in try PipelineFigures(session.machine.plan, today: today) }
        }
        return try result.get()
    }

    static func cents(_ thousands: Int) -> Int64 { Int64(thousands) * 100_000 }

    @Test func invariantsHoldForGeneratedPlans() throws {
        var random = Generator(state: 0x0DDB_1A5E_5BAD_5EED)
        let periods = ["", "plan { period_start: 2026-07-01 }", "plan { period_start: 2026-04-01, period_end: 2026-09-30 }",
                       ", fiscal_year_start: april", "plan { period_end: 2027-03-31 }"]
        for round in 0..<40 {
            var deals: [Deal] = []
            for _ in 0..<(1 + random.next(8)) {
                deals.append(Deal(value: 10 * (1 + random.next(100)), stage: Self.stages[random.next(Self.stages.count)],
                                  probability: random.next(3) == 0 ? nil : random.next(101),
                                  close: random.next(5) == 0 ? nil : Self.date(&random)))
            }
            let period = periods[round % periods.count]
            let outside = random.next(3) * 100
            let before = try Self.figures(Self.source(deals, period: period, outside: outside))
            let start = before.period.start, end = before.period.end

            // No deal counted twice: won, open, later and the rest split the deals.
            var wonIn: Int64 = 0, open: Int64 = 0, later: Int64 = 0
            for deal in deals {
                let close = Self.day(deal.close)
                let inPeriod = close.map { start <= $0 && $0 <= end } ?? true
                switch deal.stage {
                case "won": if inPeriod { wonIn += Self.cents(deal.value) }
                case "lost": break
                default:
                    if inPeriod { open += Self.cents(deal.value) } else if let close, close > end { later += Self.cents(deal.value) }
                }
            }
            #expect(before.won.cents == wonIn + Self.cents(outside))
            #expect(before.open.cents == open)
            #expect(before.later.cents == later)
            #expect(before.weighted.cents <= before.open.cents)

            for (index, deal) in deals.enumerated() where deal.stage != "won" && deal.stage != "lost" {
                let inPeriod = Self.day(deal.close).map { start <= $0 && $0 <= end } ?? true
                // Winning it: won rises by its value when it closes in the period; the gap never rises.
                var won = deals
                won[index].stage = "won"
                let afterWin = try Self.figures(Self.source(won, period: period, outside: outside))
                #expect(afterWin.gap <= before.gap, "winning d\(index) raised the gap")
                if inPeriod { #expect(afterWin.won.cents - before.won.cents == Self.cents(deal.value)) }
                // Losing it never lowers the gap.
                var lost = deals
                lost[index].stage = "lost"
                #expect(try Self.figures(Self.source(lost, period: period, outside: outside)).gap >= before.gap)
                // A close date moved past the period moves it from open to later.
                if inPeriod {
                    var moved = deals
                    moved[index].close = Self.text(Day(ordinal: end.ordinal + 1))
                    let afterMove = try Self.figures(Self.source(moved, period: period, outside: outside))
                    #expect(before.open.cents - afterMove.open.cents == Self.cents(deal.value))
                    #expect(afterMove.later.cents - before.later.cents == Self.cents(deal.value))
                }
            }
        }
    }
}
