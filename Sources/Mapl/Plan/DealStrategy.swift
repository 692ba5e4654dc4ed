// Opportunity strategy as the planning guides and the Blue Sheet ask for it: which deals
// are at risk and why, and one deal's sheet (its buying influences by role with their
// support, coverage and our relationship; red flags, strengths and the next step).

enum DealStrategy {
    /// Why an open deal is at risk, in a fixed order; empty when nothing is wrong.
    static func risks(of deal: Entity, plan: Plan, today: Day) -> [String] {
        var reasons: [String] = []
        if case .list(let flags)? = deal["red_flags"] {
            reasons += flags.items.map { "red flag: \($0.display)" }
        }
        let influences = buyingInfluences(of: deal, plan: plan)
        if !influences.contains(where: { $0.role.name == "coach" }) { reasons.append("no coach") }
        let buyers = influences.filter { $0.role.name == "economic_buyer" }
        if buyers.isEmpty {
            reasons.append("no economic buyer identified")
        } else if buyers.allSatisfy({ (DerivedFields.rank($0.person["support"]) ?? 0) < 1 }) {
            reasons.append("economic buyer not supportive (\(buyers.map { "\($0.person.name), \(($0.person["support"] ?? .nil).display)" }.joined(separator: "; ")))")
        }
        if case .date(let close)? = deal["close"], close < today { reasons.append("close date \(Value.date(close).display) has passed") }
        if (deal["next_step"] ?? .nil).isEqual(to: .nil) { reasons.append("no next step") }
        return reasons
    }

    /// The people in a deal with each buying role they play in it (the roles given in
    /// `involves`, else the person's own roles), in the order of the buying-role scale.
    static func buyingInfluences(of deal: Entity, plan: Plan) -> [(role: Level, person: Entity)] {
        guard case .record(let involved)? = deal["involves"] else { return [] }
        var found: [(role: Level, person: Entity)] = []
        for (id, value) in zip(involved.shape.keys, involved.values) {
            guard let person = plan.entity(id: id) else { continue }
            var roles: [Level] = []
            if case .list(let list) = value { roles = list.items.compactMap { if case .level(let level) = $0 { level } else { nil } } }
            if roles.isEmpty { roles = DerivedFields.roles(of: person) }
            found += roles.map { ($0, person) }
        }
        return found.enumerated().sorted { ($0.element.role.rank, $0.offset) < ($1.element.role.rank, $1.offset) }.map(\.element)
    }

    /// The deal's facts for its sheet, as label and text, those that are given.
    static func facts(of deal: Entity, plan: Plan, today: Day) -> [(String, String)] {
        func text(_ field: String) -> String? {
            guard let value = deal[field] ?? DerivedFields.value(deal, field, plan: plan, today: today), !value.isEqual(to: .nil) else { return nil }
            if case .list(let list) = value { return list.items.isEmpty ? nil : list.items.map { PlanExport.show($0) }.joined(separator: "; ") }
            return PlanExport.show(value)
        }
        let labels = [("Value", "value"), ("Stage", "stage"), ("Chance", "chance"), ("Weighted", "weighted"), ("Close", "close"),
                      ("Owner", "owner"), ("Compelling event", "compelling_event"), ("Decision process", "decision_process"),
                      ("Funding", "funding"), ("Partners", "partners"), ("Competitors", "competitors"),
                      ("Red flags", "red_flags"), ("Our strengths", "differentiators"), ("Next step", "next_step")]
        return labels.compactMap { label, field in text(field).map { (label, $0) } }
    }

    /// The sheet as text, for the REPL and scripts.
    static func sheet(of deal: Entity, plan: Plan, today: Day) -> String {
        var lines = ["Deal sheet: \(deal.name) (\(deal.id))"]
        let facts = facts(of: deal, plan: plan, today: today)
        let width = facts.map(\.0.count).max() ?? 0
        lines += facts.map { "  " + $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 }
        lines.append("Buying influences:")
        let influences = buyingInfluences(of: deal, plan: plan)
        if influences.isEmpty { lines.append("  (nobody recorded in involves)") }
        let rows = influences.map { influence in
            [influence.role.name, influence.person.name] + ["support", "coverage", "relationship"].map { PlanExport.show(influence.person[$0] ?? .nil) }
        }
        let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            lines.append("  " + zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ").trailingSpacesTrimmedForSheet)
        }
        for role in ["economic_buyer", "coach"] where !influences.contains(where: { $0.role.name == role }) {
            lines.append("  \(role): nobody yet")
        }
        let risks = risks(of: deal, plan: plan, today: today)
        lines.append("At risk: " + (risks.isEmpty ? "nothing found" : risks.joined(separator: "; ")))
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate var trailingSpacesTrimmedForSheet: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

extension Builtins {
    static func opportunity(_ name: String, _ value: Value, _ context: CallContext) throws -> Entity {
        guard case .entity(let deal) = value, deal.kind.name == "opportunity" else {
            throw context.fail(name, "expected an opportunity, found \(FieldConversion.describe(value))")
        }
        return deal
    }

    static let dealStrategyEntries: [Entry] = [
        Entry(name: "deals_at_risk", arity: Arity(0), doc: "deals_at_risk(): the open deals at risk, as {opportunity, reasons}: red flags, no coach, no economic buyer identified, economic buyer not supportive, close date passed, no next step") { _, context in
            let plan = context.machine.plan
            var found: ContiguousArray<Value> = []
            for deal in openDeals(plan) {
                let reasons = DealStrategy.risks(of: deal, plan: plan, today: context.machine.today)
                if reasons.isEmpty { continue }
                found.append(.record(RecordObject([("opportunity", .entity(deal)), ("reasons", .list(ListObject(ContiguousArray(reasons.map(Value.string)))))])))
            }
            return .list(ListObject(found))
        },
        Entry(name: "deal_sheet", arity: Arity(1), doc: "deal_sheet(o): the opportunity's sheet as text: its facts and strategy, the buying influences by role with their support, coverage and our relationship, and what puts it at risk") { args, context in
            let deal = try opportunity("deal_sheet", args[0], context)
            return .string(DealStrategy.sheet(of: deal, plan: home(deal, context), today: context.machine.today))
        },
    ]
}
