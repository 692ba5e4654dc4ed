// Writes a PlanDocument as canonical, readable .mapl source: kinds in the schema's
// order, fields in each kind's order, short declarations on one line and longer ones
// with one field a line (so that version control shows one changed field per line).

/// Turns plan documents into plan source text.
public enum PlanWriter {
    /// Declarations up to this width stay on one line.
    static let lineWidth = 100

    /// The source text of a whole document.
    public static func write(_ document: PlanDocument) -> String {
        var out = ""
        for line in document.header { out += comment(line) }
        if !document.imports.isEmpty {
            if !out.isEmpty { out += "\n" }
            for module in document.imports { out += "import " + quote(module) + "\n" }
        }
        if !document.definitions.isEmpty {
            if !out.isEmpty { out += "\n" }
            for definition in document.definitions { out += definition + "\n" }
        }
        let order = Dictionary(uniqueKeysWithValues: Schema.kinds.enumerated().map { ($1.name, $0) })
        let sorted = document.entries.enumerated().sorted { a, b in
            let (ka, kb) = (order[a.element.kind] ?? Int.max, order[b.element.kind] ?? Int.max)
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
        var previous: (kind: String, lines: Int)?
        for entry in sorted {
            // A blank line between kinds, around declarations of several lines (with
            // their comments), and after the header.
            let text = declaration(entry)
            let lines = text.utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            if let previous, previous.kind != entry.kind || previous.lines > 1 || lines > 1 { out += "\n" }
            else if previous == nil && !out.isEmpty { out += "\n" }
            previous = (entry.kind, lines)
            out += text
        }
        for rule in document.rules { out += (out.isEmpty ? "" : "\n") + rule + "\n" }
        return out
    }

    /// One declaration with its comment lines, ending in a line break.
    public static func declaration(_ entry: PlanEntry) -> String {
        var out = entry.comments.map(comment).joined()
        var head = entry.kind
        var fields = ordered(entry)
        if let id = entry.id { head += " " + id }
        if entry.kind == "influence" || entry.kind == "conflict" {
            // `influence a -> b strong`, `conflict a <-> b`: the ends (and the strength)
            // are written in the header.
            let from = take("from", from: &fields), to = take("to", from: &fields)
            head += " " + (from.map { literal($0) } ?? "?") + (entry.kind == "influence" ? " -> " : " <-> ") + (to.map { literal($0) } ?? "?")
            if entry.kind == "influence", let strength = take("strength", from: &fields) { head += " " + literal(strength) }
        }
        if let title = entry.title { head += " " + quote(title) }
        if fields.isEmpty { return out + head + "\n" }
        let parts = fields.map { "\($0.name): " + literal($0.value) }
        let oneLine = head + " { " + parts.joined(separator: ", ") + " }"
        if oneLine.count <= lineWidth && !oneLine.contains("\n") { return out + oneLine + "\n" }
        out += head + " {\n"
        for field in fields { out += "  \(field.name): " + literal(field.value, indent: "  ") + "\n" }
        return out + "}\n"
    }

    /// The fields in the schema's order for the kind (unknown names last, as given).
    private static func ordered(_ entry: PlanEntry) -> [PlanEntry.Field] {
        let kind = Schema.kind(named: entry.kind)
        return entry.fields.enumerated().sorted { a, b in
            let ia = kind?.index[a.element.name] ?? Int.max, ib = kind?.index[b.element.name] ?? Int.max
            return ia != ib ? ia < ib : a.offset < b.offset
        }.map(\.element)
    }

    private static func take(_ name: String, from fields: inout [PlanEntry.Field]) -> FieldValue? {
        guard let index = fields.firstIndex(where: { $0.name == name }) else { return nil }
        return fields.remove(at: index).value
    }

    private static func comment(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "#\n" : "# \($0)\n" }.joined()
    }

    /// A value as source text. A list too long for one line is written one item a line.
    public static func literal(_ value: FieldValue, indent: String = "") -> String {
        switch value {
        case .text(let text): return quote(text)
        case .number(let number): return numberLiteral(number)
        case .money(let money): return moneyLiteral(money)
        case .percent(let fraction): return numberLiteral((fraction * 100 * 1e6).rounded() / 1e6) + "%"
        case .date(let day): return day.formatted
        case .duration(let duration): return durationLiteral(duration)
        case .bool(let flag): return flag ? "true" : "false"
        case .word(let word): return word
        case .code(let code): return code
        case .list(let items):
            let parts = items.map { literal($0, indent: indent + "  ") }
            let flat = "[" + parts.joined(separator: ", ") + "]"
            if indent.count + flat.count <= lineWidth - 10 && !flat.contains("\n") { return flat }
            return "[\n" + parts.map { indent + "  " + $0 + ",\n" }.joined() + indent + "]"
        case .map(let entries):
            return "{" + entries.map { "\($0.name): " + literal($0.value, indent: indent) }.joined(separator: ", ") + "}"
        }
    }

    /// Whole numbers without a decimal point; others in the shortest form that reads back.
    static func numberLiteral(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        let text = String(number)
        guard text.contains("e") else { return text }
        // Swift writes 1e-05; mapl has no exponent notation.
        var fixed = String(format: "%.15f", number)
        while fixed.hasSuffix("0") { fixed.removeLast() }
        return fixed.hasSuffix(".") ? String(fixed.dropLast()) : fixed
    }

    /// `$1.1M`, `€420k`, `CHF 1,234.50`: the shortest exact spelling a person would type.
    static func moneyLiteral(_ money: Money) -> String {
        let sign = money.cents < 0 ? "-" : ""
        let cents = money.cents.magnitude
        guard cents % 100 == 0 else { return money.formatted }
        let whole = cents / 100
        func scaled(_ unit: UInt64, _ suffix: String) -> String? {
            // At most three decimals: 1_250_000 is $1.25M.
            guard whole >= unit, whole % (unit / 1000) == 0 else { return nil }
            var text = String(whole / unit)
            let fraction = whole % unit / (unit / 1000)
            if fraction > 0 {
                var digits = String(fraction)
                digits = String(repeating: "0", count: 3 - digits.count) + digits
                while digits.hasSuffix("0") { digits.removeLast() }
                text += "." + digits
            }
            return sign + money.currency.prefix + text + suffix
        }
        if let text = scaled(1_000_000_000, "B") ?? scaled(1_000_000, "M") { return text }
        if whole >= 1000, whole % 1000 == 0 { return sign + money.currency.prefix + "\(whole / 1000)k" }
        return money.formatted
    }

    /// `90d`, `6w`, `3mo`, `1y`, `1y + 2mo + 3d`.
    static func durationLiteral(_ duration: Duration) -> String {
        var parts: [(Int, String)] = []
        let months = Int(duration.months), days = Int(duration.days)
        if months != 0 { parts.append(months % 12 == 0 ? (months / 12, "y") : (months, "mo")) }
        if days != 0 || months == 0 { parts.append(days % 7 == 0 && days != 0 ? (days / 7, "w") : (days, "d")) }
        var out = ""
        for (index, (count, unit)) in parts.enumerated() {
            if index == 0 { out += (count < 0 ? "-" : "") + "\(abs(count))\(unit)" } else { out += (count < 0 ? " - " : " + ") + "\(abs(count))\(unit)" }
        }
        return out
    }
}
