// The plan's currency, settled before any field is filled: every amount is converted to
// it as it is stored, wherever in the plan's files the account is declared.

extension Compiler {
    /// The account kind's place in `Schema.kinds` (rows are picked by it, not by name).
    static let accountOrdinal = Int16(Schema.kinds.firstIndex { $0.name == "account" } ?? -1)

    /// Reads the account's `currency` and `rates` from its declaration. They are read as
    /// written, without running code (rates are data: `rates: { USD: 0.92 }`), so an
    /// amount filled before the account's own fields is already in the right currency.
    /// A word that is not a currency is left for the fill to report.
    func settleCurrency(_ rows: PlanRows, into problems: inout [Diagnostic]) {
        for declaration in rows.declarations(ofKind: Int(Compiler.accountOrdinal)) {
            let columns = declaration.table.rows, kind = declaration.entityKind
            var settled = machine.plan.money
            for field in declaration.fieldRange where columns.fields[field].slot >= 0 {
                let span = columns.valueSpan(field)
                switch kind.fields[Int(columns.fields[field].slot)].name {
                case "currency":
                    guard case .word(let symbol) = columns.fields[field].value else {
                        problems.append(Diagnostic(.wrongFieldType(field: "currency", expected: "a currency code, like currency: EUR", found: "an expression"), at: span))
                        continue
                    }
                    if let currency = Currency(code: columns.names[Int(symbol)]) { settled.currency = currency }
                case "rates":
                    guard case .record(let entries) = columns.valueExpr(field).kind else {
                        problems.append(Diagnostic(.wrongFieldType(field: "rates", expected: "a record of rates written as numbers, like rates: { USD: 0.92 }", found: "an expression"), at: span))
                        continue
                    }
                    settled.rates = [:]
                    for entry in entries {
                        guard let currency = Currency(code: entry.key.text) else { continue }
                        guard case .literal(.number(let rate)) = entry.value.kind, rate > 0, rate.isFinite else {
                            problems.append(Diagnostic(.wrongFieldType(field: "rates.\(entry.key.text)", expected: "a number above 0 (what one \(entry.key.text) is worth in the plan's currency)",
                                                                       found: Compiler.describeRate(entry.value)), at: entry.value.span))
                            continue
                        }
                        settled.rates[currency] = rate
                    }
                default:
                    continue
                }
            }
            if settled.currency != machine.plan.currency, holdsEarlierAmounts(besides: rows) {
                // (A REPL session: amounts declared before are in the old currency.)
                problems.append(Diagnostic(.currencyChanged(from: machine.plan.currency.code, to: settled.currency.code), at: declaration.span))
                settled.currency = machine.plan.currency
            }
            machine.plan.money = settled
        }
    }

    /// Whether an entity declared before this batch holds an amount of money.
    private func holdsEarlierAmounts(besides rows: PlanRows) -> Bool {
        var batch = Set<Entity>()
        rows.forEachDeclaration { _, _, _, table, row, _ in
            if let table { batch.insert(Entity(table: table, row: row)) }
            return true
        }
        return Schema.kinds.contains { kind in
            machine.plan.entities(of: kind).contains { entity in
                !batch.contains(entity) && kind.fields.indices.contains { if case .money = entity.field($0) { return true } else { return false } }
            }
        }
    }

    /// What a rate that is not a number above 0 was written as.
    static func describeRate(_ expr: Expr) -> String {
        switch expr.kind {
        case .literal(.number(let n)): return formatNumber(n)
        case .unary(.negate, let inner): if case .literal(.number(let n)) = inner.kind { return formatNumber(-n) }
        case .literal(let literal): return FieldConversion.describe(Compiler.value(of: literal))
        case .unary, .bool, .nilLiteral, .symbol, .interpolation, .variable, .list, .record, .binary, .call, .index, .field,
             .function, .conditional, .comprehension, .range, .query:
            break
        }
        return "an expression (rates are written as numbers)"
    }
}
