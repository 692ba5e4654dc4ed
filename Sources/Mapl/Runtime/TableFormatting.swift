// Lists of records or entities print as aligned text tables: a header, a rule, and
// one row per item; amounts and numbers are right-aligned.

public enum TableFormatting {
    /// The table for a non-empty list whose items are all records or entities; nil
    /// for anything else.
    public static func table(for value: Value) -> String? {
        guard case .list(let list) = value, !list.items.isEmpty else { return nil }
        var columns: [String] = []
        var seen: Set<String> = []
        func addColumn(_ name: String) { if seen.insert(name).inserted { columns.append(name) } }
        for item in list.items {
            switch item {
            case .record(let record): record.shape.keys.forEach(addColumn)
            case .entity(let entity):
                // A kind's usual columns, leaving out those no row fills in.
                for column in entity.kind.columns where list.items.contains(where: { cell($0, column).isEmpty == false }) {
                    addColumn(column)
                }
            default: return nil
            }
        }
        guard !columns.isEmpty else { return nil }
        // A column of levels shows one form: words, or numbers where some level has no
        // word (`high` and `7` read as 9 and 7).
        let levelsAsNumbers = columns.map { column in
            var words = false, numbers = false
            for item in list.items {
                guard case .level(let level)? = field(item, column) else { continue }
                if level.isNumeric || level.scaleObject.name(forRank: level.rank) == nil { numbers = true } else { words = true }
            }
            return words && numbers
        }
        let rows = list.items.map { item in
            columns.indices.map { index in
                if levelsAsNumbers[index], case .level(let level)? = field(item, columns[index]) { return number(level) }
                return cell(item, columns[index])
            }
        }
        let rightAligned = columns.indices.map { index in
            list.items.allSatisfy { item in
                switch field(item, columns[index]) {
                case .number?, .money?, .percent?, .duration?, .nil?, nil: return true
                case .level?: return levelsAsNumbers[index]
                default: return false
                }
            }
        }
        var widths = columns.map(\.count)
        for row in rows {
            for (index, text) in row.enumerated() { widths[index] = max(widths[index], text.count) }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (index, text) in cells.enumerated() {
                let fill = String(repeating: " ", count: widths[index] - text.count)
                let isLast = index == cells.count - 1
                out += rightAligned[index] ? fill + text : (isLast ? text : text + fill)
                if !isLast { out += "  " }
            }
            // An empty last cell leaves no trailing spaces.
            while out.last == " " { out.removeLast() }
            return out + "\n"
        }
        var out = line(columns)
        out += line(widths.map { String(repeating: "-", count: $0) })
        for row in rows { out += line(row) }
        return out
    }

    /// A level as its number (a fraction as a percentage).
    private static func number(_ level: Level) -> String {
        Level(scale: level.scale, rank: level.rank, isNumeric: true).name
    }

    /// Named values one per line, the names aligned: an entity's card (`:show`).
    public static func card(_ pairs: [(name: String, value: Value)]) -> String {
        let nameWidth = pairs.map(\.name.count).max() ?? 0
        return pairs.map { name, value in
            name + String(repeating: " ", count: nameWidth - name.count) + "  " + value.repr
        }.joined(separator: "\n")
    }

    private static func field(_ item: Value, _ column: String) -> Value? {
        switch item {
        case .record(let record): return record[column]
        case .entity(let entity):
            switch column {
            case "id": return .string(entity.id)
            case "name": return .string(entity.name)
            default: return entity[column]
            }
        default: return nil
        }
    }

    /// A cell's text: entities by id, lists joined by commas, nil as empty.
    static func cell(_ item: Value, _ column: String) -> String {
        guard let value = field(item, column) else { return "" }
        return cellText(value)
    }

    static func cellText(_ value: Value) -> String {
        switch value {
        case .nil: return ""
        case .entity(let entity): return entity.id
        case .list(let list): return list.items.map(cellText).joined(separator: ", ")
        case .record(let record):
            return zip(record.shape.keys, record.values).map { "\($0): \(cellText($1))" }.joined(separator: ", ")
        default:
            return value.display.replacingOccurrences(of: "\n", with: " ")
        }
    }
}
