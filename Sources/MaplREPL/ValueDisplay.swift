// How the REPL shows values: a list of records as a table, a record field by field
// (:show), one-line summaries (:ls) and type descriptions (:type).

import Mapl

public enum ValueDisplay {
    /// What the REPL prints after an expression: a list of records or entities as a
    /// table when it fits in `width` columns, a text of several lines (a deal sheet,
    /// a report) as its lines, anything else as it reads back (`repr`).
    public static func echo(_ value: Value, width: Int = Int.max) -> String {
        if let table = table(value, width: width) { return table }
        if case .string(let text) = unboxed(value), text.contains("\n") { return text }
        let repr = value.repr
        if repr.count > width, let layout = vertical(value) { return layout }
        return repr
    }

    /// Everything about one value, for `:show`: a table, a record one field a line,
    /// a long list one item a line.
    public static func detail(_ value: Value, width: Int = Int.max) -> String {
        if let table = table(value, width: width) { return table }
        if case .record(let record) = unboxed(value), !record.shape.keys.isEmpty {
            return TableFormatting.card(zip(record.shape.keys, record.values).map { (name: $0, value: $1) })
        }
        return vertical(value) ?? value.repr
    }

    /// The library's table (as `print` shows it) when no line is wider than `width`.
    static func table(_ value: Value, width: Int) -> String? {
        guard var table = TableFormatting.table(for: unboxed(value)) else { return nil }
        while table.last == "\n" { table.removeLast() }
        let lines = table.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.allSatisfy({ $0.count <= width }) else { return nil }
        return lines.map { String($0).trailingSpacesTrimmed }.joined(separator: "\n")
    }

    /// A one-line summary for `:ls`: short values as they read back, else their shape.
    public static func summary(_ value: Value, limit: Int = 48) -> String {
        switch unboxed(value) {
        case .list(let list):
            let repr = value.repr
            if repr.count <= limit { return repr }
            return "\(list.items.count) \(list.items.count == 1 ? "item" : "items")" + elementDescription(list.items)
        case .record(let record):
            let repr = value.repr
            if repr.count <= limit { return repr }
            return "{" + clip(record.shape.keys.joined(separator: ", "), limit - 2) + "}"
        case .function(let closure):
            return "fn \(closure.proto.name), \(Arity(closure.proto.arity))"
        default:
            return clip(value.repr, limit)
        }
    }

    /// What `:type` says: the type name, with the shape of lists and records.
    public static func describeType(_ value: Value) -> String {
        switch unboxed(value) {
        case .list(let list):
            if list.items.isEmpty { return "list (empty)" }
            return "list of \(list.items.count)" + elementDescription(list.items, plural: true)
        case .record(let record):
            if record.shape.keys.isEmpty { return "record (no fields)" }
            return "record with fields " + record.shape.keys.joined(separator: ", ")
        case .function, .builtin:
            return "function" + (LanguageInfo.arity(of: value).map { " of \($0)" } ?? "")
        default:
            return value.typeName
        }
    }

    // MARK: - Helpers

    /// " records" / " of records" / " (mixed: …)" for a list's items.
    private static func elementDescription(_ items: ContiguousArray<Value>, plural: Bool = false) -> String {
        var types: [String] = []
        for item in items where !types.contains(item.typeName) { types.append(item.typeName) }
        if types.count == 1 {
            let name = types[0] + (items.count == 1 ? "" : "s")
            return plural ? " " + name : " (\(name))"
        }
        return plural ? " values (mixed: \(types.joined(separator: ", ")))" : " (mixed: \(types.joined(separator: ", ")))"
    }

    /// A list or record too long for one line, one item per line; nil for other values.
    static func vertical(_ value: Value) -> String? {
        switch unboxed(value) {
        case .list(let list) where !list.items.isEmpty:
            return "[\n" + list.items.map { "  " + $0.repr + "," }.joined(separator: "\n") + "\n]"
        case .record(let record) where !record.shape.keys.isEmpty:
            return "{\n" + zip(record.shape.keys, record.values).map { "  \($0): \($1.repr)," }.joined(separator: "\n") + "\n}"
        default:
            return nil
        }
    }

    private static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(0, limit - 1))) + "…"
    }

    static func unboxed(_ value: Value) -> Value {
        if case .box(let box) = value { return unboxed(box.value) }
        return value
    }
}

extension String {
    var trailingSpacesTrimmed: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
