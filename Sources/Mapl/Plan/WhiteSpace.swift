// The white-space matrix: units × offerings. A cell is `current` where a contract
// exists, `open` where an open opportunity exists, and whatever a declared
// `whitespace` cell says (potential with a value, or na); declared cells win.

struct WhiteSpace {
    struct Cell {
        var state: String = ""
        var value: Money?

        var text: String {
            switch state {
            case "potential": return value.map { "potential \($0.formatted)" } ?? "potential"
            case "na": return "n/a"
            default: return state
            }
        }
    }

    struct Row {
        let unit: Entity
        var cells: [Cell]
        var potential: Money
    }

    let offerings: [Entity]
    let rows: [Row]

    init(plan: Plan) {
        let units = Schema.kind(named: "unit").map(plan.entities) ?? []
        let offerings = Schema.kind(named: "offering").map(plan.entities) ?? []
        self.offerings = offerings
        var rows = units.map { Row(unit: $0, cells: Array(repeating: Cell(), count: offerings.count), potential: Money(cents: 0)) }
        func position(_ entity: Entity, _ field: String, in list: [Entity]) -> Int? {
            guard case .entity(let target)? = entity[field] else { return nil }
            return list.firstIndex { $0 == target }
        }
        func mark(_ entity: Entity, _ state: String) {
            guard let row = position(entity, "unit", in: units), let column = position(entity, "offering", in: offerings) else { return }
            if rows[row].cells[column].state.isEmpty || state == "current" { rows[row].cells[column].state = state }
        }
        for deal in Builtins.openDeals(plan) { mark(deal, "open") }
        for contract in Schema.kind(named: "contract").map(plan.entities) ?? [] { mark(contract, "current") }
        for cell in Schema.kind(named: "whitespace").map(plan.entities) ?? [] {
            guard let row = position(cell, "unit", in: units), let column = position(cell, "offering", in: offerings) else { continue }
            let state = (cell["state"].flatMap { if case .level(let level) = $0 { return level.name } else { return nil } }) ?? "potential"
            var value: Money?
            if case .money(let amount)? = cell["value"] { value = amount }
            rows[row].cells[column] = Cell(state: state, value: value)
        }
        for index in rows.indices {
            rows[index].potential = Money(cents: rows[index].cells.reduce(0) { $0 + ($1.state == "potential" ? $1.value?.cents ?? 0 : 0) })
        }
        self.rows = rows
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
