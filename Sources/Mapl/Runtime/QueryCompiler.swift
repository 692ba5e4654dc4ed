// Query clauses over lists: `where`, `sort by`, `group by`, `select`, `take`. Each
// clause evaluates its expressions once per item, with the item in a hidden local.

extension Compiler {
    func compileQuery(_ base: @escaping ExprCode, _ clause: QueryClause, baseSpan: Span) -> ExprCode {
        let input = QueryInput(base: base, span: baseSpan)
        let span = clause.span
        switch clause.kind {
        case .filter(let conditionExpr): return compileFilter(input, conditionExpr, span: span)
        case .sort(let keys): return compileSort(input, keys, span: span)
        case .group(let keyExpr): return compileGroup(input, keyExpr, span: span)
        case .select(let fields): return compileSelect(input, fields, span: span)
        case .take(let countExpr): return compileTake(input, countExpr)
        }
    }

    /// Writes the item a clause is looking at into its hidden local (`it`).
    private func queryItemSetter(_ span: Span) -> (Frame, Value) -> Void {
        loopSetter(Name(text: "it", span: span))
    }

    /// `where`: the items for which the condition holds.
    private func compileFilter(_ input: QueryInput, _ conditionExpr: Expr, span: Span) -> ExprCode {
        let machine = self.machine
        let setItem = queryItemSetter(span)
        let keep = condition(conditionExpr)
        return { frame in
            var kept = ContiguousArray<Value>()
            for item in try input.items(frame) {
                try machine.poll(span)
                setItem(frame, item)
                if try keep(frame) { kept.append(item) }
            }
            return .list(ListObject(kept))
        }
    }

    /// `sort by`: a stable sort on the keys in turn, nil last; keys that cannot be
    /// compared fail.
    private func compileSort(_ input: QueryInput, _ keys: [SortKey], span: Span) -> ExprCode {
        let setItem = queryItemSetter(span)
        let codes = keys.map { (code: compileExpr($0.key), descending: $0.descending) }
        let machine = self.machine
        return { frame in
            let all = try input.items(frame)
            var keyed: [[Value]] = []
            keyed.reserveCapacity(all.count)
            for item in all {
                setItem(frame, item)
                keyed.append(try codes.map { try $0.code(frame) })
            }
            var interrupt = InterruptCheck(machine)
            let order = try all.indices.sorted { a, b in
                try interrupt.tick(span)
                for (position, key) in codes.enumerated() {
                    let x = keyed[a][position], y = keyed[b][position]
                    // nil (an unset field) sorts last either way.
                    switch (x, y) {
                    case (.nil, .nil): continue
                    case (.nil, _): return false
                    case (_, .nil): return true
                    default: break
                    }
                    guard let c = x.compare(to: y) else {
                        if case .money(let a) = x, case .money(let b) = y {
                            throw RuntimeError(.currencyMismatch(operation: "compare", left: a.currency.code, right: b.currency.code), at: span)
                        }
                        throw RuntimeError(.typeMismatch(operation: "compare", left: x.typeName, right: y.typeName), at: span)
                    }
                    if c != 0 { return key.descending ? c > 0 : c < 0 }
                }
                return a < b
            }
            return .list(ListObject(ContiguousArray(order.map { all[$0] })))
        }
    }

    /// `group by`: a record per distinct key, in order of first appearance, with the
    /// key (also under the key variable's name), the count and the items.
    private func compileGroup(_ input: QueryInput, _ keyExpr: Expr, span: Span) -> ExprCode {
        let setItem = queryItemSetter(span)
        let key = compileExpr(keyExpr)
        var keyName: String?
        if case .variable(let name) = keyExpr.kind { keyName = name.text }
        let shape = Shape(keys: ["key"] + (keyName.map { [$0] } ?? []) + ["count", "items"])
        return { frame in
            var groups: [(key: Value, items: ContiguousArray<Value>)] = []
            for item in try input.items(frame) {
                setItem(frame, item)
                let value = try key(frame)
                if let index = groups.firstIndex(where: { $0.key.isEqual(to: value) }) {
                    groups[index].items.append(item)
                } else {
                    groups.append((value, [item]))
                }
            }
            return .list(ListObject(ContiguousArray(groups.map { group in
                var values: ContiguousArray<Value> = [group.key]
                if keyName != nil { values.append(group.key) }
                values.append(.number(Double(group.items.count)))
                values.append(.list(ListObject(group.items)))
                return .record(RecordObject(shape: shape, values: values))
            })))
        }
    }

    /// `select`: a record of the given fields per item.
    private func compileSelect(_ input: QueryInput, _ fields: [RecordField], span: Span) -> ExprCode {
        let setItem = queryItemSetter(span)
        let shape = Shape(keys: fields.map(\.key.text))
        let codes = fields.map { compileExpr($0.value) }
        return { frame in
            var rows = ContiguousArray<Value>()
            for item in try input.items(frame) {
                setItem(frame, item)
                rows.append(.record(RecordObject(shape: shape, values: ContiguousArray(try codes.map { try $0(frame) }))))
            }
            return .list(ListObject(rows))
        }
    }

    /// `take`: the first so many items.
    private func compileTake(_ input: QueryInput, _ countExpr: Expr) -> ExprCode {
        let count = compileExpr(countExpr)
        return { frame in
            let all = try input.items(frame)
            let value = try count(frame)
            guard case .number(let n) = value, n >= 0, n == n.rounded() else {
                let found = value.typeName == "number" ? value.display : value.typeName
                throw RuntimeError(.invalidArgument(function: "take", message: "needs a whole number of items, found \(found)"), at: countExpr.span)
            }
            return .list(ListObject(ContiguousArray(all.prefix(Int(min(n, 1e15))))))
        }
    }
}

/// What a query clause runs over: the items of its base list (none for nil).
private struct QueryInput {
    let base: ExprCode
    /// The base's span, for a base that is not a list.
    let span: Span

    func items(_ frame: Frame) throws -> ContiguousArray<Value> {
        switch try base(frame) {
        case .list(let list): return list.items
        case .nil: return []
        case let other: throw RuntimeError(.notIterable(other.typeName), at: span)
        }
    }
}
