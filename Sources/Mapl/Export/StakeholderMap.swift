// The stakeholder map every picture draws (DOT, Mermaid, the built-in SVG): people
// grouped by unit (nested as the units are), the formal reporting lines, the lines of
// influence and conflict, and for each person their support, influence, buying roles
// and who on our side covers them. Everything is in declaration order.

/// The stakeholder map of a plan, independent of any drawing format.
struct StakeholderMap {
    struct Person {
        let entity: Entity
        let id: String
        let name: String
        let title: String?
        /// Rank on the support scale (-2 enemy … 2 champion); nil when not recorded.
        let support: Double?
        let supportName: String?
        /// 0–10; nil when not recorded.
        let influence: Double?
        /// `high (9)`, `7`.
        let influenceLabel: String?
        let roles: [String]
        /// Names of the team members and partners who cover them.
        let coveredBy: [String]
        /// Position of their unit's group in `groups`; nil when they have no unit.
        let group: Int?
        /// How many managers are above them (0 at the top of the formal line).
        let depth: Int
    }

    /// A unit that holds people, directly or in its sub-units.
    struct Group {
        let unit: Entity
        /// The enclosing group, if its parent unit holds people too.
        let parent: Int?
        /// Positions in `people` of the people directly in this unit.
        var members: [Int]
        var children: [Int]
    }

    enum LineKind {
        /// Formal line, from manager to report.
        case reportsTo
        /// Informal influence with its strength (0–1), if given.
        case influence(strength: Double?, label: String?)
        case conflict(note: String?)
    }

    struct Line {
        let from: Int
        let to: Int
        let kind: LineKind
    }

    var people: [Person] = []
    var groups: [Group] = []
    /// Groups whose unit has no parent group, in unit declaration order.
    var roots: [Int] = []
    /// People with no unit.
    var ungrouped: [Int] = []
    var lines: [Line] = []

    init(_ export: PlanExport) {
        let stakeholders = export.entities("stakeholder")
        let groupOf = groupUnits(export.entities("unit"), holding: stakeholders)
        for (position, entity) in stakeholders.enumerated() {
            let group = Self.ref(entity, "unit").flatMap { groupOf[$0] }
            if let group { groups[group].members.append(position) } else { ungrouped.append(position) }
            people.append(Self.person(entity, group: group, export: export))
        }
        addLines(stakeholders, export: export)
    }

    /// The entity a field refers to, if it refers to one.
    private static func ref(_ entity: Entity, _ field: String) -> Entity? {
        if case .entity(let target)? = entity[field] { return target }
        return nil
    }

    /// Makes a group of each unit that holds people, directly or below, kept with its
    /// nearest such parent (or as a root); returns each grouped unit's group.
    private mutating func groupUnits(_ units: [Entity], holding stakeholders: [Entity]) -> [Entity: Int] {
        var holds = Set<Entity>()
        for person in stakeholders {
            var unit = Self.ref(person, "unit")
            var seen = Set<Entity>()
            while let current = unit, seen.insert(current).inserted {
                holds.insert(current)
                unit = Self.ref(current, "parent")
            }
        }
        var groupOf: [Entity: Int] = [:]
        for unit in units where holds.contains(unit) {
            groupOf[unit] = groups.count
            groups.append(Group(unit: unit, parent: nil, members: [], children: []))
        }
        for position in groups.indices {
            // The nearest ancestor that is a group (a parent cycle ends the walk).
            var parent = Self.ref(groups[position].unit, "parent")
            var seen: Set<Entity> = [groups[position].unit]
            var found: Int?
            while let current = parent, seen.insert(current).inserted {
                if let group = groupOf[current] { found = group; break }
                parent = Self.ref(current, "parent")
            }
            if let found {
                groups[position] = Group(unit: groups[position].unit, parent: found, members: [], children: [])
                groups[found].children.append(position)
            } else {
                roots.append(position)
            }
        }
        return groupOf
    }

    /// What the map shows of a stakeholder.
    private static func person(_ entity: Entity, group: Int?, export: PlanExport) -> Person {
        var depth = 0
        var manager = ref(entity, "reports_to")
        var seen: Set<Entity> = [entity]
        while let current = manager, seen.insert(current).inserted {
            depth += 1
            manager = ref(current, "reports_to")
        }
        var support: Double?, supportName: String?, influence: Double?, influenceLabel: String?
        if case .level(let level)? = entity["support"] { support = level.rank; supportName = level.name }
        if case .level(let level)? = entity["influence"] {
            influence = level.rank
            influenceLabel = level.isNumeric ? level.name : "\(level.name) (\(formatNumber(level.rank)))"
        }
        var roles: [String] = []
        if case .list(let list)? = entity["roles"] {
            roles = list.items.compactMap { if case .level(let level) = $0 { return level.name } else { return nil } }
        }
        var coveredBy: [String] = []
        if case .list(let list)? = export.derived(entity, "covered_by") {
            coveredBy = list.items.compactMap { if case .entity(let who) = $0 { return who.name } else { return nil } }
        }
        var title: String?
        if case .string(let text)? = entity["title"] { title = text }
        return Person(entity: entity, id: entity.id, name: entity.name, title: title, support: support,
                      supportName: supportName, influence: influence, influenceLabel: influenceLabel,
                      roles: roles, coveredBy: coveredBy, group: group, depth: depth)
    }

    /// The formal lines, then the influence lines, then the conflicts (those between
    /// two stakeholders).
    private mutating func addLines(_ stakeholders: [Entity], export: PlanExport) {
        var index: [Entity: Int] = [:]
        for (position, person) in stakeholders.enumerated() { index[person] = position }
        for (position, entity) in stakeholders.enumerated() {
            if let manager = Self.ref(entity, "reports_to").flatMap({ index[$0] }) {
                lines.append(Line(from: manager, to: position, kind: .reportsTo))
            }
        }
        for line in export.entities("influence") {
            guard let from = Self.ref(line, "from").flatMap({ index[$0] }),
                  let to = Self.ref(line, "to").flatMap({ index[$0] }) else { continue }
            var strength: Double?, label: String?
            if case .level(let level)? = line["strength"] { strength = level.rank; label = level.name }
            lines.append(Line(from: from, to: to, kind: .influence(strength: strength, label: label)))
        }
        for line in export.entities("conflict") {
            guard let from = Self.ref(line, "from").flatMap({ index[$0] }),
                  let to = Self.ref(line, "to").flatMap({ index[$0] }) else { continue }
            var note: String?
            if case .string(let text)? = line["note"] { note = text }
            lines.append(Line(from: from, to: to, kind: .conflict(note: note)))
        }
    }

    /// The groups in drawing order: each root, then its sub-groups depth first.
    var groupOrder: [Int] {
        var order: [Int] = []
        func visit(_ group: Int) {
            order.append(group)
            groups[group].children.forEach(visit)
        }
        roots.forEach(visit)
        return order
    }
}

/// The colours of the support scale, shared by every picture: green for champions
/// through red for enemies, grey where support is not recorded.
enum SupportPalette {
    /// (fill, border) for a support rank.
    static func colors(_ rank: Double?) -> (fill: String, stroke: String) {
        guard let rank else { return ("#f5f5f5", "#9e9e9e") }
        switch rank {
        case ..<(-1.5): return ("#ef9a9a", "#c62828")  // enemy
        case ..<(-0.5): return ("#ffcc80", "#ef6c00")  // non-supporter
        case ..<0.5: return ("#fff59d", "#f9a825")      // neutral
        case ..<1.5: return ("#c5e1a5", "#558b2f")      // supporter
        default: return ("#81c784", "#1b5e20")          // champion
        }
    }

    /// The legend: each support level with its colours, lowest first.
    static var legend: [(name: String, fill: String, stroke: String)] {
        Scales.support.values.map { value in
            let (fill, stroke) = colors(value.rank)
            return (value.name, fill, stroke)
        } + [("not recorded", colors(nil).fill, colors(nil).stroke)]
    }
}
