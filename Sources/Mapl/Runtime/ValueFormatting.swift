// How values read when printed: `display` for print and interpolation (strings bare),
// `repr` inside collections and in the REPL (strings quoted, symbols with their dot).

extension Value {
    /// The text `print` and string interpolation show.
    public var display: String {
        var visiting: Set<ObjectIdentifier> = []
        return format(quoted: false, visiting: &visiting)
    }

    /// The text that reads back as the same value where possible.
    public var repr: String {
        var visiting: Set<ObjectIdentifier> = []
        return format(quoted: true, visiting: &visiting)
    }

    private func format(quoted: Bool, visiting: inout Set<ObjectIdentifier>) -> String {
        switch self {
        case .nil: return "nil"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return formatNumber(value)
        case .money(let value): return value.formatted
        case .percent(let value): return formatPercent(value)
        case .date(let value): return value.formatted
        case .duration(let value): return value.formatted
        case .string(let value): return quoted ? quote(value) : value
        case .symbol(let name): return quoted ? "." + name : name
        case .list(let list):
            // A list that contains itself prints as [...] where it recurs.
            guard visiting.insert(ObjectIdentifier(list)).inserted else { return "[...]" }
            defer { visiting.remove(ObjectIdentifier(list)) }
            var parts: [String] = []
            parts.reserveCapacity(list.items.count)
            for item in list.items { parts.append(item.format(quoted: true, visiting: &visiting)) }
            return "[" + parts.joined(separator: ", ") + "]"
        case .record(let record):
            guard visiting.insert(ObjectIdentifier(record)).inserted else { return "{...}" }
            defer { visiting.remove(ObjectIdentifier(record)) }
            var parts: [String] = []
            for (key, value) in zip(record.shape.keys, record.values) {
                parts.append(formatKey(key) + ": " + value.format(quoted: true, visiting: &visiting))
            }
            return "{" + parts.joined(separator: ", ") + "}"
        case .function(let closure): return closure.proto.name == "anonymous function" ? "<fn>" : "<fn \(closure.proto.name)>"
        case .builtin(let index): return "<built-in \(Builtins.name(of: index))>"
        case .entity(let entity): return quoted && entity.hasDeclaredID ? entity.id : entity.name
        case .level(let level): return level.name
        case .box(let box): return box.value.format(quoted: quoted, visiting: &visiting)
        }
    }
}

/// A string literal that reads back as `text`.
func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case "{": out += "\\{"
        case "}": out += "\\}"
        case "\0": out += "\\0"
        default:
            if scalar.value < 0x20 { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "\""
}

/// Record keys print bare when they are names, quoted otherwise.
private func formatKey(_ key: String) -> String {
    guard let first = key.utf8.first, first == 95 || (first | 0x20 >= 97 && first | 0x20 <= 122),
          key.utf8.allSatisfy({ $0 == 95 || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || ($0 >= 48 && $0 <= 57) }),
          TokenKind.keywords[key] == nil
    else { return quote(key) }
    return key
}
