// Query clauses over lists: `where`, `sort by`, `group by`, `select`, `take`. Each
// clause evaluates its expressions once per item, with the item in a hidden local.

extension Compiler {
    func compileQuery(_ base: @escaping ExprCode, _ clause: QueryClause, baseSpan: Span) -> ExprCode {
        let machine = self.machine
        let setItem = loopSetter(Name(text: "it", span: clause.span))
        let span = clause.span
        func items(_ frame: Frame) throws -> ContiguousArray<Value> {
            switch try base(frame) {
            case .list(let list): return list.items
            case .nil: return []
            case let other: throw RuntimeError(.notIterable(other.typeName), at: baseSpan)
            }
        }
        switch clause.kind {
        case .filter(let conditionExpr):
            let keep = condition(conditionExpr)
            return { frame in
                var kept = ContiguousArray<Value>()
                for item in try items(frame) {
                    try machine.poll(span)
                    setItem(frame, item)
                    if try keep(frame) { kept.append(item) }
                }
                return .list(ListObject(kept))
            }
        case .sort(let keys):
            let codes = keys.map { (code: compileExpr($0.key), descending: $0.descending) }
            return { frame in
                let all = try items(frame)
                var keyed: [[Value]] = []
                keyed.reserveCapacity(all.count)
                for item in all {
                    setItem(frame, item)
                    keyed.append(try codes.map { try $0.code(frame) })
                }
                var failure: RuntimeError?
                let order = all.indices.sorted { a, b in
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
                            if failure == nil { failure = RuntimeError(.typeMismatch(operation: "compare", left: x.typeName, right: y.typeName), at: span) }
                            return false
                        }
                        if c != 0 { return key.descending ? c > 0 : c < 0 }
                    }
                    return a < b
                }
                if let failure { throw failure }
                return .list(ListObject(ContiguousArray(order.map { all[$0] })))
            }
        case .group(let keyExpr):
            let key = compileExpr(keyExpr)
            var keyName: String?
            if case .variable(let name) = keyExpr.kind { keyName = name.text }
            let shape = Shape(keys: ["key"] + (keyName.map { [$0] } ?? []) + ["count", "items"])
            return { frame in
                var groups: [(key: Value, items: ContiguousArray<Value>)] = []
                for item in try items(frame) {
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
        case .select(let fields):
            let shape = Shape(keys: fields.map(\.key.text))
            let codes = fields.map { compileExpr($0.value) }
            return { frame in
                var rows = ContiguousArray<Value>()
                for item in try items(frame) {
                    setItem(frame, item)
                    rows.append(.record(RecordObject(shape: shape, values: ContiguousArray(try codes.map { try $0(frame) }))))
                }
                return .list(ListObject(rows))
            }
        case .take(let countExpr):
            let count = compileExpr(countExpr)
            return { frame in
                let all = try items(frame)
                let value = try count(frame)
                guard case .number(let n) = value, n >= 0, n == n.rounded() else {
                    let found = value.typeName == "number" ? value.display : value.typeName
                    throw RuntimeError(.invalidArgument(function: "take", message: "needs a whole number of items, found \(found)"), at: countExpr.span)
                }
                return .list(ListObject(ContiguousArray(all.prefix(Int(min(n, 1e15))))))
            }
        }
    }
}
