// The plan as SQL (docs/sql-schema.md): one table per entity kind named by its plural,
// every row with the account it belongs to, typed columns, lists and maps as child
// tables, the figures people report on as columns and a `pipeline` table. The text
// creates what is missing and replaces this account's rows in one transaction, so
// running it again, or for each plan of a team, builds one portfolio database. The same
// text runs in SQLite (`--format sqlite` executes it) and PostgreSQL (`--format sql`).

extension PlanExport {
    /// The SQL statements for this plan, filed under `account` (the account's id).
    func sql(account: String) -> String {
        var writer = SQLWriter(account: account)
        for kind in Schema.kinds { writer.table(kind, entities(kind.name), export: self) }
        writer.pipelineTable(self)
        return "BEGIN;\n" + writer.creates.joined() + writer.changes.joined() + "COMMIT;\n"
    }

    /// The id the plan's rows are filed under: the account's, else `fallback` (the file's name).
    func accountKey(fallback: String) -> String {
        singleton("account").map(\.id) ?? fallback
    }
}

/// Builds the statements table by table.
struct SQLWriter {
    let account: String
    private(set) var creates: [String] = []
    private(set) var changes: [String] = []

    init(account: String) { self.account = account }

    /// A column: its name, SQL type, and how an entity's value fills it.
    private struct Column {
        let name: String
        let type: String
        let value: (Entity) -> String
    }

    /// The derived fields a report wants beside the declared ones.
    private static let derived: [String: [(name: String, type: String)]] = [
        "stakeholder": [("key_player", "INTEGER"), ("days_since_contact", "INTEGER")],
        "opportunity": [("weighted", "DOUBLE PRECISION"), ("chance", "DOUBLE PRECISION"), ("roti", "DOUBLE PRECISION")],
    ]

    mutating func table(_ kind: EntityKind, _ entities: [Entity], export: PlanExport) {
        var columns: [Column] = [
            Column(name: "id", type: "TEXT") { $0.hasDeclaredID ? SQLWriter.text($0.id) : "NULL" },
            Column(name: "name", type: "TEXT") { $0.title.map(SQLWriter.text) ?? "NULL" },
        ]
        for (index, spec) in kind.fields.enumerated() {
            switch spec.type {
            case .text, .number, .money, .percent, .date, .duration, .bool, .ref, .measure:
                columns.append(Column(name: spec.name, type: SQLWriter.sqlType(spec.type)) { SQLWriter.literal($0.field(index)) })
            case .level:
                columns.append(Column(name: spec.name, type: "TEXT") { SQLWriter.literal($0.field(index)) })
                columns.append(Column(name: spec.name + "_rank", type: "DOUBLE PRECISION") { SQLWriter.rank($0.field(index)) })
            case .function:
                columns.append(Column(name: spec.name, type: "TEXT") { entity in
                    entity.codeSpan(index).flatMap(export.text(of:)).map(SQLWriter.text) ?? "NULL"
                })
            case .texts, .levels, .refs:
                childList(kind, spec.name, entities) { $0.field(index) }
            case .refMap, .levelMap:
                childMap(kind, spec.name, entities) { $0.field(index) }
            }
        }
        if kind.name == "account" {
            columns.append(Column(name: "plan_currency", type: "TEXT") { _ in SQLWriter.text(export.plan.currency.code) })
        }
        for (name, type) in SQLWriter.derived[kind.name] ?? [] {
            columns.append(Column(name: name, type: type) { SQLWriter.literal(export.derived($0, name) ?? .nil) })
        }
        let names = ["account"] + columns.map(\.name)
        create(kind.plural, [("account", "TEXT NOT NULL")] + columns.map { ($0.name, $0.type) })
        for entity in entities {
            insert(kind.plural, names, [SQLWriter.text(account)] + columns.map { $0.value(entity) })
        }
    }

    /// A list field as rows of `PLURAL_FIELD`: the owner's id, the position, the value
    /// (and a level's rank).
    private mutating func childList(_ kind: EntityKind, _ field: String, _ entities: [Entity], _ value: (Entity) -> Value) {
        let table = kind.plural + "_" + field
        let owner = SQLWriter.ownerColumn(kind)
        create(table, [("account", "TEXT NOT NULL")] + owner.map { [($0, "TEXT")] }.orEmpty + [("position", "INTEGER"), ("value", "TEXT"), ("rank", "DOUBLE PRECISION")])
        for entity in entities {
            guard case .list(let list) = value(entity) else { continue }
            for (position, item) in list.items.enumerated() {
                insert(table, ["account"] + owner.map { [$0] }.orEmpty + ["position", "value", "rank"],
                       [SQLWriter.text(account)] + owner.map { _ in [SQLWriter.owner(entity)] }.orEmpty
                        + [String(position), SQLWriter.literal(item), SQLWriter.rank(item)])
            }
        }
    }

    /// A map field (`involves: {dana: [economic_buyer]}`) as rows of key and value.
    private mutating func childMap(_ kind: EntityKind, _ field: String, _ entities: [Entity], _ value: (Entity) -> Value) {
        let table = kind.plural + "_" + field
        let owner = SQLWriter.ownerColumn(kind)
        create(table, [("account", "TEXT NOT NULL")] + owner.map { [($0, "TEXT")] }.orEmpty + [("key", "TEXT"), ("value", "TEXT")])
        for entity in entities {
            guard case .record(let record) = value(entity) else { continue }
            for (key, item) in zip(record.shape.keys, record.values) {
                insert(table, ["account"] + owner.map { [$0] }.orEmpty + ["key", "value"],
                       [SQLWriter.text(account)] + owner.map { _ in [SQLWriter.owner(entity)] }.orEmpty + [SQLWriter.text(key), SQLWriter.literal(item)])
            }
        }
    }

    /// One row per account: the money figures of `pipeline()`.
    mutating func pipelineTable(_ export: PlanExport) {
        let names = ["period_start", "period_end", "goal", "won", "open", "weighted", "later", "overdue", "gap", "needed", "pipeline_gap", "coverage"]
        create("pipeline", [("account", "TEXT NOT NULL"), ("period_start", "TEXT"), ("period_end", "TEXT")]
               + names.dropFirst(2).map { ($0, "DOUBLE PRECISION") })
        guard let figures = try? PipelineFigures(export.plan, today: export.today) else { return }
        let record = figures.record
        insert("pipeline", ["account"] + names, [SQLWriter.text(account)] + names.map { SQLWriter.literal(record[$0] ?? .nil) })
    }

    private mutating func create(_ table: String, _ columns: [(String, String)]) {
        creates.append("CREATE TABLE IF NOT EXISTS \(SQLWriter.name(table)) (" + columns.map { SQLWriter.name($0.0) + " " + $0.1 }.joined(separator: ", ") + ");\n")
        changes.append("DELETE FROM \(SQLWriter.name(table)) WHERE \"account\" = \(SQLWriter.text(account));\n")
    }

    private mutating func insert(_ table: String, _ names: [String], _ values: [String]) {
        changes.append("INSERT INTO \(SQLWriter.name(table)) (" + names.map(SQLWriter.name).joined(separator: ", ") + ") VALUES (" + values.joined(separator: ", ") + ");\n")
    }

    // MARK: - Values as SQL

    static func sqlType(_ type: FieldType) -> String {
        switch type {
        case .number, .money, .percent, .measure: return "DOUBLE PRECISION"
        case .bool: return "INTEGER"
        case .text, .texts, .date, .duration, .level, .levels, .ref, .refs, .refMap, .levelMap, .function: return "TEXT"
        }
    }

    /// `"name"`: an identifier, quoted (field names such as `from` are SQL keywords).
    static func name(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// `'text'`, quotes doubled; NUL, which SQL text cannot hold, dropped.
    static func text(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''").replacingOccurrences(of: "\u{0}", with: "") + "'"
    }

    static func owner(_ entity: Entity) -> String { entity.hasDeclaredID ? text(entity.id) : "NULL" }

    /// The column naming a child row's owner (`stakeholder`); none for the account's own
    /// lists, whose owner is the row's `account`.
    static func ownerColumn(_ kind: EntityKind) -> String? { kind.name == "account" ? nil : kind.name }

    /// A value in its column's type: amounts as numbers in the plan's currency,
    /// percentages as fractions, dates as ISO text, levels as their word, entities by id.
    static func literal(_ value: Value) -> String {
        switch value {
        case .nil: return "NULL"
        case .bool(let flag): return flag ? "1" : "0"
        case .number(let number), .percent(let number): return number.isFinite ? formatNumber(number) : "NULL"
        case .money(let money):
            guard case .number(let digits) = JSON.money(money) else { return "NULL" }
            return digits
        case .date(let day): return text(day.formatted)
        case .duration(let duration): return text(duration.formatted)
        case .string(let string): return text(string)
        case .symbol(let word): return text(word)
        case .level(let level): return text(level.name)
        case .entity(let entity): return entity.hasDeclaredID ? text(entity.id) : text(entity.name)
        case .box(let box): return literal(box.value)
        case .list, .record, .function, .builtin: return text(value.display)
        }
    }

    /// A level's number (its rank, or the number it was given as); NULL for other values.
    static func rank(_ value: Value) -> String {
        if case .level(let level) = value { return formatNumber(level.rank) }
        return "NULL"
    }
}

private extension Optional where Wrapped: RangeReplaceableCollection {
    /// The collection, or an empty one.
    var orEmpty: Wrapped { self ?? Wrapped() }
}
