// Checks a declared field's value against its type and converts bare words (symbols)
// to scale levels. Every failure names the field and what it expected.

enum FieldConversion {
    /// The stored form of `value` for a field of `type`, or the problem with it.
    static func convert(_ value: Value, to type: FieldType, field: String, plan: Plan) -> Result<Value, DiagnosticKind> {
        func wrong() -> Result<Value, DiagnosticKind> { wrongType(value, type, field: field) }
        if case .nil = value { return .success(.nil) }
        switch type {
        case .text:
            if case .string = value { return .success(value) }
            return wrong()
        case .texts:
            if case .string = value { return .success(.list(ListObject([value]))) }
            guard case .list(let list) = value, list.items.allSatisfy({ if case .string = $0 { return true } else { return false } }) else { return wrong() }
            return .success(value)
        case .number:
            if case .number = value { return .success(value) }
            return wrong()
        case .money:
            if case .money(let amount) = value { return plan.money.inPlanCurrency(amount).map(Value.money) }
            if case .number(let n) = value, n == 0 { return .success(.money(Money(cents: 0, currency: plan.currency))) }
            return wrong()
        case .percent:
            if case .percent(let p) = value {
                guard (0...1).contains(p) else { return .failure(.outOfRange(field: field, value: formatPercent(p), range: "0% to 100%")) }
                return .success(value)
            }
            return wrong()
        case .date:
            if case .date = value { return .success(value) }
            return wrong()
        case .duration:
            if case .duration = value { return .success(value) }
            return wrong()
        case .bool:
            if case .bool = value { return .success(value) }
            return wrong()
        case .measure:
            switch value {
            case .money(let amount): return plan.money.inPlanCurrency(amount).map(Value.money)
            case .number, .percent: return .success(value)
            default: return wrong()
            }
        case .function(let arity):
            switch value {
            case .function(let closure) where closure.proto.arity == arity: return .success(value)
            case .builtin: return .success(value)
            default: return wrong()
            }
        case .level(let scale):
            return level(value, scale, field: field).map(Value.level)
        case .levels(let scale):
            return levels(value, scale, type: type, field: field)
        case .ref(let kinds):
            guard case .entity(let entity) = value else { return wrong() }
            return kinds.contains(entity.kind.name) ? .success(value) : wrong()
        case .refs(let kinds):
            return refs(value, kinds, type: type, field: field)
        case .levelMap(let scale, let valueType):
            guard case .record(let record) = value else { return wrong() }
            return levelMap(record, scale, valueType, field: field, plan: plan)
        case .refMap(let kinds, let valueType):
            guard case .record(let record) = value else { return wrong() }
            return refMap(record, kinds, valueType, field: field, plan: plan)
        }
    }

    /// The failure for a value that is not of the field's type.
    private static func wrongType(_ value: Value, _ type: FieldType, field: String) -> Result<Value, DiagnosticKind> {
        .failure(.wrongFieldType(field: field, expected: type.description, found: describe(value)))
    }

    /// A list of levels on `scale` (`type`), from a list or one value.
    private static func levels(_ value: Value, _ scale: Scale, type: FieldType, field: String) -> Result<Value, DiagnosticKind> {
        let items: ContiguousArray<Value>
        if case .list(let list) = value { items = list.items } else { items = [value] }
        var levels = ContiguousArray<Value>()
        for item in items {
            switch level(item, scale, field: field) {
            case .success(let converted): levels.append(.level(converted))
            case .failure(.wrongFieldType(let field, _, let found)):
                return .failure(.wrongFieldType(field: field, expected: type.description, found: found))
            case .failure(let problem): return .failure(problem)
            }
        }
        return .success(.list(ListObject(levels)))
    }

    /// A list of entities of `kinds` (`type`), from a list or one value.
    private static func refs(_ value: Value, _ kinds: [String], type: FieldType, field: String) -> Result<Value, DiagnosticKind> {
        let items: ContiguousArray<Value>
        if case .list(let list) = value { items = list.items } else { items = [value] }
        for item in items {
            guard case .entity(let entity) = item, kinds.contains(entity.kind.name) else {
                return .failure(.wrongFieldType(field: field, expected: type.description, found: describe(item)))
            }
        }
        return .success(.list(ListObject(items)))
    }

    /// `{id: value}`: each key an entity of `kinds`, each value converted to `valueType`.
    /// (The keys stay as they are: the converted record keeps the record's shape.)
    private static func refMap(_ record: RecordObject, _ kinds: [String], _ valueType: FieldType, field: String, plan: Plan) -> Result<Value, DiagnosticKind> {
        var values = ContiguousArray<Value>()
        values.reserveCapacity(record.values.count)
        for (key, item) in zip(record.shape.keys, record.values) {
            guard let entity = plan.entity(id: key), kinds.contains(entity.kind.name) else {
                return .failure(.unknownEntity(kind: kinds.joined(separator: " or "), id: key, suggestion: nil))
            }
            switch convert(item, to: valueType, field: field, plan: plan) {
            case .success(let converted): values.append(converted)
            case .failure(let problem): return .failure(problem.naming(key, under: field))
            }
        }
        return .success(.record(RecordObject(shape: record.shape, values: values)))
    }

    /// `{level: value}`: each key a level of `scale` (kept by its name), each value
    /// converted to `valueType`.
    private static func levelMap(_ record: RecordObject, _ scale: Scale, _ valueType: FieldType, field: String, plan: Plan) -> Result<Value, DiagnosticKind> {
        var pairs: [(String, Value)] = []
        for (key, item) in zip(record.shape.keys, record.values) {
            guard let level = scale.value(named: key) else {
                return .failure(.notOnScale(value: key, scale: scale.name, suggestion: suggestion(for: key, among: scale.allNames), values: scale.values.map(\.name)))
            }
            if pairs.contains(where: { $0.0 == level.name }) { return .failure(.duplicateKey(level.name)) }
            switch convert(item, to: valueType, field: field, plan: plan) {
            case .success(let converted): pairs.append((level.name, converted))
            case .failure(let problem): return .failure(problem.naming(level.name, under: field))
            }
        }
        return .success(.record(RecordObject(pairs)))
    }

    private static func level(_ value: Value, _ scale: Scale, field: String) -> Result<Level, DiagnosticKind> {
        switch value {
        case .level(let level) where level.scale == scale.id:
            return .success(level)
        case .symbol(let name):
            guard let named = scale.value(named: name) else {
                return .failure(.notOnScale(value: name, scale: scale.name, suggestion: suggestion(for: name, among: scale.allNames), values: scale.values.map(\.name)))
            }
            return .success(Level(scale: scale.id, rank: named.rank))
        case .number(let n):
            guard let range = scale.numericRange else { break }
            guard range.contains(n) else {
                return .failure(.outOfRange(field: field, value: formatNumber(n), range: "\(formatNumber(range.lowerBound)) to \(formatNumber(range.upperBound))"))
            }
            return .success(Level(scale: scale.id, rank: n, isNumeric: true))
        case .percent(let p):
            guard scale.numericRange == 0...1 else { break }
            guard (0...1).contains(p) else { return .failure(.outOfRange(field: field, value: formatPercent(p), range: "0% to 100%")) }
            return .success(Level(scale: scale.id, rank: p, isNumeric: true))
        default:
            break
        }
        return .failure(.wrongFieldType(field: field, expected: FieldType.level(scale).description, found: describe(value)))
    }

    /// "a stakeholder 'dana'", "money", "the text \"x\"" — for messages.
    static func describe(_ value: Value) -> String {
        switch value {
        case .entity(let entity): return "\(entity.kind.name) '\(entity.id)'"
        case .string(let text): return "the text \(quote(text))"
        case .symbol(let name): return "'\(name)'"
        case .level(let level): return "\(level.scaleObject.name) level '\(level.name)'"
        default: return value.typeName
        }
    }
}

extension DiagnosticKind {
    /// The problem with an entry of record field `field`, named `field.key` rather than
    /// `field` (entries are converted under the record's name; the longer name is made
    /// only for a message).
    func naming(_ key: String, under field: String) -> DiagnosticKind {
        func renamed(_ name: String) -> String {
            name.hasPrefix(field) ? field + "." + key + name.dropFirst(field.count) : name
        }
        switch self {
        case .wrongFieldType(let name, let expected, let found): return .wrongFieldType(field: renamed(name), expected: expected, found: found)
        case .outOfRange(let name, let value, let range): return .outOfRange(field: renamed(name), value: value, range: range)
        default: return self
        }
    }
}
