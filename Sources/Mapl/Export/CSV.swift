// One entity kind as a CSV table (RFC 4180 quoting): id, title, then every field of
// the kind in schema order (the `name` column is the declared title), encoded as in the JSON form (amounts as plain numbers,
// dates ISO, ids for references; lists joined with "; ").

extension PlanExport {
    /// The entities of a kind as CSV.
    func csv(_ kind: EntityKind) -> String {
        var out = CSV.row(["id", "name"] + kind.fields.map(\.name))
        for entity in plan.entities(of: kind) where !interrupt.requested() {
            var cells = [entity.hasDeclaredID ? entity.id : "", CSV.inert(entity.title ?? "")]
            for (index, spec) in kind.fields.enumerated() {
                cells.append(CSV.cell(json(entity.field(index), as: spec.type, span: entity.codeSpan(index)), nested: false))
            }
            out += CSV.row(cells)
        }
        return out
    }
}

enum CSV {
    /// One record: fields quoted when they hold a comma, quote, line break or edge space.
    static func row(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ",") + "\n"
    }

    /// A text a spreadsheet will not run as a formula: one starting with `=`, `+`, `-`,
    /// `@`, a tab or a carriage return gets a leading `'`, as spreadsheets expect (OWASP
    /// "CSV injection"). Numbers are written apart and keep their sign.
    static func inert(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    static func quote(_ field: String) -> String {
        let needs = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || field.first == " " || field.last == " "
        return needs ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }

    /// The kind `--table` names (a kind like `stakeholder`, or its plural), or a usage
    /// error that lists the kinds.
    static func kind(_ table: String?) throws(ExportError) -> EntityKind {
        let names = Schema.kinds.map(\.name)
        guard let table else {
            throw .usage("--format csv needs --table KIND, one of: \(names.joined(separator: ", "))")
        }
        guard let kind = Schema.kind(named: table) ?? Schema.kinds.first(where: { $0.plural == table }) else {
            let hint = suggestion(for: table, among: names + Schema.kinds.map(\.plural)).map { " (did you mean '\($0)'?)" } ?? ""
            throw .usage("no entity kind '\(table)'\(hint); --table takes one of: \(names.joined(separator: ", "))")
        }
        return kind
    }

    /// A field's JSON form flattened for a spreadsheet cell: lists joined with "; "
    /// (", " inside a per-entity map, whose entries are joined with "; ").
    static func cell(_ value: JSON, nested: Bool) -> String {
        switch value {
        case .null: return ""
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return inert(text)
        case .array(let items): return items.map { cell($0, nested: true) }.joined(separator: nested ? ", " : "; ")
        case .object(let pairs):
            // A tagged measure or a function's source: just the value.
            if pairs.count == 1, ["money", "number", "percent", "source", "date", "duration", "level", "symbol", "ref"].contains(pairs[0].0) {
                return cell(pairs[0].1, nested: nested)
            }
            return pairs.map { key, item in
                let text = cell(item, nested: true)
                return text.isEmpty ? key : "\(key): \(text)"
            }.joined(separator: "; ")
        }
    }
}
