// The plan as a readable report, independent of its final form: sections of facts,
// tables and lists, built once from the plan and rendered as Markdown or HTML. The
// figures (pipeline, ranking, white space, rule violations) come from PlanFigures.

/// One cell of a report table; `tone` names a colour class (support, white-space state).
struct ReportCell {
    var text: String
    var tone: String?
    init(_ text: String, tone: String? = nil) {
        self.text = text
        self.tone = tone
    }
}

struct ReportTable {
    var caption: String?
    var columns: [String]
    /// Columns whose values are amounts (right-aligned).
    var numeric: Set<Int>
    var rows: [[ReportCell]]
}

/// A section of the report: a heading, then facts (label: value), paragraphs, tables
/// and a bulleted list, in that order.
struct ReportSection {
    var id: String
    var title: String
    var facts: [(label: String, value: String)] = []
    var paragraphs: [String] = []
    var tables: [ReportTable] = []
    var items: [String] = []
    /// Pictures the HTML form shows (the Markdown form has its own: a Mermaid map).
    var picture: Picture?

    enum Picture { case stakeholderMap, pipeline, whiteSpace, ranking }
}

/// The report of a plan.
struct PlanReport {
    let title: String
    let sections: [ReportSection]
    let violations: [Violation]
    /// `pipeline()` as label and value.
    let pipeline: [(name: String, value: Value)]
    let ranked: [RankedDeal]

    init(_ export: PlanExport) throws(ExportError) {
        let account = export.singleton("account")
        title = "Account plan" + (account.map { ": " + $0.name } ?? "")
        pipeline = try export.pipelineFigures()
        ranked = try export.ranking()
        violations = export.violations()
        var sections: [ReportSection] = []
        let r = ReportBuilder(export: export)
        sections.append(r.profile())
        try export.interrupt.check()
        sections.append(r.organisation())
        try export.interrupt.check()
        sections.append(r.stakeholders())
        try export.interrupt.check()
        sections.append(r.team())
        try export.interrupt.check()
        sections.append(r.business())
        try export.interrupt.check()
        sections.append(try r.opportunities(pipeline: pipeline))
        try export.interrupt.check()
        sections.append(r.competition())
        try export.interrupt.check()
        sections.append(r.whiteSpace())
        try export.interrupt.check()
        sections.append(r.ranking(ranked))
        try export.interrupt.check()
        sections += r.dealSheets(ranked)
        try export.interrupt.check()
        sections.append(r.execution())
        try export.interrupt.check()
        sections.append(r.rules(violations))
        try export.interrupt.check()
        self.sections = sections.filter { !$0.facts.isEmpty || !$0.tables.isEmpty || !$0.items.isEmpty || !$0.paragraphs.isEmpty }
    }
}

/// Builds each section from the plan.
struct ReportBuilder {
    let export: PlanExport

    /// A value as a reader wants it: names for entities, scale words without
    /// underscores, lists joined.
    func text(_ value: Value?) -> String {
        guard let value else { return "" }
        switch value {
        case .nil: return ""
        case .level(let level): return level.name.replacingOccurrences(of: "_", with: " ")
        case .entity(let entity): return entity.name
        case .list(let list): return list.items.map { text($0) }.joined(separator: ", ")
        case .record(let record):
            return zip(record.shape.keys, record.values).map { key, item in
                let who = export.plan.entity(id: key)?.name ?? key
                let what = text(item)
                return what.isEmpty ? who : "\(who): \(what)"
            }.joined(separator: "; ")
        case .function, .builtin: return export.functionSource(value, span: nil)
        default: return value.display
        }
    }

    func text(_ entity: Entity, _ field: String) -> String {
        if let index = entity.kind.index[field], case .function = entity.kind.fields[index].type {
            return export.functionSource(entity.field(index), span: entity.codeSpan(index))
        }
        return text(entity[field] ?? export.derived(entity, field))
    }

    /// A table of entities with the given fields as columns ("name" is the title or id).
    func table(_ kind: String, _ columns: [(title: String, field: String)], numeric: Set<String> = [],
               tone: (Entity, String) -> String? = { _, _ in nil }) -> ReportTable? {
        let entities = export.entities(kind)
        guard !entities.isEmpty else { return nil }
        return ReportTable(caption: nil, columns: columns.map(\.title),
                           numeric: Set(columns.indices.filter { numeric.contains(columns[$0].field) }),
                           rows: entities.map { entity in columns.map { ReportCell(text(entity, $0.field), tone: tone(entity, $0.field)) } })
    }

    func profile() -> ReportSection {
        var section = ReportSection(id: "profile", title: "Account profile")
        if let account = export.singleton("account") {
            for (label, field) in [("Industry", "industry"), ("Headquarters", "hq"), ("Locations", "locations"), ("Mission", "mission"),
                                   ("Our vision", "vision"), ("KPIs", "kpis"), ("Industry trends", "trends"),
                                   ("Revenue last year", "revenue_last_year"), ("Revenue this year", "revenue_this_year"),
                                   ("Revenue goal", "revenue_goal"), ("Close ratio", "close_ratio")] {
                let value = text(account, field)
                if !value.isEmpty { section.facts.append((label, value)) }
            }
        }
        if let strategy = export.singleton("strategy") {
            section.facts.append(("Strategy", [text(strategy, "primary"), text(strategy, "secondary")].filter { !$0.isEmpty }.joined(separator: "; then ")))
            let rationale = text(strategy, "rationale")
            if !rationale.isEmpty { section.facts.append(("Why", rationale)) }
        }
        if let plan = export.singleton("plan") {
            let status = [("status", "Plan status"), ("owner", "owner"), ("version", "version"), ("review_every", "reviewed every"), ("last_review", "last review")]
                .compactMap { field, label -> String? in
                    let value = text(plan, field)
                    return value.isEmpty ? nil : (field == "status" ? value : "\(label) \(value)")
                }
            section.facts.append(("Plan", status.joined(separator: ", ")))
        }
        section.items = export.entities("event").map { event in
            let note = text(event, "note")
            return "\(text(event, "date")): \(event.name)" + (note.isEmpty ? "" : " — " + note)
        }
        return section
    }

    func organisation() -> ReportSection {
        var section = ReportSection(id: "organisation", title: "Organisation")
        // Units in tree order (each after its parent), so the indentation reads as nesting.
        let declared = export.entities("unit")
        var units: [Entity] = []
        var placed = Set<Entity>()
        func visit(_ unit: Entity) {
            guard placed.insert(unit).inserted else { return }
            units.append(unit)
            for child in declared {
                if case .entity(let parent)? = child["parent"], parent == unit { visit(child) }
            }
        }
        for unit in declared {
            if case .entity(let parent)? = unit["parent"], declared.contains(where: { $0 == parent }) { continue }
            visit(unit)
        }
        declared.forEach(visit)  // units in a parent cycle
        func depth(_ unit: Entity) -> Int {
            var depth = 0, seen: Set<Entity> = [unit]
            var parent = unit["parent"]
            while case .entity(let next)? = parent, seen.insert(next).inserted {
                depth += 1
                parent = next["parent"]
            }
            return depth
        }
        if !units.isEmpty {
            // Each unit's figures count the units below it (a division holds its plants' deals).
            section.tables.append(ReportTable(caption: "Each unit with the units below it; open pipeline: deals closing in the plan period",
                                              columns: ["Unit", "Kind", "Part of", "Head", "People", "Open deals", "Open pipeline", "Recurring"],
                                              numeric: [4, 5, 6, 7], rows: units.map { unit in
                var cells = [ReportCell(String(repeating: "· ", count: depth(unit)) + unit.name), ReportCell(text(unit, "kind")),
                             ReportCell(text(unit, "parent")), ReportCell(text(unit, "head"))]
                guard case .record(let figures)? = export.derived(unit, "all_figures") else { return cells + Array(repeating: ReportCell(""), count: 4) }
                for key in ["people", "open_deals", "open", "recurring"] { cells.append(ReportCell(figures[key].map(PlanExport.show) ?? "")) }
                return cells
            }))
        }
        if let offerings = table("offering", [("Offering", "name"), ("Family", "family"), ("Note", "note")]) {
            var offerings = offerings
            offerings.caption = "What we sell"
            section.tables.append(offerings)
        }
        return section
    }

    func stakeholders() -> ReportSection {
        var section = ReportSection(id: "stakeholders", title: "Stakeholders")
        section.picture = .stakeholderMap
        let supportTone: (Entity, String) -> String? = { entity, field in
            guard field == "support" || field == "name" else { return nil }
            if case .level(let level)? = entity["support"] { return "support-" + (Mermaid.supportClass(level.rank)) }
            return field == "support" ? "support-unknown" : nil
        }
        if let people = table("stakeholder", [("Name", "name"), ("Title", "title"), ("Unit", "unit"), ("Reports to", "reports_to"),
                                              ("Roles", "roles"), ("Influence", "influence"), ("Support", "support"), ("Status", "status"),
                                              ("Coverage", "coverage"), ("Covered by", "covered_by"), ("Relationship", "relationship"),
                                              ("Aim", "desired_relationship"), ("Last contact", "last_contact")],
                              numeric: ["influence"], tone: supportTone) {
            section.tables.append(people)
        }
        var lines: [[ReportCell]] = export.entities("influence").map { line in
            [ReportCell(text(line, "from")), ReportCell("influences"), ReportCell(text(line, "to")), ReportCell(text(line, "strength")), ReportCell(text(line, "note"))]
        }
        lines += export.entities("conflict").map { line in
            [ReportCell(text(line, "from")), ReportCell("conflict with", tone: "conflict"), ReportCell(text(line, "to")), ReportCell(""), ReportCell(text(line, "note"))]
        }
        if !lines.isEmpty {
            section.tables.append(ReportTable(caption: "Lines of influence and conflict", columns: ["From", "Line", "To", "Strength", "Note"], numeric: [], rows: lines))
        }
        let criteria = export.entities("stakeholder").compactMap { person -> String? in
            let wants = text(person, "criteria"), strategy = text(person, "strategy")
            guard !wants.isEmpty || !strategy.isEmpty else { return nil }
            return "\(person.name): " + [wants.isEmpty ? nil : "wants \(wants)", strategy.isEmpty ? nil : "our strategy: \(strategy)"].compactMap { $0 }.joined(separator: "; ")
        }
        section.items = criteria
        return section
    }

    func team() -> ReportSection {
        var section = ReportSection(id: "team", title: "Our team and partners")
        if let members = table("member", [("Member", "name"), ("Role", "role"), ("Capacity (hours)", "capacity"), ("Covers", "covers")], numeric: ["capacity"]) {
            section.tables.append(members)
        }
        if let partners = table("partner", [("Partner", "name"), ("Value to us", "value_to_us"), ("Value to them", "value_to_them"), ("Covers", "covers")]) {
            section.tables.append(partners)
        }
        return section
    }

    func business() -> ReportSection {
        var section = ReportSection(id: "business", title: "Drivers, initiatives and pains")
        if let drivers = table("driver", [("Driver", "name"), ("Note", "note")]) { section.tables.append(drivers) }
        if let initiatives = table("initiative", [("Initiative", "name"), ("Driver", "driver"), ("Sponsor", "sponsor"), ("Unit", "unit"),
                                                  ("Budget", "budget"), ("Due", "due")], numeric: ["budget"]) { section.tables.append(initiatives) }
        if let pains = table("pain", [("Pain", "name"), ("Initiative", "initiative"), ("Felt by", "owner"), ("Cost", "cost")], numeric: ["cost"]) {
            section.tables.append(pains)
        }
        return section
    }

    func opportunities(pipeline: [(name: String, value: Value)]) throws(ExportError) -> ReportSection {
        var section = ReportSection(id: "opportunities", title: "Opportunities and pipeline")
        section.picture = .pipeline
        section.facts = pipeline.map { (PipelineFigures.names[$0.name]?.report ?? $0.name, text($0.value)) }
        if let deals = table("opportunity", [("Opportunity", "name"), ("Stage", "stage"), ("Value", "value"), ("Probability", "probability"),
                                             ("Weighted", "weighted"), ("Close", "close"), ("Unit", "unit"), ("Offering", "offering"),
                                             ("Type", "type"), ("Owner", "owner"), ("Roles covered", "roles"), ("Next step", "next_step")],
                             numeric: ["value", "probability", "weighted"]) {
            section.tables.append(deals)
        }
        let stages = try export.pipelineByStage()
        if !stages.isEmpty {
            section.tables.append(ReportTable(caption: "Open pipeline by stage", columns: ["Stage", "Deals", "Value", "Weighted"], numeric: [1, 2, 3],
                                              rows: stages.map { [ReportCell($0.stage.replacingOccurrences(of: "_", with: " ")), ReportCell(String($0.count)),
                                                                  ReportCell(text($0.value)), ReportCell(text($0.weighted))] }))
        }
        if var contracts = table("contract", [("Contract", "name"), ("Unit", "unit"), ("Offering", "offering"), ("Annual value", "annual_value"),
                                              ("Start", "start"), ("Renewal", "renewal")], numeric: ["annual_value"]) {
            contracts.caption = "Recurring revenue"
            section.tables.append(contracts)
            if let recurring = try? RecurringRevenue(export.plan, today: export.today) {
                section.facts.append(("Recurring revenue a year", recurring.annual.formatted))
                section.facts.append(("Renewing in the plan period", "\(recurring.renewingValue.formatted) (\(recurring.renewingInPeriod.map(\.name).joined(separator: ", ")))"))
                if !recurring.withoutDeal.isEmpty {
                    section.facts.append(("Renewals no deal covers", recurring.withoutDeal.map(\.name).joined(separator: ", ")))
                }
            }
        }
        return section
    }

    func competition() -> ReportSection {
        var section = ReportSection(id: "competition", title: "Competition")
        if let competitors = table("competitor", [("Competitor", "name"), ("Presence", "presence"), ("Strengths", "strengths"), ("Weaknesses", "weaknesses")]) {
            section.tables.append(competitors)
        }
        if let swot = export.singleton("swot") {
            section.facts = [("Our strengths", "strengths"), ("Our weaknesses", "weaknesses"), ("Opportunities", "opportunities"), ("Threats", "threats")]
                .compactMap { label, field in
                    let value = text(swot, field)
                    return value.isEmpty ? nil : (label, value)
                }
        }
        return section
    }

    func whiteSpace() -> ReportSection {
        var section = ReportSection(id: "whitespace", title: "White space")
        section.picture = .whiteSpace
        let matrix = export.whiteSpace
        guard !matrix.rows.isEmpty, !matrix.offerings.isEmpty else { return section }
        section.tables.append(ReportTable(caption: nil, columns: ["Unit"] + matrix.offerings.map(\.name) + ["Potential"],
                                          numeric: [matrix.offerings.count + 1],
                                          rows: matrix.rows.map { row in
            [ReportCell(row.unit.name)] + row.cells.map { ReportCell($0.state.isEmpty ? "" : $0.text, tone: $0.state.isEmpty ? nil : "ws-" + $0.state) }
                + [ReportCell(row.potential.formatted)]
        }))
        section.facts = [("Total potential", matrix.totalPotential.formatted)]
        if let wallet = try? ShareOfWallet.record(export.plan, today: export.today), case .percent(let share)? = wallet["share"],
           case .money(let spend)? = wallet["wallet"] {
            section.facts.append(("Share of wallet", "\(Value.percent(share).display) of \(spend.formatted) a year (won and recurring)"))
        }
        return section
    }

    func ranking(_ ranked: [RankedDeal]) -> ReportSection {
        var section = ReportSection(id: "ranking", title: "Ranked opportunities")
        section.picture = .ranking
        let criteria = export.criteria
        guard !criteria.isEmpty else { return section }
        section.tables.append(ReportTable(caption: "Criteria", columns: ["Criterion", "Weight", "Score function"], numeric: [1],
                                          rows: criteria.map { [ReportCell($0.name), ReportCell(text($0, "weight")), ReportCell(text($0, "score"))] }))
        if !ranked.isEmpty {
            section.tables.append(ReportTable(caption: "Open opportunities, best first", columns: ["#", "Opportunity", "Value"] + criteria.map(\.name) + ["Score"],
                                              numeric: Set([0, 2] + Array(3...(3 + criteria.count))),
                                              rows: ranked.enumerated().map { number, item in
                [ReportCell(String(number + 1)), ReportCell(item.deal.name), ReportCell(text(item.deal, "value"))]
                    + item.parts.map { ReportCell(formatNumber($0)) } + [ReportCell(formatNumber(item.score))]
            }))
        }
        return section
    }

    func execution() -> ReportSection {
        var section = ReportSection(id: "execution", title: "Execution plan")
        if let objectives = table("objective", [("Objective", "name"), ("Measure", "measure"), ("Target", "target"), ("Now", "current"),
                                                ("Due", "due"), ("Owner", "owner")], numeric: ["target", "current"]) { section.tables.append(objectives) }
        if let actions = table("action", [("Action", "name"), ("Owner", "owner"), ("Due", "due"), ("Status", "status"), ("Objective", "objective"),
                                          ("Opportunity", "opportunity"), ("Stakeholder", "stakeholder")]) { section.tables.append(actions) }
        if let milestones = table("milestone", [("Milestone", "name"), ("Date", "date"), ("Objective", "objective"), ("Done", "done")]) {
            section.tables.append(milestones)
        }
        return section
    }

    func rules(_ violations: [Violation]) -> ReportSection {
        var section = ReportSection(id: "rules", title: "Checks and rule violations")
        let rules = export.plan.rules.count
        let source = "the built-in checks" + (rules == 0 ? "" : " and the plan's \(rules) rule\(rules == 1 ? "" : "s")")
        if violations.isEmpty {
            section.paragraphs = ["Nothing found by \(source)."]
        } else {
            section.paragraphs = ["\(violations.count) finding\(violations.count == 1 ? "" : "s") from \(source), as mapl check reports them."]
            section.tables.append(ReportTable(caption: nil, columns: ["Check or rule", "Finding", "Where"], numeric: [],
                                              rows: violations.map { [ReportCell($0.rule), ReportCell($0.message, tone: $0.isError ? "error" : "warning"), ReportCell($0.location)] }))
        }
        return section
    }
}
