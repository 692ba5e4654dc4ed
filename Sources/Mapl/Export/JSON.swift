// A small JSON document model and writer: objects keep their key order, so exports
// list fields in schema order and the output is byte-for-byte deterministic.

/// A JSON value whose objects keep the order their keys were added in.
public indirect enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number already written as JSON text (exact money amounts, shortest doubles).
    case number(String)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    /// A JSON number for a double: integers without a fraction, others in their shortest
    /// round-tripping form; null for NaN and infinities, which JSON cannot hold.
    public static func double(_ value: Double) -> JSON {
        guard value.isFinite else { return .null }
        if value == value.rounded(), abs(value) < 1e15 { return .number(String(Int64(value))) }
        return .number(String(value))
    }

    /// An exact decimal amount from cents: `1100000`, `99.95`, `-0.05`.
    public static func money(_ money: Money) -> JSON {
        let magnitude = money.cents.magnitude
        let whole = magnitude / 100, fraction = magnitude % 100
        let sign = money.cents < 0 ? "-" : ""
        if fraction == 0 { return .number(sign + String(whole)) }
        return .number(sign + String(whole) + "." + (fraction < 10 ? "0" : "") + String(fraction))
    }

    public static func == (a: JSON, b: JSON) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The document as text: two-space indentation, arrays of scalars kept on one line
    /// while they are short, a final newline.
    public func rendered() -> String {
        var out = ""
        write(to: &out, indent: 0)
        out += "\n"
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .null, .bool, .number, .string: return true
        case .array(let items): return items.isEmpty
        case .object(let pairs): return pairs.isEmpty
        }
    }

    private func write(to out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let text): out += text
        case .string(let text): JSON.quote(text, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy(\.isScalar) {
                var line = "["
                for (index, item) in items.enumerated() {
                    if index > 0 { line += ", " }
                    item.write(to: &line, indent: 0)
                }
                line += "]"
                if line.count + indent <= 100 { out += line; return }
            }
            let pad = String(repeating: "  ", count: indent + 1)
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += pad
                item.write(to: &out, indent: indent + 1)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            let pad = String(repeating: "  ", count: indent + 1)
            out += "{\n"
            for (index, (key, value)) in pairs.enumerated() {
                out += pad
                JSON.quote(key, into: &out)
                out += ": "
                value.write(to: &out, indent: indent + 1)
                out += index == pairs.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }

    /// A JSON string literal. Non-ASCII text stays as UTF-8; control characters and the
    /// JavaScript line separators U+2028/U+2029 are escaped.
    static func quote(_ text: String, into out: inout String) {
        out += "\"" + escaped(text) { scalar in
            switch scalar {
            case "\"": return "\\\""
            case "\\": return "\\\\"
            case "\n": return "\\n"
            case "\r": return "\\r"
            case "\t": return "\\t"
            case "\u{08}": return "\\b"
            case "\u{0C}": return "\\f"
            case "\u{2028}", "\u{2029}", "\u{7F}": return "\\u" + hex4(scalar.value)
            default: return scalar.value < 0x20 ? "\\u" + hex4(scalar.value) : nil
            }
        } + "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
