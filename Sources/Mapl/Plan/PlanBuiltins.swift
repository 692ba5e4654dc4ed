// Built-ins that answer questions about the plan: the influence graph, coverage,
// money (pipeline, goal and gap, white space) and ranking by weighted criteria.

extension Builtins {
    static func person(_ name: String, _ value: Value, _ context: CallContext) throws -> Entity {
        guard case .entity(let entity) = value, entity.kind.name == "stakeholder" else {
            throw context.fail(name, "expected a stakeholder, found \(FieldConversion.describe(value))")
        }
        return entity
    }

    static func steps(_ name: String, _ args: Arguments, _ index: Int, _ context: CallContext) throws -> Int {
        guard args.count > index else { return 1 }
        let n = try number(name, args[index], context)
        guard n >= 1, n == n.rounded(), n <= 1_000_000 else { throw context.fail(name, "steps must be a whole number from 1") }
        return Int(n)
    }

    static func kind(_ name: String) -> EntityKind? { Schema.kind(named: name) }

    static func list(_ entities: [Entity]) -> Value {
        .list(ListObject(ContiguousArray(entities.map(Value.entity))))
    }

    /// A money field's amount, or nothing in `currency` (the plan's) when it is not set.
    static func money(_ value: Value?, _ currency: Currency) -> Money {
        if case .money(let money)? = value { return money }
        return Money(cents: 0, currency: currency)
    }

    /// The open deals closing in the plan period (or without a close date): the open
    /// pipeline of `pipeline()`.
    static func openDealsInPeriod(_ context: CallContext) throws -> [Entity] {
        let plan = context.machine.plan
        let period = try figures("pipeline_by", context) { () throws(PipelineProblem) in try PlanPeriod.of(plan, today: context.machine.today) }
        return openDeals(plan).filter(period.holds)
    }

    static func openDeals(_ plan: Plan) -> [Entity] {
        guard let kind = kind("opportunity") else { return [] }
        return plan.entities(of: kind).filter(DerivedFields.isOpen)
    }

    /// The total of amounts in the plan's currency (every field amount is in it).
    static func sum(_ amounts: [Money], _ context: CallContext) throws -> Money {
        var total: Int64 = 0
        for amount in amounts {
            let (next, overflow) = total.addingReportingOverflow(amount.cents)
            if overflow { throw RuntimeError(.overflow("money amount"), at: context.span) }
            total = next
        }
        return Money(cents: total, currency: context.machine.plan.currency)
    }

    static let planEntries: [Entry] = [
        // MARK: The influence graph
        Entry(name: "influencers", arity: Arity(min: 1, max: 2), doc: "influencers(person, steps?): who influences person, directly or within steps lines (nearest first)") { args, context in
            let target = try person("influencers", args[0], context)
            let graph = home(target, context).graph
            guard let node = graph.node(of: target) else { return .list(ListObject([])) }
            return .list(graph.peopleWithin(node, steps: try steps("influencers", args, 1, context), upstream: true))
        },
        Entry(name: "influenced", arity: Arity(min: 1, max: 2), doc: "influenced(person, steps?): whom person influences, directly or within steps lines") { args, context in
            let source = try person("influenced", args[0], context)
            let graph = home(source, context).graph
            guard let node = graph.node(of: source) else { return .list(ListObject([])) }
            return .list(graph.peopleWithin(node, steps: try steps("influenced", args, 1, context), upstream: false))
        },
        Entry(name: "strongest_path", arity: Arity(2), doc: "strongest_path(from, to): the chain of influence whose strengths multiply to the most, as {path, strength}; nil when there is none") { args, context in
            let from = try person("strongest_path", args[0], context), to = try person("strongest_path", args[1], context)
            let graph = home(from, context).graph
            guard let a = graph.node(of: from), let b = graph.node(of: to), let found = graph.strongestPath(from: a, to: b) else { return .nil }
            return .record(RecordObject([("path", list(found.path.map { graph.people[$0] })), ("strength", .percent(found.strength))]))
        },
        Entry(name: "centrality", arity: Arity(0), doc: "centrality(): stakeholders ranked by PageRank over influence lines, as {stakeholder, score}") { _, context in
            let graph = context.machine.plan.graph
            let ranks = graph.pageRank()
            let order = ranks.indices.sorted { ranks[$0] != ranks[$1] ? ranks[$0] > ranks[$1] : $0 < $1 }
            return .list(ListObject(ContiguousArray(order.map { node in
                .record(RecordObject([("stakeholder", .entity(graph.people[node])), ("score", .percent(ranks[node]))]))
            })))
        },
        Entry(name: "chain_of_command", arity: Arity(1), doc: "chain_of_command(person): their manager, that manager's manager, … (the formal line)") { args, context in
            let start = try person("chain_of_command", args[0], context)
            let graph = home(start, context).graph
            guard let node = graph.node(of: start) else { return .list(ListObject([])) }
            return list(graph.chainOfCommand(node).map { graph.people[$0] })
        },

        // MARK: Coverage
        Entry(name: "key_players", arity: Arity(0), doc: "key_players(): stakeholders with influence 7+ (high), economic buyers and approvers") { _, context in
            guard let kind = kind("stakeholder") else { return .list(ListObject([])) }
            return list(context.machine.plan.entities(of: kind).filter(DerivedFields.isKeyPlayer))
        },
        Entry(name: "uncovered_key_players", arity: Arity(0), doc: "uncovered_key_players(): key players no team member or partner covers") { _, context in
            let plan = context.machine.plan
            guard let kind = kind("stakeholder") else { return .list(ListObject([])) }
            return list(plan.entities(of: kind).filter { person in
                guard DerivedFields.isKeyPlayer(person), case .list(let coverers)? = DerivedFields.value(person, "covered_by", plan: plan, today: context.machine.today) else { return false }
                return coverers.items.isEmpty
            })
        },
        Entry(name: "supportive_key_players", arity: Arity(0), doc: "supportive_key_players(): key players who are supporters or champions (none is a warning sign)") { _, context in
            guard let kind = kind("stakeholder") else { return .list(ListObject([])) }
            return list(context.machine.plan.entities(of: kind).filter { DerivedFields.isKeyPlayer($0) && (DerivedFields.rank($0["support"]) ?? 0) >= 1 })
        },
        Entry(name: "not_contacted", arity: Arity(1), doc: "not_contacted(days): stakeholders whose last contact is more than days ago (a number or a duration like 90d), or never") { args, context in
            // The cut-off is a calendar day: today - 3mo, like the language's date arithmetic.
            let today = context.machine.today
            let cutoff: Value
            switch args[0] {
            case .number(let n):
                guard n >= 0, n == n.rounded(), n < 3_000_000 else { throw context.fail("not_contacted", "days must be a whole number from 0") }
                cutoff = .date(Day(ordinal: today.ordinal - Int32(n)))
            case .duration(let d):
                cutoff = try Operators.subtract(.date(today), .duration(d), context.span)
            default: throw context.fail("not_contacted", "expected a number of days or a duration, found \(args[0].typeName)")
            }
            guard let kind = kind("stakeholder"), case .date(let limit) = cutoff else { return .list(ListObject([])) }
            return list(context.machine.plan.entities(of: kind).filter { person in
                guard case .date(let day)? = person["last_contact"] else { return true }
                return day < limit
            })
        },
        Entry(name: "missing_roles", arity: Arity(min: 1, max: 2), doc: "missing_roles(opportunity, roles?): the buying roles (default: economic_buyer and coach) nobody involved in the deal plays") { args, context in
            guard case .entity(let deal) = args[0], deal.kind.name == "opportunity" else {
                throw context.fail("missing_roles", "expected an opportunity, found \(FieldConversion.describe(args[0]))")
            }
            var wanted: [String] = ["economic_buyer", "coach"]
            if args.count > 1 {
                wanted = try list("missing_roles", args[1], context).items.map { item in
                    switch item {
                    case .symbol(let name) where Scales.buyingRole.value(named: name) != nil: return name
                    case .level(let level) where level.scale == Scales.buyingRole.id: return level.name
                    default: throw context.fail("missing_roles", "roles must be buying roles like economic_buyer or coach")
                    }
                }
            }
            guard case .list(let present)? = DerivedFields.value(deal, "roles", plan: home(deal, context), today: context.machine.today) else { return .list(ListObject([])) }
            let missing = wanted.filter { name in !present.items.contains { $0.isEqual(to: .symbol(name)) } }
            return .list(ListObject(ContiguousArray(missing.map { Value.level(Level(scale: Scales.buyingRole.id, rank: Scales.buyingRole.value(named: $0)?.rank ?? 0)) })))
        },

        // MARK: Money
        Entry(name: "pipeline", arity: Arity(0), doc: "pipeline(): the money figures for the plan period: {period_start, period_end, goal, won, open, weighted, later, overdue, overdue_deals, gap, needed, pipeline_gap, coverage} (:help pipeline gives each formula)") { _, context in
            do throws(PipelineProblem) {
                return .record(try PipelineFigures(context.machine.plan, today: context.machine.today).record)
            } catch {
                throw context.fail("pipeline", error.message)
            }
        },
        Entry(name: "pipeline_by", arity: Arity(1), doc: "pipeline_by(field): the open opportunities of the plan period grouped by a field (\"stage\", \"type\", \"unit\", \"offering\"), as {field, count, value, weighted}") { args, context in
            let field: String
            switch args[0] {
            case .string(let name), .symbol(let name): field = name
            default: throw context.fail("pipeline_by", "expected a field name like \"stage\", found \(args[0].typeName)")
            }
            let plan = context.machine.plan
            guard let dealKind = kind("opportunity"), dealKind.field(field) != nil else {
                throw context.fail("pipeline_by", "opportunities have no field '\(field)'")
            }
            var groups: [(key: Value, deals: [Entity])] = []
            for deal in try openDealsInPeriod(context) {
                let key = deal[field] ?? .nil
                if let index = groups.firstIndex(where: { $0.key.isEqual(to: key) }) { groups[index].deals.append(deal) } else { groups.append((key, [deal])) }
            }
            // In the field's order (stage order for stages); deals without a value last.
            groups.sort { a, b in
                if case .nil = a.key { return false }
                if case .nil = b.key { return true }
                return a.key.compare(to: b.key).map { $0 < 0 } ?? false
            }
            return .list(ListObject(ContiguousArray(try groups.map { group in
                .record(RecordObject([
                    (field, group.key), ("count", .number(Double(group.deals.count))),
                    ("value", .money(try sum(group.deals.map { money($0["value"], plan.currency) }, context))),
                    ("weighted", .money(try sum(group.deals.map { money(DerivedFields.value($0, "weighted", plan: plan, today: context.machine.today), plan.currency) }, context))),
                ]))
            })))
        },
        Entry(name: "whitespace_matrix", arity: Arity(0), doc: "whitespace_matrix(): one row per unit, one column per offering: current (an active contract or a won deal), open (open deals, with their value; also beside current), potential (declared, with value) or n/a; plus each unit's potential total. whitespace_cells() says where each state comes from") { _, context in
            let matrix = WhiteSpace(plan: context.machine.plan, today: context.machine.today)
            return .list(ListObject(ContiguousArray(matrix.rows.map { row in
                var pairs: [(String, Value)] = [("unit", .entity(row.unit))]
                for (offering, cell) in zip(matrix.offerings, row.cells) { pairs.append((offering.id, .string(cell.text))) }
                pairs.append(("potential", .money(row.potential)))
                return .record(RecordObject(pairs))
            })))
        },
        Entry(name: "whitespace_cells", arity: Arity(0), doc: "whitespace_cells(): every cell of the white-space matrix that has a state, as {unit, offering, state, current, open, potential, from}: from lists the contracts, deals and declared cells the state comes from") { _, context in
            let matrix = WhiteSpace(plan: context.machine.plan, today: context.machine.today)
            var cells: ContiguousArray<Value> = []
            for row in matrix.rows {
                for (offering, cell) in zip(matrix.offerings, row.cells) where !cell.state.isEmpty {
                    cells.append(.record(RecordObject([
                        ("unit", .entity(row.unit)), ("offering", .entity(offering)), ("state", .string(cell.state)),
                        ("current", .bool(cell.current)), ("open", cell.open.map(Value.money) ?? .nil),
                        ("potential", cell.potential.map(Value.money) ?? .nil), ("from", list(cell.sources)),
                    ])))
                }
            }
            return .list(ListObject(cells))
        },
        Entry(name: "whitespace_potential", arity: Arity(0), doc: "whitespace_potential(): the total estimated value of all potential white-space cells") { _, context in
            .money(WhiteSpace(plan: context.machine.plan, today: context.machine.today).totalPotential)
        },
        Entry(name: "roti", arity: Arity(1), doc: "roti(opportunity): return on time invested, expected gross profit ÷ hours") { args, context in
            guard case .entity(let deal) = args[0], deal.kind.name == "opportunity" else {
                throw context.fail("roti", "expected an opportunity, found \(FieldConversion.describe(args[0]))")
            }
            return DerivedFields.value(deal, "roti", plan: home(deal, context), today: context.machine.today) ?? .nil
        },

        // MARK: Ranking
        Entry(name: "rank", arity: Arity(min: 0, max: 1), doc: "rank(opportunities?): opportunities (default: the open ones) scored by the declared criteria, best first, with each criterion's weighted contribution") { args, context in
            let plan = context.machine.plan
            let deals: [Value] = args.isEmpty ? openDeals(plan).map(Value.entity) : Array(try list("rank", args[0], context).items)
            return try Ranking.rank(deals, plan: plan, context: context)
        },
    ]
}
