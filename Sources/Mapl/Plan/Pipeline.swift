// The account's money figures for the plan period, as the planning guides define them:
// goal, won, open, weighted, later, overdue, gap, pipeline needed at the close ratio,
// pipeline gap and coverage. Computed in this one place: `pipeline()`, the reports and
// the exports all read it, so a script and a report never disagree.

/// The days a plan's revenue goal is for, the first and the last included.
struct PlanPeriod {
    let start: Day
    let end: Day

    func contains(_ day: Day) -> Bool { start <= day && day <= end }

    /// Whether a deal's close date falls in the period (a deal without one counts in it).
    func holds(_ deal: Entity) -> Bool {
        guard case .date(let close)? = deal[DerivedFields.Known.close] else { return true }
        return contains(close)
    }

    static let firstDay = Day(year: 1, month: 1, day: 1) ?? Day(ordinal: Int32.min)
    static let lastDay = Day(year: 9999, month: 12, day: 31) ?? Day(ordinal: Int32.max)

    /// The plan's period: the `plan` entity's `period_start` and `period_end` when given
    /// (one of them is enough: the other is a year away); else the fiscal year that
    /// contains `today`, starting in the account's `fiscal_year_start` month (January
    /// when not given).
    static func of(_ plan: Plan, today: Day) throws(PipelineProblem) -> PlanPeriod {
        let settings = Schema.kind(named: "plan").flatMap(plan.singleton)
        var start: Day?, end: Day?
        if case .date(let day)? = settings?["period_start"] { start = day }
        if case .date(let day)? = settings?["period_end"] { end = day }
        switch (start, end) {
        case (let start?, let end?):
            guard start <= end else {
                throw PipelineProblem("the plan period ends (\(Value.date(end).display)) before it starts (\(Value.date(start).display))")
            }
            return PlanPeriod(start: start, end: end)
        case (let start?, nil):
            // (Past the last date a plan can hold, the period runs to it.)
            return PlanPeriod(start: start, end: start.adding(months: 12).map { Day(ordinal: $0.ordinal - 1) } ?? PlanPeriod.lastDay)
        case (nil, let end?):
            return PlanPeriod(start: end.adding(months: -12).map { Day(ordinal: $0.ordinal + 1) } ?? PlanPeriod.firstDay, end: end)
        case (nil, nil):
            return fiscalYear(containing: today, startingIn: firstMonth(plan))
        }
    }

    /// The month the account's fiscal year starts in (1 for January).
    private static func firstMonth(_ plan: Plan) -> Int {
        let account = Schema.kind(named: "account").flatMap(plan.singleton)
        guard case .level(let month)? = account?["fiscal_year_start"], month.scale == Scales.month.id else { return 1 }
        return Int(month.rank)
    }

    /// The twelve months from the 1st of `month` that contain `day`.
    static func fiscalYear(containing day: Day, startingIn month: Int) -> PlanPeriod {
        let (year, dayMonth, _) = day.civil
        let startYear = dayMonth >= month ? year : year - 1
        let start = Day(year: startYear, month: month, day: 1) ?? day
        return PlanPeriod(start: start, end: start.adding(months: 12).map { Day(ordinal: $0.ordinal - 1) } ?? lastDay)
    }
}

/// Why the figures cannot be computed (a period that ends before it starts, a sum past
/// what money can hold).
struct PipelineProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// The chance of winning a deal: 100% when won, 0% when lost, else its probability, or
/// when it has none its stage's: the plan's `stage_probabilities`, else the default
/// (see `defaults`). A deal without a stage is taken to be prospecting.
enum WinChance {
    /// The default probability of each stage by rank: lost 0%, prospecting 10%,
    /// qualification 20%, needs_analysis 40%, proposal 60%, negotiation 80%, won 100%.
    static let defaults: [Double: Double] = [0: 0, 1: 0.1, 2: 0.2, 3: 0.4, 4: 0.6, 5: 0.8, 6: 1]

    static func of(_ deal: Entity) -> Double {
        let stage = DerivedFields.rank(deal[DerivedFields.Known.stage])
        if stage == 6 { return 1 }
        if stage == 0 { return 0 }
        if case .percent(let share)? = deal[DerivedFields.Known.probability] { return share }
        guard let plan = deal.plan else { return defaults[stage ?? 1] ?? 0 }
        return chance(ofStage: stage ?? 1, in: plan)
    }

    /// The chance of a deal at a stage (by rank) that gives no probability: the plan's
    /// `stage_probabilities`, else the default.
    static func chance(ofStage rank: Double, in plan: Plan) -> Double {
        if let settings = Schema.kind(named: "plan").flatMap(plan.singleton),
           case .record(let table)? = settings["stage_probabilities"], let name = Scales.stage.name(forRank: rank),
           case .percent(let share)? = table[name] {
            return share
        }
        return defaults[rank] ?? 0
    }
}

/// The figures of one plan for its period. An open deal is in at most one of open
/// (closing in the period, or with no close date) and later (closing after it); one
/// closing before the period is in neither. Overdue counts the open deals whose close
/// date has passed, whether or not they are also in open.
struct PipelineFigures {
    let period: PlanPeriod
    let goal: Money
    /// Deals won with a close date in the period (or none), plus `booked_outside_deals`.
    let won: Money
    let open: Money
    /// Open (in the period) × each deal's chance of winning.
    let weighted: Money
    let later: Money
    let overdue: Money
    let overdueCount: Int
    /// goal − won − weighted, never below $0.
    let gap: Money
    /// (goal − won) ÷ close ratio; nil without a close ratio.
    let needed: Money?
    /// needed − open, never below $0; nil without a close ratio.
    let pipelineGap: Money?
    /// open ÷ (goal − won); nil once the goal is won.
    let coverage: Double?

    init(_ plan: Plan, today: Day) throws(PipelineProblem) {
        period = try PlanPeriod.of(plan, today: today)
        let account = Schema.kind(named: "account").flatMap(plan.singleton)
        let currency = plan.currency
        goal = Builtins.money(account?["revenue_goal"], currency)
        var totals = DealTotals(period: period, today: today, currency: currency)
        totals.won.add(Builtins.money(account?["booked_outside_deals"], currency))
        for deal in Schema.kind(named: "opportunity").map(plan.entities) ?? [] { totals.add(deal) }
        won = try totals.won.sum()
        open = try totals.open.sum()
        weighted = try totals.weighted.sum()
        later = try totals.later.sum()
        overdue = try totals.overdue.sum()
        overdueCount = totals.overdueDeals
        // Ahead of goal, nothing more is needed: gap, needed and pipeline gap stop at $0.
        let remaining = goal.with(cents: max(0, try Money.difference(goal, won)))
        gap = goal.with(cents: max(0, try Money.difference(remaining, weighted)))
        if case .percent(let ratio)? = account?["close_ratio"], ratio > 0, let needed = remaining.divided(by: ratio) {
            self.needed = needed
            pipelineGap = goal.with(cents: max(0, try Money.difference(needed, open)))
        } else {
            needed = nil
            pipelineGap = nil
        }
        coverage = remaining.cents > 0 ? (Double(open.cents) / Double(remaining.cents) * 100).rounded() / 100 : nil
    }

    /// What each figure of `record` is called: in reports, and in the shorter table of
    /// `mapl diff`.
    static let names: [String: (report: String, short: String)] = [
        "period_start": ("Plan period from", "period from"), "period_end": ("Plan period to", "period to"),
        "goal": ("Revenue goal", "revenue goal"), "won": ("Won in the period", "won"),
        "open": ("Open pipeline closing in the period", "open pipeline"), "weighted": ("Weighted pipeline", "weighted pipeline"),
        "later": ("Open pipeline closing after the period", "later pipeline"),
        "overdue": ("Overdue (close date passed)", "overdue pipeline"), "overdue_deals": ("Overdue deals", "overdue deals"),
        "gap": ("Gap after weighted pipeline", "gap to goal"), "needed": ("Pipeline needed at the close ratio", "pipeline needed"),
        "pipeline_gap": ("Pipeline gap (needed − open)", "pipeline gap"), "coverage": ("Open pipeline ÷ remaining goal", "pipeline coverage"),
    ]

    /// As `pipeline()` gives them, in this order.
    var record: RecordObject {
        RecordObject([
            ("period_start", .date(period.start)), ("period_end", .date(period.end)),
            ("goal", .money(goal)), ("won", .money(won)), ("open", .money(open)), ("weighted", .money(weighted)),
            ("later", .money(later)), ("overdue", .money(overdue)), ("overdue_deals", .number(Double(overdueCount))),
            ("gap", .money(gap)), ("needed", needed.map(Value.money) ?? .nil),
            ("pipeline_gap", pipelineGap.map(Value.money) ?? .nil), ("coverage", coverage.map(Value.number) ?? .nil),
        ])
    }
}

/// The deals' money for a plan period, added up deal by deal: the one place that says
/// where a deal counts (see `PipelineFigures`).
struct DealTotals {
    let period: PlanPeriod
    let today: Day
    var won: Money.Total, open: Money.Total, weighted: Money.Total
    var later: Money.Total, overdue: Money.Total
    var overdueDeals = 0
    /// Open deals, whatever their close date.
    var openDeals = 0

    /// - Parameter currency: the plan's (every deal's value is in it).
    init(period: PlanPeriod, today: Day, currency: Currency) {
        self.period = period
        self.today = today
        (won, open, weighted) = (Money.Total(currency), Money.Total(currency), Money.Total(currency))
        (later, overdue) = (Money.Total(currency), Money.Total(currency))
    }

    mutating func add(_ deal: Entity) {
        let value = Builtins.money(deal[DerivedFields.Known.value], won.currency)
        var close: Day?
        if case .date(let day)? = deal[DerivedFields.Known.close] { close = day }
        let inPeriod = period.holds(deal)
        switch DerivedFields.rank(deal[DerivedFields.Known.stage]) {
        case 6:
            if inPeriod { won.add(value) }
        case 0:
            break
        default:
            openDeals += 1
            if let close, close < today {
                overdue.add(value)
                overdueDeals += 1
            }
            if inPeriod {
                open.add(value)
                weighted.add(value.scaled(by: WinChance.of(deal)) ?? value.with(cents: 0))
            } else if let close, close > period.end {
                later.add(value)
            }
        }
    }
}

extension Money {
    /// a − b in cents, or a problem when it does not fit.
    static func difference(_ a: Money, _ b: Money) throws(PipelineProblem) -> Int64 {
        let (cents, overflow) = a.cents.subtractingReportingOverflow(b.cents)
        if overflow { throw PipelineProblem("a money total is too large") }
        return cents
    }

    /// a + b, held at the largest (or smallest) amount rather than wrapping: for sums
    /// that are shown but never counted on (white-space values, wallets).
    static func saturating(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// A running sum of amounts of one currency that reports, rather than wraps, past
    /// what money holds.
    struct Total {
        let currency: Currency
        private var cents: Int64 = 0
        private var overflowed = false
        /// An amount in another currency (never expected: fields are converted as they
        /// are stored), refused rather than relabelled.
        private var foreign: Currency?

        init(_ currency: Currency) { self.currency = currency }

        mutating func add(_ amount: Money) {
            guard amount.currency == currency else { foreign = amount.currency; return }
            let (next, overflow) = cents.addingReportingOverflow(amount.cents)
            if overflow { overflowed = true } else { cents = next }
        }

        func sum() throws(PipelineProblem) -> Money {
            if let foreign { throw PipelineProblem("amounts in \(foreign.code) and \(currency.code) cannot be added") }
            if overflowed { throw PipelineProblem("a money total is too large") }
            return Money(cents: cents, currency: currency)
        }
    }
}
