// Fields computed from the plan rather than declared: `o.weighted`, `o.roti`,
// `s.covered_by`, `s.key_player`, … Each is documented in `docs` for :help.

enum DerivedFields {
    /// The fields of people and deals read for every one of them (checks, figures).
    enum Known {
        static let influence = KnownField("stakeholder", "influence")
        static let roles = KnownField("stakeholder", "roles")
        static let support = KnownField("stakeholder", "support")
        static let lastContact = KnownField("stakeholder", "last_contact")
        static let stage = KnownField("opportunity", "stage")
        static let value = KnownField("opportunity", "value")
        static let close = KnownField("opportunity", "close")
        static let probability = KnownField("opportunity", "probability")
        static let involves = KnownField("opportunity", "involves")
    }

    static let docs: [String: [(name: String, doc: String)]] = [
        "*": [("id", "the entity's id"), ("name", "its title, or its id"), ("kind", "its kind, e.g. \"stakeholder\""),
              ("account", "the account of the plan it belongs to (tells plans opened with open_plan apart)")],
        "stakeholder": [
            ("covered_by", "team members and partners who cover them"),
            ("reports", "their direct reports"),
            ("influencers", "people with a line of influence to them"),
            ("influenced", "people they have a line of influence to"),
            ("key_player", "true for influence 7+ (high), an economic buyer or an approver"),
            ("supportive", "true for supporter or champion"),
            ("days_since_contact", "days since last_contact (nil when never)"),
        ],
        "opportunity": [
            ("weighted", "value × chance"),
            ("chance", "the chance of winning: 100% when won, 0% when lost, else the probability, or the stage's default when none is given"),
            ("overdue", "true when open and its close date has passed"),
            ("roti", "return on time invested: egp ÷ hours"),
            ("open", "true unless won or lost"),
            ("people", "the stakeholders involved"),
            ("roles", "the buying roles covered by the people involved"),
            ("days_to_close", "days from today to the close date"),
        ],
        "unit": [("subunits", "units whose parent it is"), ("people", "its stakeholders"), ("deals", "its opportunities"),
                 ("contracts", "its contracts"), ("all_subunits", "every unit below it"),
                 ("all_people", "the stakeholders of it and every unit below it"), ("all_deals", "the opportunities of it and every unit below it"),
                 ("all_contracts", "the contracts of it and every unit below it"),
                 ("figures", "{unit, people, open_deals, open, weighted, won, recurring, potential, wallet, share} for the unit alone"),
                 ("all_figures", "the same with every unit below it")],
        "contract": [("active", "true from its start to its renewal date")],
        "member": [("covering", "the stakeholders they cover")],
    ]

    static let names: Set<String> = Set(docs.values.flatMap { $0.map(\.name) })

    static func value(_ entity: Entity, _ field: String, plan: Plan, today: Day) -> Value? {
        switch field {
        case "id": return .string(entity.id)
        case "name": return .string(entity.name)
        case "kind": return .string(entity.kind.name)
        case "account": return Schema.kind(named: "account").flatMap(plan.singleton).map(Value.entity) ?? .nil
        default: break
        }
        switch entity.kind.name {
        case "stakeholder": return stakeholder(entity, field, plan: plan, today: today)
        case "opportunity": return opportunity(entity, field, plan: plan, today: today)
        case "unit":
            switch field {
            case "subunits": return list(plan, "unit") { $0["parent"].map { refers($0, to: entity) } ?? false }
            case "people": return list(plan, "stakeholder") { $0["unit"].map { refers($0, to: entity) } ?? false }
            case "deals": return list(plan, "opportunity") { $0["unit"].map { refers($0, to: entity) } ?? false }
            case "contracts": return list(plan, "contract") { $0["unit"].map { refers($0, to: entity) } ?? false }
            default: return rolledUp(entity, field, plan: plan, today: today)
            }
        case "contract":
            return field == "active" ? .bool(WhiteSpace.isActive(entity, today: today)) : nil
        case "member":
            return field == "covering" ? entity["covers"] ?? .list(ListObject([])) : nil
        default:
            return nil
        }
    }

    /// A unit's fields that count the units below it too (`all_deals`, `all_figures`, …).
    private static func rolledUp(_ unit: Entity, _ field: String, plan: Plan, today: Day) -> Value? {
        func within(_ kind: String) -> Value {
            // In declaration order (the rows of one kind's table), as `u.deals` lists them.
            let tree = plan.unitTree
            let found = tree.withSubunits(unit).flatMap { tree.members(of: $0, kind) }.sorted { $0.row < $1.row }
            return .list(ListObject(ContiguousArray(found.map(Value.entity))))
        }
        switch field {
        case "all_subunits": return .list(ListObject(ContiguousArray(plan.unitTree.withSubunits(unit).dropFirst().map(Value.entity))))
        case "all_people": return within("stakeholder")
        case "all_deals": return within("opportunity")
        case "all_contracts": return within("contract")
        case "figures", "all_figures":
            // (A plan period that ends before it starts is reported by pipeline().)
            let figures = try? UnitFigures(unit, in: plan, today: today, withSubunits: field == "all_figures").record()
            return figures.map(Value.record) ?? .nil
        default: return nil
        }
    }

    /// Every field of an entity that has a value, declared then derived, after its id and
    /// name: what `:show` and `print` of a one-per-plan entity (`print(swot)`) list.
    static func card(of entity: Entity, plan: Plan, today: Day) -> [(name: String, value: Value)] {
        var out: [(name: String, value: Value)] = [("id", .string(entity.id)), ("name", .string(entity.name))]
        for (index, spec) in entity.kind.fields.enumerated() {
            let value = entity.field(index)
            if case .nil = value { continue }
            out.append((spec.name, value))
        }
        for (name, _) in docs[entity.kind.name] ?? [] {
            guard let value = value(entity, name, plan: plan, today: today) else { continue }
            if case .nil = value { continue }
            out.append((name, value))
        }
        return out
    }

    static func refers(_ value: Value, to entity: Entity) -> Bool {
        switch value {
        case .entity(let other): return other == entity
        case .list(let list): return list.items.contains { refers($0, to: entity) }
        default: return false
        }
    }

    private static func list(_ plan: Plan, _ kind: String, _ keep: (Entity) -> Bool) -> Value {
        guard let kind = Schema.kind(named: kind) else { return .list(ListObject([])) }
        return .list(ListObject(ContiguousArray(plan.entities(of: kind).filter(keep).map { .entity($0) })))
    }

    static func rank(_ value: Value?) -> Double? {
        if case .level(let level)? = value { return level.rank }
        return nil
    }

    static func roles(of entity: Entity) -> [Level] {
        guard case .list(let list)? = entity[Known.roles] else { return [] }
        return list.items.compactMap { if case .level(let level) = $0 { return level } else { return nil } }
    }

    /// Whether a deal is open: neither won nor lost (a deal without a stage is open).
    static func isOpen(_ deal: Entity) -> Bool {
        guard let stage = rank(deal[Known.stage]) else { return true }
        return stage != 0 && stage != 6
    }

    /// The ranks of the buying roles that make a key player.
    private static let keyRoleRanks = ["economic_buyer", "approver"].compactMap { Scales.buyingRole.value(named: $0)?.rank }

    static func isKeyPlayer(_ person: Entity) -> Bool {
        if let influence = rank(person[Known.influence]), influence >= 7 { return true }
        guard case .list(let list)? = person[Known.roles] else { return false }
        return list.items.contains { item in
            guard case .level(let role) = item else { return false }
            return role.scale == Scales.buyingRole.id && !role.isNumeric && keyRoleRanks.contains(role.rank)
        }
    }

    private static func stakeholder(_ person: Entity, _ field: String, plan: Plan, today: Day) -> Value? {
        switch field {
        case "covered_by":
            var covering: [Value] = []
            for kindName in ["member", "partner"] {
                guard let kind = Schema.kind(named: kindName) else { continue }
                plan.forEach(of: kind) { coverer in
                    if coverer["covers"].map({ refers($0, to: person) }) ?? false { covering.append(.entity(coverer)) }
                }
            }
            return .list(ListObject(ContiguousArray(covering)))
        case "reports":
            return list(plan, "stakeholder") { $0["reports_to"].map { refers($0, to: person) } ?? false }
        case "influencers", "influenced":
            let graph = plan.graph
            guard let node = graph.node(of: person) else { return .list(ListObject([])) }
            var seen: Set<Int> = []
            let nodes = graph.neighbours(node, upstream: field == "influencers").map(\.node).filter { seen.insert($0).inserted }.sorted()
            let people = nodes.map { Value.entity(graph.people[$0]) }
            return .list(ListObject(ContiguousArray(people)))
        case "key_player": return .bool(isKeyPlayer(person))
        case "supportive": return .bool((rank(person[Known.support]) ?? 0) >= 1)
        case "days_since_contact":
            guard case .date(let day)? = person[Known.lastContact] else { return .nil }
            return .number(Double(today.ordinal - day.ordinal))
        default: return nil
        }
    }

    private static func opportunity(_ deal: Entity, _ field: String, plan: Plan, today: Day) -> Value? {
        switch field {
        case "weighted":
            guard case .money(let value)? = deal[Known.value] else { return .nil }
            return value.scaled(by: WinChance.of(deal)).map(Value.money) ?? .nil
        case "chance":
            return .percent(WinChance.of(deal))
        case "overdue":
            guard isOpen(deal), case .date(let close)? = deal[Known.close] else { return .bool(false) }
            return .bool(close < today)
        case "roti":
            guard case .money(let profit)? = deal["egp"], case .number(let hours)? = deal["hours"], hours > 0 else { return .nil }
            return profit.divided(by: hours).map(Value.money) ?? .nil
        case "open":
            return .bool(isOpen(deal))
        case "people":
            guard case .record(let involved)? = deal[Known.involves] else { return .list(ListObject([])) }
            return .list(ListObject(ContiguousArray(involved.shape.keys.compactMap { plan.entity(id: $0).map(Value.entity) })))
        case "roles":
            var seen: [Level] = []
            if case .record(let involved)? = deal[Known.involves] {
                for (id, value) in zip(involved.shape.keys, involved.values) {
                    var dealRoles: [Level] = []
                    if case .list(let list) = value {
                        dealRoles = list.items.compactMap { if case .level(let level) = $0 { return level } else { return nil } }
                    }
                    if dealRoles.isEmpty, let person = plan.entity(id: id) { dealRoles = roles(of: person) }
                    for role in dealRoles where !seen.contains(role) { seen.append(role) }
                }
            }
            return .list(ListObject(ContiguousArray(seen.map(Value.level))))
        case "days_to_close":
            guard case .date(let day)? = deal[Known.close] else { return .nil }
            return .number(Double(day.ordinal - today.ordinal))
        default: return nil
        }
    }
}
