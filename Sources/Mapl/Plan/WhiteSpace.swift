// The white-space matrix: units × offerings, from the facts of the plan. A cell is
// current where we sell today (an active contract or a won deal), open where open deals
// are (with their value, also in a current cell: an upsell), and keeps what a declared
// `whitespace` cell says (potential with a value, or na). Each cell remembers the
// entities its state comes from.

struct WhiteSpace {
    struct Cell {
        /// An active contract, a won deal, or a declared `current` cell.
        var current = false
        /// The value of the open deals (or a declared `open` cell, with its value).
        var open: Money?
        /// A declared potential, with its estimated value when given.
        var potential: Money?
        var isPotential = false
        var notApplicable = false
        /// The contracts, deals and declared cells the state comes from, in plan order.
        var sources: [Entity] = []

        init() {}

        /// A cell of one state (the legend of the pictures).
        init(state: String, value: Money? = nil) {
            switch state {
            case "current": current = true
            case "open": open = value ?? Money(cents: 0, currency: .unstated)
            case "potential": isPotential = true; potential = value
            case "na": notApplicable = true
            default: break
            }
        }

        /// The state that leads: current, then open, potential, na; "" for an empty cell.
        var state: String {
            if current { return "current" }
            if open != nil { return "open" }
            if isPotential { return "potential" }
            return notApplicable ? "na" : ""
        }

        /// The value of the leading state's money (for shading).
        var value: Money? { state == "open" ? open : potential }

        var text: String {
            var parts: [String] = []
            if current { parts.append("current") }
            if let open { parts.append(open.cents > 0 ? "open \(open.formatted)" : "open") }
            if isPotential { parts.append(potential.map { "potential \($0.formatted)" } ?? "potential") }
            if parts.isEmpty && notApplicable { parts.append("n/a") }
            return parts.joined(separator: ", ")
        }
    }

    struct Row {
        let unit: Entity
        var cells: [Cell]
        var potential: Money
    }

    let offerings: [Entity]
    let rows: [Row]
    /// The plan's: every amount in the matrix is in it.
    let currency: Currency

    /// The potential of every row (held at the largest amount rather than wrapping).
    var totalPotential: Money { Money(cents: rows.reduce(0) { Money.saturating($0, $1.potential.cents) }, currency: currency) }

    /// - Parameter today: contracts are active from their start to their renewal date.
    init(plan: Plan, today: Day) {
        let units = Schema.kind(named: "unit").map(plan.entities) ?? []
        let offerings = Schema.kind(named: "offering").map(plan.entities) ?? []
        self.offerings = offerings
        let currency = plan.currency, nothing = Money(cents: 0, currency: currency)
        self.currency = currency
        var rows = units.map { Row(unit: $0, cells: Array(repeating: Cell(), count: offerings.count), potential: nothing) }
        func position(_ entity: Entity, _ field: String, in list: [Entity]) -> Int? {
            guard case .entity(let target)? = entity[field] else { return nil }
            return list.firstIndex { $0 == target }
        }
        func update(_ entity: Entity, _ change: (inout Cell) -> Void) {
            guard let row = position(entity, "unit", in: units), let column = position(entity, "offering", in: offerings) else { return }
            change(&rows[row].cells[column])
            rows[row].cells[column].sources.append(entity)
        }
        for contract in Schema.kind(named: "contract").map(plan.entities) ?? [] where WhiteSpace.isActive(contract, today: today) {
            update(contract) { $0.current = true }
        }
        for deal in Schema.kind(named: "opportunity").map(plan.entities) ?? [] {
            switch DerivedFields.rank(deal["stage"]) {
            case 6: update(deal) { $0.current = true }
            case 0: continue
            default: update(deal) { $0.open = nothing.with(cents: Money.saturating($0.open?.cents ?? 0, Builtins.money(deal["value"], currency).cents)) }
            }
        }
        for declared in Schema.kind(named: "whitespace").map(plan.entities) ?? [] {
            let state = (declared["state"].flatMap { if case .level(let level) = $0 { return level.name } else { return nil } }) ?? "potential"
            var value: Money?
            if case .money(let amount)? = declared["value"] { value = amount }
            update(declared) { cell in
                switch state {
                case "current": cell.current = true
                case "open": cell.open = cell.open ?? value ?? nothing
                case "na": cell.notApplicable = true
                default: cell.isPotential = true; cell.potential = value
                }
            }
        }
        for index in rows.indices {
            rows[index].potential = nothing.with(cents: rows[index].cells.reduce(0) { Money.saturating($0, $1.potential?.cents ?? 0) })
        }
        self.rows = rows
    }

    /// Whether a contract runs today: started (or no start given) and not past its
    /// renewal date (or none given).
    static func isActive(_ contract: Entity, today: Day) -> Bool {
        if case .date(let start)? = contract["start"], start > today { return false }
        if case .date(let renewal)? = contract["renewal"], renewal < today { return false }
        return true
    }
}

/// Scores opportunities by the plan's weighted criteria, keeping each contribution.
enum Ranking {
    static func rank(_ deals: [Value], plan: Plan, context: CallContext) throws -> Value {
        let criteria = Schema.kind(named: "criterion").map(plan.entities) ?? []
        guard !criteria.isEmpty else { throw context.fail("rank", "the plan declares no criterion to rank by") }
        var weights: [Double] = []
        for criterion in criteria {
            switch criterion["weight"] {
            case .percent(let p)?: weights.append(p)
            case .number(let n)?: weights.append(n)
            default: weights.append(1)
            }
        }
        let total = weights.reduce(0, +)
        guard total > 0 else { throw context.fail("rank", "the criteria's weights add up to zero") }
        func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
        var scored: [(deal: Value, score: Double, parts: [Double])] = []
        for deal in deals {
            var parts: [Double] = []
            for (criterion, weight) in zip(criteria, weights) {
                guard let function = criterion["score"], !(function.isEqual(to: .nil)) else {
                    throw context.fail("rank", "criterion '\(criterion.id)' has no score function")
                }
                let raw = try context.machine.call(function, [deal], top: context.top, span: context.span)
                let score: Double
                switch raw {
                case .number(let n): score = n
                case .percent(let p): score = p
                case .bool(let b): score = b ? 1 : 0
                case .nil: score = 0
                default: throw context.fail("rank", "criterion '\(criterion.id)' gave \(raw.typeName), not a number from 0 to 1")
                }
                parts.append(weight / total * score)
            }
            scored.append((deal, parts.reduce(0, +), parts))
        }
        let order = scored.indices.sorted { scored[$0].score != scored[$1].score ? scored[$0].score > scored[$1].score : $0 < $1 }
        return .list(ListObject(ContiguousArray(order.map { index in
            var pairs: [(String, Value)] = [("opportunity", scored[index].deal), ("score", .number(rounded(scored[index].score)))]
            for (criterion, part) in zip(criteria, scored[index].parts) { pairs.append((criterion.id, .number(rounded(part)))) }
            return .record(RecordObject(pairs))
        })))
    }
}
