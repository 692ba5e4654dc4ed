// The figures the reports show, taken from the language's own built-ins and plan code
// (pipeline(), rank(), pipeline_by(), the white-space matrix, the rule checks), so an
// export shows exactly what a script or `mapl check` would.

/// One opportunity of the ranked portfolio.
struct RankedDeal {
    let deal: Entity
    let score: Double
    /// Each criterion's weighted contribution, in criterion order.
    let parts: [Double]
}

/// One rule violation (or a rule that failed to run), with where it points.
struct Violation {
    let rule: String
    let message: String
    let location: String
    let isError: Bool
}

extension PlanExport {
    /// `pipeline()`: goal, won, open, weighted, gap, needed, coverage, as label and value.
    func pipelineFigures() throws(ExportError) -> [(name: String, value: Value)] {
        guard case .record(let record) = try call("pipeline") else { return [] }
        return zip(record.shape.keys, record.values).map { ($0, $1) }
    }

    /// `pipeline_by("stage")`: the open pipeline per stage.
    func pipelineByStage() throws(ExportError) -> [(stage: String, count: Int, value: Value, weighted: Value)] {
        guard case .list(let list) = try call("pipeline_by", [.string("stage")]) else { return [] }
        return list.items.compactMap { item in
            guard case .record(let row) = item else { return nil }
            var count = 0
            if case .number(let n)? = row["count"] { count = Int(n) }
            let stage = row["stage"].map { $0.isEqual(to: .nil) ? "(no stage)" : $0.display } ?? "(no stage)"
            return (stage, count, row["value"] ?? .nil, row["weighted"] ?? .nil)
        }
    }

    /// The declared criteria, in order.
    var criteria: [Entity] { entities("criterion") }

    /// `rank()`: the open opportunities by the declared criteria; empty without criteria.
    func ranking() throws(ExportError) -> [RankedDeal] {
        let criteria = self.criteria
        guard !criteria.isEmpty, case .list(let list) = try call("rank") else { return [] }
        return list.items.compactMap { item in
            guard case .record(let row) = item, case .entity(let deal)? = row["opportunity"] else { return nil }
            func number(_ value: Value?) -> Double {
                if case .number(let n)? = value { return n }
                return 0
            }
            return RankedDeal(deal: deal, score: number(row["score"]), parts: criteria.map { number(row[$0.id]) })
        }
    }

    /// The white-space matrix: units × offerings, as `whitespace_matrix()` builds it.
    var whiteSpace: WhiteSpace { WhiteSpace(plan: plan, today: today) }

    /// Every rule violation, as `mapl check` reports it.
    func violations() -> [Violation] {
        machine.checkPlan(top: top).map { diagnostic in
            var rule = "", message = diagnostic.message
            switch diagnostic.kind {
            case .ruleViolation(let id, let text), .checkFinding(let id, let text, _): rule = id; message = text
            default: break
            }
            return Violation(rule: rule, message: message, location: location(of: diagnostic.span), isError: diagnostic.severity == .error)
        }
    }

    /// A field's value as the language prints it, or "" when not set.
    func show(_ entity: Entity, _ field: String) -> String {
        guard let value = entity[field] ?? derived(entity, field) else { return "" }
        return PlanExport.show(value)
    }

    /// A value as the language prints it; entities by name, lists joined; nil as "".
    static func show(_ value: Value) -> String {
        switch value {
        case .nil: return ""
        case .entity(let entity): return entity.name
        case .list(let list): return list.items.map(show).joined(separator: ", ")
        case .record(let record): return zip(record.shape.keys, record.values).map { "\($0): \(show($1))" }.joined(separator: ", ")
        default: return value.display
        }
    }
}
