// Arithmetic and comparison with units: money × percent = money, date + duration = date,
// money + date is an error that says so. Every rule of the unit algebra lives here.

/// Sizes past which a value is refused with an error rather than exhausting memory.
enum Limits {
    static let maxTextBytes = 64 << 20
    static let maxListItems = 16 << 20

    static func checkText(_ byteCount: Int, _ span: Span) throws {
        if byteCount > maxTextBytes { throw RuntimeError(.sizeLimit("the text would be longer than 64 MiB"), at: span) }
        if byteCount >= 1 << 16 { try MemoryBudget.note(byteCount, span) }
    }

    /// The text `print` and `str` show for a value: an error when it would be longer than a
    /// text may be (`display` stops there).
    static func displayed(_ value: Value, _ span: Span) throws -> String {
        let text = value.display
        try checkText(text.utf8.count, span)
        return text
    }

    static func checkList(_ count: Int, _ span: Span) throws {
        if count > maxListItems { throw RuntimeError(.sizeLimit("the list would have more than \(maxListItems) items"), at: span) }
        if count >= 1 << 12 { try MemoryBudget.note(count * MemoryLayout<Value>.stride, span) }
    }
}

enum Operators {
    static func mismatch(_ op: BinaryOperator, _ a: Value, _ b: Value, _ span: Span) -> RuntimeError {
        RuntimeError(.typeMismatch(operation: op.verb, left: a.typeName, right: b.typeName), at: span)
    }

    /// The currency two amounts share; amounts in two currencies are never combined
    /// silently (a plan converts what it is given, so only amounts from two plans meet).
    static func sameCurrency(_ op: BinaryOperator, _ a: Money, _ b: Money, _ span: Span) throws -> Currency {
        guard a.currency == b.currency else {
            throw RuntimeError(.currencyMismatch(operation: op.verb, left: a.currency.code, right: b.currency.code), at: span)
        }
        return a.currency
    }

    static func money(_ op: BinaryOperator, _ a: Money, _ b: Money, _ span: Span,
                      _ combine: (Int64, Int64) -> (partialValue: Int64, overflow: Bool)) throws -> Value {
        let currency = try sameCurrency(op, a, b, span)
        let cents = combine(a.cents, b.cents)
        if cents.overflow { throw RuntimeError(.overflow("money amount"), at: span) }
        return .money(Money(cents: cents.partialValue, currency: currency))
    }

    static func scaled(_ money: Money, by factor: Double, _ span: Span) throws -> Value {
        guard let result = money.scaled(by: factor) else { throw RuntimeError(.overflow("money amount"), at: span) }
        return .money(result)
    }

    static func divided(_ money: Money, by divisor: Double, _ span: Span) throws -> Value {
        guard let result = money.divided(by: divisor) else { throw RuntimeError(.overflow("money amount"), at: span) }
        return .money(result)
    }

    static func shifted(_ day: Day, by duration: Duration, sign: Int, _ span: Span) throws -> Value {
        guard let moved = day.adding(months: sign * Int(duration.months)) else {
            throw RuntimeError(.overflow("date"), at: span)
        }
        let ordinal = Int64(moved.ordinal) + Int64(sign) * Int64(duration.days)
        guard let result = Int32(exactly: ordinal), Day(ordinal: result).civil.year <= 9999, Day(ordinal: result).civil.year >= 1 else {
            throw RuntimeError(.overflow("date"), at: span)
        }
        return .date(Day(ordinal: result))
    }

    static func duration(_ months: (partialValue: Int32, overflow: Bool), _ days: (partialValue: Int32, overflow: Bool), _ span: Span) throws -> Value {
        if months.overflow || days.overflow { throw RuntimeError(.overflow("duration"), at: span) }
        return .duration(Duration(months: months.partialValue, days: days.partialValue))
    }

    static func add(_ a: Value, _ b: Value, _ span: Span) throws -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)): return .number(x + y)
        case (.money(let x), .money(let y)): return try money(.add, x, y, span) { $0.addingReportingOverflow($1) }
        case (.percent(let x), .percent(let y)): return .percent(x + y)
        case (.date(let d), .duration(let t)), (.duration(let t), .date(let d)): return try shifted(d, by: t, sign: 1, span)
        case (.duration(let x), .duration(let y)):
            return try duration(x.months.addingReportingOverflow(y.months), x.days.addingReportingOverflow(y.days), span)
        case (.string(let x), .string(let y)):
            try Limits.checkText(x.utf8.count + y.utf8.count, span)
            return .string(x + y)
        case (.list(let x), .list(let y)):
            try Limits.checkList(x.items.count + y.items.count, span)
            return .list(ListObject(x.items + y.items))
        default: throw mismatch(.add, a, b, span)
        }
    }

    static func subtract(_ a: Value, _ b: Value, _ span: Span) throws -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)): return .number(x - y)
        case (.money(let x), .money(let y)): return try money(.subtract, x, y, span) { $0.subtractingReportingOverflow($1) }
        case (.percent(let x), .percent(let y)): return .percent(x - y)
        case (.date(let d), .duration(let t)): return try shifted(d, by: t, sign: -1, span)
        case (.date(let x), .date(let y)): return try duration((0, false), x.ordinal.subtractingReportingOverflow(y.ordinal), span)
        case (.duration(let x), .duration(let y)):
            return try duration(x.months.subtractingReportingOverflow(y.months), x.days.subtractingReportingOverflow(y.days), span)
        default: throw mismatch(.subtract, a, b, span)
        }
    }

    static func multiply(_ a: Value, _ b: Value, _ span: Span) throws -> Value {
        switch (a, b) {
        case (.number(let x), .number(let y)): return .number(x * y)
        case (.money(let m), .number(let f)), (.number(let f), .money(let m)): return try scaled(m, by: f, span)
        case (.money(let m), .percent(let f)), (.percent(let f), .money(let m)): return try scaled(m, by: f, span)
        case (.percent(let x), .percent(let y)): return .percent(x * y)
        // "40% of 10" is 4: a percentage applied to a plain number gives a plain number.
        case (.percent(let p), .number(let n)), (.number(let n), .percent(let p)): return .number(p * n)
        case (.duration(let t), .number(let n)), (.number(let n), .duration(let t)):
            guard let months = Int32(exactly: (Double(t.months) * n).rounded()), let days = Int32(exactly: (Double(t.days) * n).rounded()) else {
                throw RuntimeError(.overflow("duration"), at: span)
            }
            return .duration(Duration(months: months, days: days))
        default: throw mismatch(.multiply, a, b, span)
        }
    }

    static func divide(_ a: Value, _ b: Value, _ span: Span) throws -> Value {
        func nonzero(_ d: Double) throws -> Double {
            if d == 0 { throw RuntimeError(.divisionByZero, at: span) }
            return d
        }
        switch (a, b) {
        case (.number(let x), .number(let y)): return .number(x / (try nonzero(y)))
        case (.money(let m), .number(let n)): return try divided(m, by: try nonzero(n), span)
        case (.money(let m), .percent(let p)): return try divided(m, by: try nonzero(p), span)
        case (.money(let x), .money(let y)):
            _ = try sameCurrency(.divide, x, y, span)
            return .number(Double(x.cents) / (try nonzero(Double(y.cents))))
        case (.percent(let p), .number(let n)): return .percent(p / (try nonzero(n)))
        case (.percent(let x), .percent(let y)): return .number(x / (try nonzero(y)))
        case (.duration(let t), .number(let n)):
            let factor = 1 / (try nonzero(n))
            return try multiply(.duration(t), .number(factor), span)
        case (.duration(let x), .duration(let y)):
            return .number(Double(x.approximateDays) / (try nonzero(Double(y.approximateDays))))
        default: throw mismatch(.divide, a, b, span)
        }
    }

    static func remainder(_ a: Value, _ b: Value, _ span: Span) throws -> Value {
        guard case .number(let x) = a, case .number(let y) = b else { throw mismatch(.remainder, a, b, span) }
        if y == 0 { throw RuntimeError(.divisionByZero, at: span) }
        return .number(floorRemainder(x, y))
    }

    /// `x % y` for `y` not 0: like Python and Lua, the result takes the sign of the
    /// divisor. Whole numbers below 2^53 (counters, indexes: `i % 5`) take an integer
    /// remainder, exact as fmod is and a tenth of its cost.
    @inline(__always)
    static func floorRemainder(_ x: Double, _ y: Double) -> Double {
        // (0 is left to fmod, which keeps the sign of -0.)
        if let a = Int64(exactly: x), let b = Int64(exactly: y), a.magnitude < 1 << 53, b.magnitude < 1 << 53, a != 0 {
            let r = a % b
            return Double(r != 0 && (r < 0) != (b < 0) ? r + b : r)
        }
        let r = x.truncatingRemainder(dividingBy: y)
        return r != 0 && (r < 0) != (y < 0) ? r + y : r
    }

    static func negate(_ a: Value, _ span: Span) throws -> Value {
        switch a {
        case .number(let x): return .number(-x)
        case .money(let m):
            if m.cents == .min { throw RuntimeError(.overflow("money amount"), at: span) }
            return .money(m.with(cents: -m.cents))
        case .percent(let x): return .percent(-x)
        case .duration(let t):
            return try duration(Int32(0).subtractingReportingOverflow(t.months), Int32(0).subtractingReportingOverflow(t.days), span)
        default: throw RuntimeError(.unaryTypeMismatch(operation: "negate", operand: a.typeName), at: span)
        }
    }

    static func compare(_ op: BinaryOperator, _ a: Value, _ b: Value, _ span: Span) throws -> Bool {
        if case .number(let x) = a, case .number(let y) = b {
            switch op {
            case .less: return x < y
            case .lessEqual: return x <= y
            case .greater: return x > y
            default: return x >= y
            }
        }
        if case .money(let x) = a, case .money(let y) = b { _ = try sameCurrency(op, x, y, span) }
        guard let order = a.compare(to: b) else { throw mismatch(op, a, b, span) }
        switch op {
        case .less: return order < 0
        case .lessEqual: return order <= 0
        case .greater: return order > 0
        default: return order >= 0
        }
    }

    static func contains(_ item: Value, _ container: Value, _ span: Span) throws -> Bool {
        switch container {
        case .list(let list): return list.items.contains { $0.isEqual(to: item) }
        case .string(let text):
            guard case .string(let part) = item else { throw mismatch(.contains, item, container, span) }
            return text.contains(part)
        case .record(let record):
            guard case .string(let key) = item else { throw mismatch(.contains, item, container, span) }
            return record[key] != nil
        default: throw mismatch(.contains, item, container, span)
        }
    }
}
