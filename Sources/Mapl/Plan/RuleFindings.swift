// Rules written as `rule ID = expression`: the expression gives a list of findings,
// each one a violation. This is how the standard library's rules (std/rules) are
// switched on one by one, with their parameters: `rule coach = no_coach_on_large_deal(250k)`.

/// What one finding says and where it points. A finding is a record
/// `{at: entity, message: text}`, an entity (reported with the rule's title), or text.
enum RuleFindings {
    /// The entity a rule item points at: the item itself, or a finding's `at` field.
    static func entity(of item: Value) -> Entity? {
        switch item {
        case .entity(let entity): return entity
        case .record(let record):
            if case .entity(let entity)? = record["at"] { return entity }
            return nil
        case .box(let box): return entity(of: box.value)
        case .nil, .bool, .number, .money, .percent, .date, .duration, .string, .symbol, .list, .function, .builtin, .level:
            return nil
        }
    }

    /// The check a finding names for itself (`{at, message, check: "stale_contact"}`), to
    /// be reported under rather than the rule's id: a rule gathering several checks.
    static func check(of item: Value) -> String? {
        switch item {
        case .record(let record):
            if case .string(let name)? = record["check"], !name.isEmpty { return name }
            return nil
        case .box(let box): return check(of: box.value)
        default: return nil
        }
    }

    /// The warning text for a finding.
    static func message(of item: Value, ruleID: String, title: String?) -> String {
        let fallback = title ?? "rule '\(ruleID)' is not met"
        switch item {
        case .record(let record):
            if let message = record["message"] {
                if case .nil = message { return fallback }
                return message.display
            }
            return fallback
        case .string(let text): return text.isEmpty ? fallback : text
        case .box(let box): return message(of: box.value, ruleID: ruleID, title: title)
        case .entity: return fallback
        case .nil, .bool, .number, .money, .percent, .date, .duration, .symbol, .list, .function, .builtin, .level:
            return item.display
        }
    }
}
