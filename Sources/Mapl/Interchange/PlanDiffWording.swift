// The words for one changed field (`support: non_supporter → neutral (up)`, `close:
// 2027-02-26 → 2027-03-31 (slipped 33 days)`) and for the facts of a new or removed
// entity. Entities are shown by name, values as people read them.

extension PlanDiff {
    /// One line per field that differs; lists compare as sets (`roles: + coach, − approver`).
    static func fieldChanges(_ previous: Entity, _ old: PlanVersion, _ entity: Entity, _ new: PlanVersion) -> [String] {
        var lines: [String] = []
        for (index, spec) in entity.kind.fields.enumerated() {
            let before = old.value(previous, index), after = new.value(entity, index)
            if before == after { continue }
            let label = spec.name.replacingOccurrences(of: "_", with: " ")
            switch spec.type {
            case .levels, .refs, .texts:
                let itemType = itemTypeOf(spec.type)
                let change = setChange(items(before), old, items(after), new, itemType)
                if !change.isEmpty { lines.append("\(label): \(change)") }
            case .refMap(_, let valueType), .levelMap(_, let valueType):
                let change = mapChange(before, old, after, new, valueType)
                if !change.isEmpty { lines.append("\(label): \(change)") }
            case .text, .number, .money, .percent, .date, .duration, .bool, .level, .ref, .function, .measure:
                let suffix = direction(spec, before, after).map { " (\($0))" } ?? ""
                lines.append("\(label): \(display(before, spec.type, old)) → \(display(after, spec.type, new))\(suffix)")
            }
        }
        if entity.kind.name == "stakeholder" {
            // Who on our team covers them is declared on the members and partners.
            let change = setChange(coverers(of: previous, old), old, coverers(of: entity, new), new, .ref(["member", "partner"]))
            if !change.isEmpty { lines.append("covered by: \(change)") }
        }
        return lines
    }

    /// Ids of the members and partners whose `covers` lists the stakeholder.
    private static func coverers(of person: Entity, _ version: PlanVersion) -> [FieldValue] {
        var found: [FieldValue] = []
        for kindName in ["member", "partner"] {
            guard let kind = Schema.kind(named: kindName), let index = kind.index["covers"] else { continue }
            for coverer in version.plan.entities(of: kind) where coverer.hasDeclaredID {
                if items(version.value(coverer, index)).contains(.word(person.id)) { found.append(.word(coverer.id)) }
            }
        }
        return found
    }

    private static func items(_ value: FieldValue?) -> [FieldValue] {
        if case .list(let items)? = value { return items }
        return value.map { [$0] } ?? []
    }

    private static func itemTypeOf(_ type: FieldType) -> FieldType {
        switch type {
        case .levels(let scale): return .level(scale)
        case .refs(let kinds): return .ref(kinds)
        case .texts: return .text
        case .text, .number, .money, .percent, .date, .duration, .bool, .level, .ref, .refMap, .levelMap, .function, .measure: return type
        }
    }

    /// `+ coach, − approver`; empty when only the order differs.
    private static func setChange(_ before: [FieldValue], _ old: PlanVersion, _ after: [FieldValue], _ new: PlanVersion, _ type: FieldType) -> String {
        let added = after.filter { !before.contains($0) }.map { "+ " + display($0, type, new) }
        let removed = before.filter { !after.contains($0) }.map { "− " + display($0, type, old) }
        return (added + removed).joined(separator: ", ")
    }

    /// `+ Ana Lopez [user], − Marco Ruiz, Omar Haddad [economic_buyer] → [economic_buyer, approver]`
    private static func mapChange(_ before: FieldValue?, _ old: PlanVersion, _ after: FieldValue?, _ new: PlanVersion, _ valueType: FieldType) -> String {
        func entries(_ value: FieldValue?) -> [FieldValue.MapEntry] {
            if case .map(let entries)? = value { return entries }
            return []
        }
        let was = entries(before), now = entries(after)
        var parts: [String] = []
        for entry in now {
            let name = new.name(of: entry.name)
            guard let previous = was.first(where: { $0.name == entry.name }) else {
                parts.append("+ \(name) \(display(entry.value, valueType, new))")
                continue
            }
            if previous.value != entry.value {
                parts.append("\(name) \(display(previous.value, valueType, old)) → \(display(entry.value, valueType, new))")
            }
        }
        for entry in was where !now.contains(where: { $0.name == entry.name }) { parts.append("− " + old.name(of: entry.name)) }
        return parts.joined(separator: ", ")
    }

    /// Which way a value moved, in the words the field calls for; nil when it has no
    /// direction or one side is missing.
    private static func direction(_ spec: FieldSpec, _ before: FieldValue?, _ after: FieldValue?) -> String? {
        guard let before, let after else { return nil }
        switch (spec.type, before, after) {
        case (.level(let scale), _, _) where scale.isOrdered:
            guard let a = rank(before, scale), let b = rank(after, scale), a != b else { return nil }
            if scale === Scales.stage { return b > a ? "forward" : "back" }
            return b > a ? "up" : "down"
        case (_, .money(let a), .money(let b)):
            guard a.currency == b.currency else { return nil }
            let delta = b.with(cents: b.cents &- a.cents)
            return delta.cents >= 0 ? "+" + delta.formatted : delta.formatted
        case (_, .date(let a), .date(let b)):
            let days = Int(b.ordinal) - Int(a.ordinal)
            let count = "\(abs(days)) day\(abs(days) == 1 ? "" : "s")"
            switch spec.name {
            case "close": return days > 0 ? "slipped \(count)" : "pulled in \(count)"
            case "last_contact": return nil
            default: return days > 0 ? "\(count) later" : "\(count) earlier"
            }
        case (_, .number(let a), .number(let b)), (_, .percent(let a), .percent(let b)):
            return b > a ? "up" : "down"
        default:
            return nil
        }
    }

    private static func rank(_ value: FieldValue, _ scale: Scale) -> Double? {
        switch value {
        case .word(let name): return scale.value(named: name)?.rank
        case .number(let number): return number
        case .percent(let fraction): return fraction
        default: return nil
        }
    }

    /// A value as a person reads it: entities by name, money with separators, texts quoted.
    static func display(_ value: FieldValue?, _ type: FieldType, _ version: PlanVersion) -> String {
        guard let value else { return "(none)" }
        switch value {
        case .text(let text): return quote(text)
        case .number(let number): return formatNumber(number)
        case .money(let money): return money.formatted
        case .percent(let fraction): return formatPercent(fraction)
        case .date(let day): return day.formatted
        case .duration(let duration): return duration.formatted
        case .bool(let flag): return flag ? "yes" : "no"
        case .code(let code): return code
        case .word(let word):
            switch type {
            case .ref, .refs: return version.name(of: word)
            case .text, .texts, .number, .money, .percent, .date, .duration, .bool, .level, .levels, .refMap, .levelMap, .function, .measure: return word
            }
        case .list(let items): return "[" + items.map { display($0, itemTypeOf(type), version) }.joined(separator: ", ") + "]"
        case .map(let entries):
            let valueType: FieldType
            switch type {
            case .refMap(_, let inner), .levelMap(_, let inner): valueType = inner
            default: valueType = type
            }
            return "{" + entries.map { "\(version.name(of: $0.name)): " + display($0.value, valueType, version) }.joined(separator: ", ") + "}"
        }
    }

    /// The facts of a new or removed entity, the fields its kind shows in tables:
    /// `title "CFO", unit Finance, influence high`.
    static func summary(_ entity: Entity, in version: PlanVersion) -> String? {
        // The ends of an influence line or a white-space cell are already in its label.
        let shownInLabel: Set<String> = entity.hasDeclaredID ? [] : ["from", "to", "unit", "offering"]
        let parts = entity.kind.columns.compactMap { column -> String? in
            guard !shownInLabel.contains(column), let index = entity.kind.index[column], let value = version.value(entity, index) else { return nil }
            return "\(column.replacingOccurrences(of: "_", with: " ")) " + display(value, entity.kind.fields[index].type, version)
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// The value and close date of an opportunity that was won or lost.
    static func closingSummary(_ entity: Entity, in version: PlanVersion) -> String? {
        let parts = ["value", "close"].compactMap { field -> String? in
            guard let index = entity.kind.index[field], let value = version.value(entity, index) else { return nil }
            return display(value, entity.kind.fields[index].type, version)
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", closed ")
    }
}
