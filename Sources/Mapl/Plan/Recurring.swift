// Recurring revenue, roll-ups and share of wallet: what the account pays us every year
// (active contracts), which renewals fall in the plan period or in the next 90 days and
// whether a deal covers them, each unit's figures with and without the units below it,
// and our share of what the account spends in our category.

/// The units of a plan as a tree: the units below a unit, whatever the declaration order,
/// safe against a `parent` cycle; and what belongs to each unit (people, deals,
/// contracts, white-space cells), gathered once per plan version (see `Plan.unitTree`)
/// so that every unit's figures cost its own subtree, not the whole plan.
struct UnitTree {
    private var children: [Entity: [Entity]] = [:]
    /// By unit, the entities of each kind whose `unit` is that unit.
    private var members: [Entity: [String: [Entity]]] = [:]

    init(_ plan: Plan) {
        for unit in Schema.kind(named: "unit").map(plan.entities) ?? [] {
            if case .entity(let parent)? = unit["parent"] { children[parent, default: []].append(unit) }
        }
        for kind in ["stakeholder", "opportunity", "contract", "whitespace"] {
            for entity in Schema.kind(named: kind).map(plan.entities) ?? [] {
                if case .entity(let owner)? = entity["unit"] { members[owner, default: [:]][kind, default: []].append(entity) }
            }
        }
    }

    /// The entities of a kind whose unit is `unit`, in declaration order.
    func members(of unit: Entity, _ kind: String) -> [Entity] { members[unit]?[kind] ?? [] }

    /// The units right below a unit.
    func children(of unit: Entity) -> [Entity] { children[unit] ?? [] }

    /// The unit and every unit below it, the unit first.
    func withSubunits(_ unit: Entity) -> [Entity] {
        var found = [unit], seen: Set<Entity> = [unit], next = 0
        while next < found.count {
            for child in children[found[next]] ?? [] where seen.insert(child).inserted { found.append(child) }
            next += 1
        }
        return found
    }
}

/// A unit's figures, for the unit alone or with every unit below it. Money is for the
/// plan period as in `pipeline()`; recurring is the annual value of active contracts.
struct UnitFigures {
    let unit: Entity
    var people = 0
    var deals: DealTotals
    var recurring: Money.Total, potential: Money.Total
    /// The unit's declared wallet; with subunits, when the unit declares none, the sum
    /// of the wallets declared nearest below it (a wallet covers the units below it).
    var wallet: Money?

    /// The keys of `record()`: in a query over these rows they mean the row's field.
    static let keys = ["unit", "people", "open_deals", "open", "weighted", "won", "recurring", "potential", "wallet", "share"]

    init(_ unit: Entity, in plan: Plan, today: Day, withSubunits: Bool) throws(PipelineProblem) {
        self.unit = unit
        let tree = plan.unitTree
        let units = withSubunits ? tree.withSubunits(unit) : [unit]
        let currency = plan.currency
        deals = DealTotals(period: try PlanPeriod.of(plan, today: today), today: today, currency: currency)
        (recurring, potential) = (Money.Total(currency), Money.Total(currency))
        func entities(_ kind: String) -> [Entity] { units.flatMap { tree.members(of: $0, kind) } }
        people = entities("stakeholder").count
        for deal in entities("opportunity") { deals.add(deal) }
        for contract in entities("contract") where WhiteSpace.isActive(contract, today: today) {
            recurring.add(Builtins.money(contract["annual_value"], currency))
        }
        for cell in entities("whitespace") {
            let state = (cell["state"].flatMap { if case .level(let level) = $0 { return level.name } else { return nil } }) ?? "potential"
            if state == "potential" { potential.add(Builtins.money(cell["value"], currency)) }
        }
        if case .money(let declared)? = unit["wallet"] {
            wallet = declared
        } else if withSubunits {
            var found: [Money] = [], pending = tree.children(of: unit), seen: Set<Entity> = [unit]
            while let next = pending.popLast() {
                guard seen.insert(next).inserted else { continue }
                if case .money(let declared)? = next["wallet"] { found.append(declared) } else { pending += tree.children(of: next) }
            }
            if !found.isEmpty { wallet = Money(cents: found.reduce(0) { Money.saturating($0, $1.cents) }, currency: currency) }
        }
    }

    /// {unit, people, open_deals, open, weighted, won, recurring, potential, wallet, share}.
    func record() throws(PipelineProblem) -> RecordObject {
        let won = try deals.won.sum(), recurring = try self.recurring.sum()
        return RecordObject([
            ("unit", .entity(unit)), ("people", .number(Double(people))), ("open_deals", .number(Double(deals.openDeals))),
            ("open", .money(try deals.open.sum())), ("weighted", .money(try deals.weighted.sum())), ("won", .money(won)),
            ("recurring", .money(recurring)), ("potential", .money(try potential.sum())),
            ("wallet", wallet.map(Value.money) ?? .nil), ("share", ShareOfWallet.share(won: won, recurring: recurring, of: wallet)),
        ])
    }
}

/// Recurring revenue: active contracts, and the renewals to come.
struct RecurringRevenue {
    let annual: Money
    let renewingInPeriod: [Entity]
    let renewingValue: Money
    let renewingSoon: [Entity]
    /// Contracts renewing in the period that no open or won deal names in `renews`.
    let withoutDeal: [Entity]

    /// Renewals within this many days count as soon.
    static let soon: Int32 = 90

    init(_ plan: Plan, today: Day) throws(PipelineProblem) {
        let period = try PlanPeriod.of(plan, today: today)
        let contracts = Schema.kind(named: "contract").map(plan.entities) ?? []
        var covered = Set<Entity>()
        for deal in Schema.kind(named: "opportunity").map(plan.entities) ?? [] where DerivedFields.rank(deal["stage"]) != 0 {
            if case .entity(let contract)? = deal["renews"] { covered.insert(contract) }
        }
        let currency = plan.currency
        var annual = Money.Total(currency), renewing = Money.Total(currency)
        var inPeriod: [Entity] = [], soon: [Entity] = []
        for contract in contracts where WhiteSpace.isActive(contract, today: today) {
            annual.add(Builtins.money(contract["annual_value"], currency))
            guard case .date(let renewal)? = contract["renewal"] else { continue }
            if period.contains(renewal) {
                inPeriod.append(contract)
                renewing.add(Builtins.money(contract["annual_value"], currency))
            }
            if renewal.ordinal - today.ordinal <= RecurringRevenue.soon { soon.append(contract) }
        }
        self.annual = try annual.sum()
        renewingInPeriod = inPeriod
        renewingValue = try renewing.sum()
        renewingSoon = soon
        withoutDeal = inPeriod.filter { !covered.contains($0) }
    }

    static let keys = ["annual", "renewing", "renewing_value", "renewing_soon", "renewals_without_deal"]

    /// As `recurring()` gives it.
    var record: RecordObject {
        RecordObject([
            ("annual", .money(annual)), ("renewing", Builtins.list(renewingInPeriod)), ("renewing_value", .money(renewingValue)),
            ("renewing_soon", Builtins.list(renewingSoon)), ("renewals_without_deal", Builtins.list(withoutDeal)),
        ])
    }
}

/// Our share of what the account spends in our category: (won + recurring) ÷ wallet.
enum ShareOfWallet {
    static func share(won: Money, recurring: Money, of wallet: Money?) -> Value {
        guard let wallet, wallet.cents > 0 else { return .nil }
        return .percent((Double(won.cents) + Double(recurring.cents)) / Double(wallet.cents))
    }

    /// {wallet, won, recurring, share} for the account.
    static func record(_ plan: Plan, today: Day) throws(PipelineProblem) -> RecordObject {
        let account = Schema.kind(named: "account").flatMap(plan.singleton)
        var wallet: Money?
        if case .money(let declared)? = account?["wallet"] { wallet = declared }
        let won = try PipelineFigures(plan, today: today).won, recurring = try RecurringRevenue(plan, today: today).annual
        return RecordObject([
            ("wallet", wallet.map(Value.money) ?? .nil), ("won", .money(won)), ("recurring", .money(recurring)),
            ("share", share(won: won, recurring: recurring, of: wallet)),
        ])
    }
}

extension Builtins {
    /// Runs `body`, turning a problem with the plan's figures into an error of `name`.
    static func figures<T>(_ name: String, _ context: CallContext, _ body: () throws(PipelineProblem) -> T) throws -> T {
        do throws(PipelineProblem) { return try body() } catch { throw context.fail(name, error.message) }
    }

    static let revenueEntries: [Entry] = [
        Entry(name: "recurring", arity: Arity(0), doc: "recurring(): recurring revenue as {annual (active contracts' annual value), renewing (contracts renewing in the plan period), renewing_value, renewing_soon (within 90 days), renewals_without_deal (renewing in the period with no deal that renews them)}") { _, context in
            .record(try figures("recurring", context) { () throws(PipelineProblem) in try RecurringRevenue(context.machine.plan, today: context.machine.today).record })
        },
        Entry(name: "share_of_wallet", arity: Arity(0), doc: "share_of_wallet(): {wallet, won, recurring, share}: what the account spends in our category (account.wallet) and our share of it, (won + recurring) ÷ wallet") { _, context in
            .record(try figures("share_of_wallet", context) { () throws(PipelineProblem) in try ShareOfWallet.record(context.machine.plan, today: context.machine.today) })
        },
        Entry(name: "unit_figures", arity: Arity(min: 0, max: 1), doc: "unit_figures(with_subunits?): one row per unit: {unit, people, open_deals, open, weighted, won, recurring, potential, wallet, share}, counting the units below each unit unless with_subunits is false") { args, context in
            var withSubunits = true
            if let flag = args.first {
                guard case .bool(let given) = flag else { throw context.fail("unit_figures", "with_subunits must be true or false") }
                withSubunits = given
            }
            let plan = context.machine.plan, today = context.machine.today
            let units = Schema.kind(named: "unit").map(plan.entities) ?? []
            return .list(ListObject(ContiguousArray(try figures("unit_figures", context) { () throws(PipelineProblem) in
                try units.map { unit throws(PipelineProblem) in .record(try UnitFigures(unit, in: plan, today: today, withSubunits: withSubunits).record()) }
            })))
        },
    ]
}
