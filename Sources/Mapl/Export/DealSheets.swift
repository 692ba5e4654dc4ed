// The report's deal sheets: for the top deals (by the plan's ranking, else by weighted
// value), the deal's facts and strategy, its buying influences by role and what puts it
// at risk, as DealStrategy gives them to deal_sheet().

extension ReportBuilder {
    /// How many deals get a sheet.
    static let dealSheetCount = 3

    func dealSheets(_ ranked: [RankedDeal]) -> [ReportSection] {
        let plan = export.plan, today = export.today
        var top = ranked.map(\.deal)
        if top.isEmpty {
            top = Builtins.openDeals(plan).enumerated().sorted { a, b in
                let currency = export.plan.currency
                let x = Builtins.money(export.derived(a.element, "weighted"), currency), y = Builtins.money(export.derived(b.element, "weighted"), currency)
                return x != y ? x > y : a.offset < b.offset
            }.map(\.element)
        }
        return top.prefix(ReportBuilder.dealSheetCount).map { deal in
            var section = ReportSection(id: "deal-\(deal.id)", title: "Deal sheet: \(deal.name)")
            section.facts = DealStrategy.facts(of: deal, plan: plan, today: today)
            let influences = DealStrategy.buyingInfluences(of: deal, plan: plan)
            if !influences.isEmpty {
                section.tables.append(ReportTable(caption: "Buying influences", columns: ["Role", "Person", "Support", "Coverage", "Relationship"], numeric: [],
                                                  rows: influences.map { influence in
                    [ReportCell(text(.level(influence.role))), ReportCell(influence.person.name)]
                        + ["support", "coverage", "relationship"].map { ReportCell(text(influence.person[$0])) }
                }))
            }
            let missing = ["economic_buyer", "coach"].filter { role in !influences.contains { $0.role.name == role } }
            section.items = missing.map { "No \($0.replacingOccurrences(of: "_", with: " ")) identified yet" }
            let risks = DealStrategy.risks(of: deal, plan: plan, today: today)
            if !risks.isEmpty { section.paragraphs = ["At risk: " + risks.joined(separator: "; ") + "."] }
            return section
        }
    }
}
