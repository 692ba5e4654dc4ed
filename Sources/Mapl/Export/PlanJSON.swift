// The plan as JSON, in the stable, versioned form documented in docs/json-schema.md:
// every entity of every kind with its id, title and typed fields, plus the plan's code
// (rules, score functions, definitions) as source text.

extension PlanExport {
    /// The version of the JSON form; bumped only for changes old readers cannot take.
    public static let jsonVersion = 1

    /// The whole plan as a JSON document.
    public func json() -> JSON {
        let code = PlanCode(plan: plan, sources: sources)
        var kinds: [(String, JSON)] = []
        for kind in Schema.kinds {
            kinds.append((kind.name, .array(plan.entities(of: kind).prefix { _ in !interrupt.requested() }.map(json))))
        }
        return .object([
            ("format", .string("mapl-plan")),
            ("version", .number(String(PlanExport.jsonVersion))),
            ("currency", .string(plan.currency.code)),
            ("entities", .object(kinds)),
            ("imports", .array(code.imports.map(JSON.string))),
            ("definitions", .array(code.definitions.map { .object([("name", .string($0.name)), ("source", .string($0.source))]) })),
            ("rules", .array(code.rules.map { rule in
                .object([("id", .string(rule.name)), ("title", rule.title.map(JSON.string) ?? .null), ("source", .string(rule.source))])
            })),
        ])
    }

    /// One entity: id (null when it has none), title (null when none), the fields that
    /// are set, in schema order.
    func json(_ entity: Entity) -> JSON {
        var fields: [(String, JSON)] = []
        for (index, spec) in entity.kind.fields.enumerated() {
            let value = entity.field(index)
            if case .nil = value { continue }
            fields.append((spec.name, json(value, as: spec.type, span: entity.codeSpan(index))))
        }
        return .object([
            ("id", entity.hasDeclaredID ? .string(entity.id) : .null),
            ("title", entity.title.map(JSON.string) ?? .null),
            ("fields", .object(fields)),
        ])
    }

    /// A field value in the encoding its schema type prescribes. A value that does not
    /// fit its type (which checking prevents) falls back to the self-describing form.
    /// (`span`, where a function was written, is asked for only for functions: finding
    /// it can mean reading the declaration again.)
    func json(_ value: Value, as type: FieldType, span: @autoclosure () -> Span?) -> JSON {
        switch (type, value) {
        case (_, .nil): return .null
        case (.text, .string(let text)): return .string(text)
        case (.number, .number(let n)): return .double(n)
        case (.money, .money(let amount)): return .money(amount)
        case (.percent, .percent(let p)): return .double(p)
        case (.date, .date(let day)): return .string(day.formatted)
        case (.duration, .duration(let duration)): return .string(PlanExport.iso8601(duration))
        case (.bool, .bool(let flag)): return .bool(flag)
        case (.level, .level(let level)): return PlanExport.json(level)
        case (.ref, .entity(let entity)): return .string(entity.id)
        case (.texts, .list(let list)): return .array(list.items.map { json($0, as: .text, span: nil) })
        case (.levels(let scale), .list(let list)): return .array(list.items.map { json($0, as: .level(scale), span: nil) })
        case (.refs(let kinds), .list(let list)): return .array(list.items.map { json($0, as: .ref(kinds), span: nil) })
        case (.refMap(_, let valueType), .record(let record)), (.levelMap(_, let valueType), .record(let record)):
            return .object(zip(record.shape.keys, record.values).map { ($0, json($1, as: valueType, span: nil)) })
        case (.function, _):
            return .object([("source", .string(functionSource(value, span: span())))])
        case (.measure, .money(let amount)): return .object([("money", .money(amount))])
        case (.measure, .number(let n)): return .object([("number", .double(n))])
        case (.measure, .percent(let p)): return .object([("percent", .double(p))])
        default: return tagged(value)
        }
    }

    /// A named level as its name; one given as a number as that number (influence 0–10,
    /// strength as a fraction).
    static func json(_ level: Level) -> JSON {
        if level.isNumeric { return .double(level.rank) }
        return .string(level.scaleObject.name(forRank: level.rank) ?? formatNumber(level.rank))
    }

    /// ISO 8601: `P90D`, `P3M`, `P1Y2M`; `-P…` when negative.
    static func iso8601(_ duration: Duration) -> String {
        if duration.months == 0 && duration.days == 0 { return "P0D" }
        let negative = duration.months <= 0 && duration.days <= 0
        let months = negative ? -Int(duration.months) : Int(duration.months)
        let days = negative ? -Int(duration.days) : Int(duration.days)
        var text = negative ? "-P" : "P"
        if months / 12 != 0 { text += "\(months / 12)Y" }
        if months % 12 != 0 { text += "\(months % 12)M" }
        if days != 0 { text += "\(days)D" }
        return text
    }

    /// The source text of a function-valued field: as written in the declaration, else
    /// the function literal itself, else a built-in's name.
    func functionSource(_ value: Value, span: Span?) -> String {
        if let span, let text = text(of: span) { return text }
        switch value {
        case .function(let closure): return text(of: closure.proto.span) ?? closure.proto.name
        case .builtin(let index): return Builtins.name(of: index)
        default: return FieldConversion.describe(value)
        }
    }

    /// Any value in a self-describing form: `{"money": 250000}`, `{"date": "2027-01-31"}`,
    /// plain JSON for text, numbers, booleans, lists and records; entities by id.
    func tagged(_ value: Value) -> JSON {
        switch value {
        case .nil: return .null
        case .bool(let flag): return .bool(flag)
        case .number(let n): return .double(n)
        case .money(let amount): return .object([("money", .money(amount))])
        case .percent(let p): return .object([("percent", .double(p))])
        case .date(let day): return .object([("date", .string(day.formatted))])
        case .duration(let duration): return .object([("duration", .string(PlanExport.iso8601(duration)))])
        case .string(let text): return .string(text)
        case .symbol(let name): return .object([("symbol", .string(name))])
        case .level(let level): return .object([("level", PlanExport.json(level))])
        case .list(let list): return .array(list.items.map(tagged))
        case .record(let record): return .object(zip(record.shape.keys, record.values).map { ($0, tagged($1)) })
        case .function, .builtin: return .object([("source", .string(functionSource(value, span: nil)))])
        case .entity(let entity): return .object([("ref", .string(entity.id))])
        case .box(let box): return tagged(box.value)
        }
    }
}
