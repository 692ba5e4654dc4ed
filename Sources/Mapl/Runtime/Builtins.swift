// The built-in functions every program can call. Each has a fixed arity the resolver
// checks before running, and a one-line doc shown by the REPL's :help.

import Foundation

/// The built-in function table.
enum Builtins {
    /// A built-in's arguments: a view of value-stack slots (no array is allocated).
    typealias Arguments = UnsafeBufferPointer<Value>
    typealias Implementation = @Sendable (Arguments, CallContext) throws -> Value

    struct Entry: Sendable {
        let name: String
        let arity: Arity
        let doc: String
        let run: Implementation
    }

    static func name(of index: Int) -> String {
        index >= 0 && index < entries.count ? entries[index].name : "?"
    }

    /// Name → (index, arity), for the resolver.
    static let signatures: [String: (index: Int, arity: Arity)] = {
        var table: [String: (index: Int, arity: Arity)] = [:]
        for (index, entry) in entries.enumerated() { table[entry.name] = (index, entry.arity) }
        return table
    }()

    /// The implementations and arities apart from the names and docs, so a call copies
    /// no strings (copying a whole entry cost three reference counts per call).
    static let implementations: [Implementation] = entries.map(\.run)
    static let arities: [Arity] = entries.map(\.arity)

    static func call(_ index: Int, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        guard arities[index].accepts(arguments.count) else {
            throw RuntimeError(.wrongArity(name: entries[index].name, expected: entries[index].arity, got: arguments.count), at: context.span)
        }
        return try implementations[index](arguments, context)
    }

    // MARK: - Argument helpers

    static func list(_ name: String, _ value: Value, _ context: CallContext) throws -> ListObject {
        guard case .list(let list) = value else { throw context.fail(name, "expected a list, found \(value.typeName)") }
        return list
    }

    static func string(_ name: String, _ value: Value, _ context: CallContext) throws -> String {
        guard case .string(let text) = value else { throw context.fail(name, "expected a string, found \(value.typeName)") }
        return text
    }

    static func number(_ name: String, _ value: Value, _ context: CallContext) throws -> Double {
        guard case .number(let number) = value else { throw context.fail(name, "expected a number, found \(value.typeName)") }
        return number
    }

    static func record(_ name: String, _ value: Value, _ context: CallContext) throws -> RecordObject {
        guard case .record(let record) = value else { throw context.fail(name, "expected a record, found \(value.typeName)") }
        return record
    }

    static func date(_ name: String, _ value: Value, _ context: CallContext) throws -> Day {
        guard case .date(let day) = value else { throw context.fail(name, "expected a date, found \(value.typeName)") }
        return day
    }

    /// How many characters a text has: its bytes when they are all ASCII (one character
    /// each: counting graphemes is the slow path of text-heavy scripts), else its
    /// grapheme clusters.
    static func characterCount(_ text: String) -> Int {
        var text = text
        if text.withUTF8(SourceFile.isASCII) { return text.utf8.count }
        return text.count
    }

    /// The items' texts with `separator` between them, built as bytes and made a string
    /// once; a text over the size limit is an error before anything is allocated.
    static func join(_ items: ContiguousArray<Value>, separator: String, span: Span) throws -> String {
        // At least this many bytes (a value other than a text shows as one or more).
        var room = 0
        for item in items {
            if case .string(let text) = item { room += text.utf8.count } else { room += 1 }
            room += separator.utf8.count
            if room > Limits.maxTextBytes { break }
        }
        try Limits.checkText(room, span)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(room)
        for (index, item) in items.enumerated() {
            if index > 0 { bytes += separator.utf8 }
            item.appendDisplay(to: &bytes)
            if bytes.count > Limits.maxTextBytes { try Limits.checkText(bytes.count, span) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The pieces of `text` between occurrences of `separator`, matched on their UTF-8
    /// bytes (the separator's exact characters, as Foundation's literal search does).
    static func split(_ text: String, by separator: String) -> ContiguousArray<Value> {
        var pieces = ContiguousArray<Value>()
        var text = text, separator = separator
        text.withUTF8 { whole in
            separator.withUTF8 { needle in
                guard let first = needle.first else { return }
                // Room for a line's words at once (growing from one item is most of the
                // cost of splitting short texts); longer lists grow from there.
                pieces.reserveCapacity(min(whole.count / needle.count + 1, 16))
                var start = 0, index = 0
                let last = whole.count - needle.count
                while index <= last, let base = whole.baseAddress {
                    // memchr finds the separator's first byte (vectorised by libc).
                    guard let hit = memchr(base + index, Int32(first), last + 1 - index) else { break }
                    index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if needle.count == 1 || whole[index..<index + needle.count].elementsEqual(needle) {
                        pieces.append(.string(String(decoding: UnsafeBufferPointer(rebasing: whole[start..<index]), as: UTF8.self)))
                        index += needle.count
                        start = index
                    } else {
                        index += 1
                    }
                }
                pieces.append(.string(String(decoding: UnsafeBufferPointer(rebasing: whole[start...]), as: UTF8.self)))
            }
        }
        return pieces
    }

    /// The currency a code names (`"EUR"`, or a level of the currency scale).
    static func currencyNamed(_ name: String, _ value: Value, _ context: CallContext) throws -> Currency {
        var code = ""
        switch value {
        case .string(let text), .symbol(let text): code = text
        case .level(let level): if let currency = Currency(level) { return currency }
        default: throw context.fail(name, "expected a currency code such as \"EUR\", found \(value.typeName)")
        }
        guard let currency = Currency(code: code.uppercased()) else {
            throw context.fail(name, "'\(code)' is not a currency mapl knows (\(Scales.currency.values.map(\.name).joined(separator: ", ")))")
        }
        return currency
    }

    /// Applies a number function to numbers, money, percentages alike, keeping the unit.
    static func mapMagnitude(_ name: String, _ value: Value, _ context: CallContext, _ f: (Double) -> Double) throws -> Value {
        switch value {
        case .number(let x): return .number(f(x))
        case .percent(let x): return .percent(f(x * 100) / 100)
        case .money(let m):
            guard let result = Money(amount: f(m.amount), currency: m.currency) else { throw RuntimeError(.overflow("money amount"), at: context.span) }
            return .money(result)
        default: throw context.fail(name, "expected a number, money or a percentage, found \(value.typeName)")
        }
    }

    /// The order of two values, or an error naming both types.
    static func order(_ name: String, _ a: Value, _ b: Value, _ context: CallContext) throws -> Int {
        guard let order = a.compare(to: b) else {
            throw context.fail(name, "cannot order \(Value.unorderable(a, b))")
        }
        return order
    }

    /// Sorts values by precomputed keys (stable), throwing if two keys cannot be ordered.
    static func sorted(_ name: String, _ items: ContiguousArray<Value>, keys: [Value], descending: Bool, _ context: CallContext) throws -> ContiguousArray<Value> {
        var interrupt = InterruptCheck(context.machine)
        let order = try keys.indices.sorted { i, j in
            try interrupt.tick(context.span)
            guard let c = keys[i].compare(to: keys[j]) else {
                throw context.fail(name, "cannot order \(Value.unorderable(keys[i], keys[j]))")
            }
            return c == 0 ? i < j : (descending ? c > 0 : c < 0)
        }
        return ContiguousArray(order.map { items[$0] })
    }

    static func extreme(_ name: String, _ arguments: Arguments, _ context: CallContext, wantMax: Bool) throws -> Value {
        let items: ContiguousArray<Value>
        if arguments.count == 1, case .list(let list) = arguments[0] { items = list.items } else { items = ContiguousArray(arguments) }
        guard var best = items.first else { throw context.fail(name, "needs at least one value") }
        for item in items.dropFirst() {
            let c = try order(name, best, item, context)
            if wantMax ? c < 0 : c > 0 { best = item }
        }
        return best
    }

    // MARK: - The table

    static let entries: [Entry] = coreEntries + planEntries + revenueEntries + dealStrategyEntries + planLoadingEntries + exportEntries + planDiffEntries

    static let coreEntries: [Entry] = [
        Entry(name: "print", arity: Arity(min: 0, max: nil), doc: "print(values…): writes the values, separated by spaces, and a new line; a list of records or entities prints as a table, a one-per-plan entity (print(swot)) as its fields") { args, context in
            if args.count == 1, let table = TableFormatting.table(for: args[0]) {
                context.machine.output(table)
            } else if args.count == 1, case .entity(let entity) = args[0], entity.kind.isSingleton {
                let card = DerivedFields.card(of: entity, plan: entity.plan ?? context.machine.plan, today: context.machine.today)
                context.machine.output(TableFormatting.card(card) + "\n")
            } else {
                context.machine.output(try args.map { try Limits.displayed($0, context.span) }.joined(separator: " ") + "\n")
            }
            return .nil
        },
        Entry(name: "table", arity: Arity(1), doc: "table(list): the list of records or entities as an aligned text table") { args, context in
            guard let table = TableFormatting.table(for: args[0]) else {
                throw context.fail("table", "needs a non-empty list of records or entities, found \(args[0].typeName)")
            }
            return .string(table)
        },
        Entry(name: "assert", arity: Arity(min: 1, max: 2), doc: "assert(condition, message?): stops with an error when the condition is false") { args, context in
            guard case .bool(let truth) = args[0] else {
                throw RuntimeError(.conditionNotBool(args[0].typeName), at: context.span)
            }
            if !truth { throw RuntimeError(.assertionFailed(args.count > 1 ? args[1].display : nil), at: context.span) }
            return .nil
        },
        Entry(name: "len", arity: Arity(1), doc: "len(x): the number of items in a list, fields in a record or characters in a string") { args, context in
            switch args[0] {
            case .list(let list): return .number(Double(list.items.count))
            case .record(let record): return .number(Double(record.values.count))
            case .string(let text): return .number(Double(Builtins.characterCount(text)))
            default: throw context.fail("len", "expected a list, record or string, found \(args[0].typeName)")
            }
        },
        Entry(name: "str", arity: Arity(1), doc: "str(x): the value as text, as print shows it") { args, context in
            .string(try Limits.displayed(args[0], context.span))
        },
        Entry(name: "type", arity: Arity(1), doc: "type(x): the name of the value's type") { args, _ in
            .string(args[0].typeName)
        },
        Entry(name: "number", arity: Arity(1), doc: "number(x): a plain number from text, money (its amount), a percentage (its fraction) or a duration (its days)") { args, context in
            switch args[0] {
            case .number: return args[0]
            case .money(let m): return .number(m.amount)
            case .percent(let p): return .number(p)
            case .duration(let d): return .number(Double(d.approximateDays))
            case .string(let text):
                // Plain decimal notation only: no "nan", "inf" or hexadecimal.
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                guard trimmed.range(of: #"^[-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil,
                      let value = Double(trimmed), value.isFinite else {
                    throw context.fail("number", "\(quote(text)) is not a number")
                }
                return .number(value)
            default: throw context.fail("number", "cannot make a number from \(args[0].typeName)")
            }
        },
        Entry(name: "money", arity: Arity(min: 1, max: 2), doc: "money(n) or money(n, \"EUR\"): the amount n as money in the plan's currency (or the one named), e.g. money(1500) is $1,500") { args, context in
            let currency = args.count > 1 ? try currencyNamed("money", args[1], context) : context.machine.plan.currency
            if case .money(let given) = args[0] {
                guard given.currency == currency else { throw context.fail("money", "\(given.formatted) is already money; convert(amount, \"\(currency.code)\") converts it") }
                return args[0]
            }
            guard let result = Money(amount: try number("money", args[0], context), currency: currency) else { throw RuntimeError(.overflow("money amount"), at: context.span) }
            return .money(result)
        },
        Entry(name: "convert", arity: Arity(2), doc: "convert(amount, \"EUR\"): the amount in another currency, at the rates the plan's account declares (rates: { EUR: 1.08 } says what one EUR is worth in the plan's currency)") { args, context in
            guard case .money(let amount) = args[0] else { throw context.fail("convert", "expected money, found \(args[0].typeName)") }
            switch context.machine.plan.money.convert(amount, to: try currencyNamed("convert", args[1], context)) {
            case .success(let converted): return .money(converted)
            case .failure(let problem): throw RuntimeError(problem, at: context.span)
            }
        },
        Entry(name: "percent", arity: Arity(1), doc: "percent(f): the fraction f as a percentage, e.g. percent(0.25) is 25%") { args, context in
            if case .percent = args[0] { return args[0] }
            return .percent(try number("percent", args[0], context))
        },
        Entry(name: "date", arity: Arity(min: 1, max: 3), doc: "date(text) or date(year, month, day): a calendar date") { args, context in
            if args.count == 1 {
                let text = try string("date", args[0], context)
                let parts = text.split(separator: "-", omittingEmptySubsequences: false).compactMap { Int($0) }
                guard text.range(of: #"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"#, options: .regularExpression) != nil,
                      parts.count == 3, let day = Day(year: parts[0], month: parts[1], day: parts[2]) else {
                    throw context.fail("date", "\(quote(text)) is not a date like 2027-03-31")
                }
                return .date(day)
            }
            guard args.count == 3 else { throw context.fail("date", "give a text or a year, month and day") }
            let numbers = try args.map { try number("date", $0, context) }
            guard numbers.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e6 }),
                  let day = Day(year: Int(numbers[0]), month: Int(numbers[1]), day: Int(numbers[2])) else {
                throw context.fail("date", "there is no such date")
            }
            return .date(day)
        },
        Entry(name: "today", arity: Arity(0), doc: "today(): the current date (MAPL_TODAY=YYYY-MM-DD fixes it)") { _, context in
            .date(context.machine.today)
        },
        Entry(name: "year", arity: Arity(1), doc: "year(date): the year of a date") { args, context in
            .number(Double(try date("year", args[0], context).civil.year))
        },
        Entry(name: "month", arity: Arity(1), doc: "month(date): the month (1-12) of a date") { args, context in
            .number(Double(try date("month", args[0], context).civil.month))
        },
        Entry(name: "days", arity: Arity(1), doc: "days(duration): the length in days (a month counts 30)") { args, context in
            guard case .duration(let d) = args[0] else { throw context.fail("days", "expected a duration, found \(args[0].typeName)") }
            return .number(Double(d.approximateDays))
        },
        Entry(name: "push", arity: Arity(2), doc: "push(list, value): adds a value at the end of a list") { args, context in
            let target = try list("push", args[0], context)
            try Limits.checkList(target.items.count + 1, context.span)
            target.items.append(args[1])
            return .nil
        },
        Entry(name: "pop", arity: Arity(1), doc: "pop(list): removes and returns the last value of a list") { args, context in
            let target = try list("pop", args[0], context)
            guard let last = target.items.popLast() else { throw context.fail("pop", "the list is empty") }
            return last
        },
        Entry(name: "keys", arity: Arity(1), doc: "keys(record): the field names of a record, in order") { args, context in
            .list(ListObject(ContiguousArray(try record("keys", args[0], context).shape.keys.map { .string($0) })))
        },
        Entry(name: "values", arity: Arity(1), doc: "values(record): the field values of a record, in order") { args, context in
            .list(ListObject(try record("values", args[0], context).values))
        },
        Entry(name: "sum", arity: Arity(1), doc: "sum(list): the total of numbers, money, percentages or durations, leaving out nil (0 when empty)") { args, context in
            // Unset values (nil) are left out, as SQL's SUM does.
            let items = try list("sum", args[0], context).items.filter { if case .nil = $0 { return false } else { return true } }
            guard var total = items.first else { return .number(0) }
            for item in items.dropFirst() { total = try Operators.add(total, item, context.span) }
            return total
        },
        Entry(name: "min", arity: Arity(min: 1, max: nil), doc: "min(list) or min(a, b, …): the smallest value") { args, context in
            try extreme("min", args, context, wantMax: false)
        },
        Entry(name: "max", arity: Arity(min: 1, max: nil), doc: "max(list) or max(a, b, …): the largest value") { args, context in
            try extreme("max", args, context, wantMax: true)
        },
        Entry(name: "abs", arity: Arity(1), doc: "abs(x): the magnitude of a number, amount or percentage") { args, context in
            try mapMagnitude("abs", args[0], context) { Swift.abs($0) }
        },
        Entry(name: "round", arity: Arity(min: 1, max: 2), doc: "round(x, digits?): rounds half away from zero, to whole units or to digits decimals") { args, context in
            let digits = args.count > 1 ? try number("round", args[1], context) : 0
            guard digits == digits.rounded(), (0...12).contains(digits) else { throw context.fail("round", "digits must be a whole number from 0 to 12") }
            let scale = pow(10, digits)
            return try mapMagnitude("round", args[0], context) { ($0 * scale).rounded(.toNearestOrAwayFromZero) / scale }
        },
        Entry(name: "floor", arity: Arity(1), doc: "floor(x): rounds down") { args, context in
            try mapMagnitude("floor", args[0], context) { $0.rounded(.down) }
        },
        Entry(name: "ceil", arity: Arity(1), doc: "ceil(x): rounds up") { args, context in
            try mapMagnitude("ceil", args[0], context) { $0.rounded(.up) }
        },
        Entry(name: "sqrt", arity: Arity(1), doc: "sqrt(n): the square root of a number") { args, context in
            let n = try number("sqrt", args[0], context)
            guard n >= 0 else { throw context.fail("sqrt", "cannot take the square root of a negative number") }
            return .number(n.squareRoot())
        },
        Entry(name: "pow", arity: Arity(2), doc: "pow(base, exponent): base raised to exponent") { args, context in
            let result = Foundation.pow(try number("pow", args[0], context), try number("pow", args[1], context))
            guard result.isFinite else { throw RuntimeError(.overflow("result of pow"), at: context.span) }
            return .number(result)
        },
        Entry(name: "sort", arity: Arity(min: 1, max: 2), doc: "sort(list, key?): a sorted copy, smallest first; key is a function giving what to compare") { args, context in
            let items = try list("sort", args[0], context).items
            let keys = args.count > 1 ? try items.map { try context.machine.call(args[1], [$0], top: context.top, span: context.span) } : Array(items)
            return .list(ListObject(try sorted("sort", items, keys: keys, descending: false, context)))
        },
        Entry(name: "sort_desc", arity: Arity(min: 1, max: 2), doc: "sort_desc(list, key?): a sorted copy, largest first") { args, context in
            let items = try list("sort_desc", args[0], context).items
            let keys = args.count > 1 ? try items.map { try context.machine.call(args[1], [$0], top: context.top, span: context.span) } : Array(items)
            return .list(ListObject(try sorted("sort_desc", items, keys: keys, descending: true, context)))
        },
        Entry(name: "reverse", arity: Arity(1), doc: "reverse(list): a copy in the opposite order") { args, context in
            .list(ListObject(ContiguousArray(try list("reverse", args[0], context).items.reversed())))
        },
        Entry(name: "map", arity: Arity(2), doc: "map(list, f): a list of f(item) for each item") { args, context in
            let items = try list("map", args[0], context).items
            return .list(ListObject(ContiguousArray(try items.map { try context.machine.call(args[1], [$0], top: context.top, span: context.span) })))
        },
        Entry(name: "filter", arity: Arity(2), doc: "filter(list, f): the items for which f(item) is true") { args, context in
            let items = try list("filter", args[0], context).items
            return .list(ListObject(try items.filter { item in
                let keep = try context.machine.call(args[1], [item], top: context.top, span: context.span)
                guard case .bool(let truth) = keep else { throw RuntimeError(.conditionNotBool(keep.typeName), at: context.span) }
                return truth
            }))
        },
        Entry(name: "join", arity: Arity(min: 1, max: 2), doc: "join(list, separator?): the items as text, joined (default \", \")") { args, context in
            let separator = args.count > 1 ? try string("join", args[1], context) : ", "
            return .string(try Builtins.join(try list("join", args[0], context).items, separator: separator, span: context.span))
        },
        Entry(name: "split", arity: Arity(2), doc: "split(text, separator): the pieces of text between separators") { args, context in
            let text = try string("split", args[0], context), separator = try string("split", args[1], context)
            guard !separator.isEmpty else { throw context.fail("split", "the separator is empty") }
            return .list(ListObject(Builtins.split(text, by: separator)))
        },
        Entry(name: "upper", arity: Arity(1), doc: "upper(text): in capitals") { args, context in
            .string(try string("upper", args[0], context).uppercased())
        },
        Entry(name: "lower", arity: Arity(1), doc: "lower(text): in small letters") { args, context in
            .string(try string("lower", args[0], context).lowercased())
        },
        Entry(name: "trim", arity: Arity(1), doc: "trim(text): without leading and trailing spaces") { args, context in
            .string(try string("trim", args[0], context).trimmingCharacters(in: .whitespacesAndNewlines))
        },
        Entry(name: "starts_with", arity: Arity(2), doc: "starts_with(text, prefix): whether text begins with prefix") { args, context in
            .bool(try string("starts_with", args[0], context).hasPrefix(try string("starts_with", args[1], context)))
        },
        Entry(name: "replace", arity: Arity(3), doc: "replace(text, old, new): text with every old replaced by new") { args, context in
            let text = try string("replace", args[0], context), old = try string("replace", args[1], context)
            guard !old.isEmpty else { throw context.fail("replace", "the text to replace is empty") }
            let result = text.replacingOccurrences(of: old, with: try string("replace", args[2], context))
            try Limits.checkText(result.utf8.count, context.span)
            return .string(result)
        },
        Entry(name: "pad", arity: Arity(2), doc: "pad(value, width): the value as text, padded with spaces to width (negative: pad on the left)") { args, context in
            let text = args[0].display
            let width = try number("pad", args[1], context)
            guard width == width.rounded(), Swift.abs(width) <= 10_000 else { throw context.fail("pad", "width must be a whole number up to 10000") }
            let fill = String(repeating: " ", count: max(0, Int(Swift.abs(width)) - text.count))
            return .string(width < 0 ? fill + text : text + fill)
        },
    ]
}
