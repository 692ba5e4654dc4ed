// How values read when printed: `display` for print and interpolation (strings bare),
// `repr` inside collections and in the REPL (strings quoted, symbols with their dot).

extension Value {
    /// The text `print` and string interpolation show. Cut short once longer than a text
    /// may be (64 MiB): a list that holds the same list twice, nested 40 times, would
    /// otherwise spell out 2^40 items, with no look at Ctrl-C.
    public var display: String { display(limit: Limits.maxTextBytes) }

    /// The text that reads back as the same value where possible (cut short as `display`).
    public var repr: String { repr(limit: Limits.maxTextBytes) }

    /// `display`, stopping once the text is past `limit` bytes: whatever is longer than
    /// `limit` was cut short (a caller that must not cut short makes that an error).
    public func display(limit: Int) -> String {
        var out = ""
        var visiting: Set<ObjectIdentifier> = []
        format(quoted: false, into: &out, visiting: &visiting, depth: 0, limit: limit)
        return out
    }

    /// Appends `display`'s bytes: a text's own, a whole number's digits written in
    /// place (text building in scripts is mostly these two).
    func appendDisplay(to bytes: inout [UInt8]) {
        switch self {
        case .string(let string): bytes += string.utf8
        case .number(let number):
            if let whole = printedWhole(number) { appendDigits(whole, to: &bytes) } else { bytes += display.utf8 }
        default: bytes += display.utf8
        }
    }

    /// `repr`, stopping once the text is past `limit` bytes.
    public func repr(limit: Int) -> String {
        var out = ""
        var visiting: Set<ObjectIdentifier> = []
        format(quoted: true, into: &out, visiting: &visiting, depth: 0, limit: limit)
        return out
    }

    /// Lists and records nested deeper than this print as `[…]` / `{…}`.
    static let maxPrintedNesting = 100

    /// Appends to one string (linear in the output); containers met again inside
    /// themselves print as `[...]` / `{...}`.
    private func format(quoted: Bool, into out: inout String, visiting: inout Set<ObjectIdentifier>, depth: Int, limit: Int) {
        // Past the limit, nothing more is added (each list stops at its next item).
        guard out.utf8.count <= limit else { return }
        switch self {
        case .nil: out += "nil"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let value): out += formatNumber(value)
        case .money(let value): out += value.formatted
        case .percent(let value): out += formatPercent(value)
        case .date(let value): out += value.formatted
        case .duration(let value): out += value.formatted
        case .string(let value): out += quoted ? quote(value) : value
        case .symbol(let name): out += quoted ? "." + name : name
        case .list(let list):
            guard depth < Value.maxPrintedNesting else { out += "[…]"; return }
            guard visiting.insert(ObjectIdentifier(list)).inserted else { out += "[...]"; return }
            defer { visiting.remove(ObjectIdentifier(list)) }
            out += "["
            for (index, item) in list.items.enumerated() {
                guard out.utf8.count <= limit else { break }
                if index > 0 { out += ", " }
                item.format(quoted: true, into: &out, visiting: &visiting, depth: depth + 1, limit: limit)
            }
            out += "]"
        case .record(let record):
            guard depth < Value.maxPrintedNesting else { out += "{…}"; return }
            guard visiting.insert(ObjectIdentifier(record)).inserted else { out += "{...}"; return }
            defer { visiting.remove(ObjectIdentifier(record)) }
            out += "{"
            for (index, (key, value)) in zip(record.shape.keys, record.values).enumerated() {
                guard out.utf8.count <= limit else { break }
                if index > 0 { out += ", " }
                out += formatKey(key) + ": "
                value.format(quoted: true, into: &out, visiting: &visiting, depth: depth + 1, limit: limit)
            }
            out += "}"
        case .function(let closure): out += closure.proto.name == "anonymous function" ? "<fn>" : "<fn \(closure.proto.name)>"
        case .builtin(let index): out += "<built-in \(Builtins.name(of: index))>"
        case .entity(let entity): out += quoted && entity.hasDeclaredID ? entity.id : entity.name
        case .level(let level): out += level.name
        case .box(let box): box.value.format(quoted: quoted, into: &out, visiting: &visiting, depth: depth, limit: limit)
        }
    }
}

/// A string literal that reads back as `text`.
func quote(_ text: String) -> String {
    // Most texts have nothing to escape (each such character is ASCII, and UTF-8 never
    // uses an ASCII byte inside another character): copied whole, not a scalar at a time.
    if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7B || $0 == 0x7D }) {
        return "\"" + text + "\""
    }
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
