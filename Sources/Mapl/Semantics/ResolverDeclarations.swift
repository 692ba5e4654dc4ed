// The resolver's plan declarations and rules: field names checked against the schema,
// scale words and entity ids read by the field's type, rules resolved like functions.

extension Resolver {
    /// Kinds whose entities need no id (lines, cells and the one-per-plan kinds).
    static let idOptional: Set<String> = ["account", "event", "influence", "conflict", "swot", "whitespace", "strategy", "plan"]
    /// `idOptional` by kind ordinal (asked once per declaration).
    static let idOptionalByOrdinal: [Bool] = Schema.kinds.map { idOptional.contains($0.name) }

    /// A declaration inside a block (an error, reported by the caller): resolved against
    /// a copy of its table's rows. Top-level ones are resolved by `resolveStatements`.
    mutating func resolveDeclaration(_ declaration: Declaration) {
        resolveDeclaration(declaration, declaration.table.rows)
    }

    mutating func resolveDeclaration(_ declaration: Declaration, _ rows: DeclarationRows) {
        let table = declaration.table, row = rows.row(declaration.index), kind = row.kind
        if row.id < 0, !Resolver.idOptionalByOrdinal[kind.ordinal] {
            report(.idRequired(kind.name), declaration.span)
        }
        var seen: UInt64 = 0  // (kinds have at most 40 fields)
        for field in row.fieldRange {
            let slot = rows.fields[field].slot
            guard slot >= 0 else {
                let key = rows.key(field)
                report(.unknownField(kind: kind.name, field: key.text, suggestion: suggestion(for: key.text, among: kind.fields.map(\.name))), key.span)
                continue
            }
            if seen & (1 << UInt64(slot)) != 0 { report(.duplicateField(kind.fields[Int(slot)].name), rows.key(field).span) }
            seen |= 1 << UInt64(slot)
            let type = kind.fields[Int(slot)].type
            if case .expression(let index) = rows.fields[field].value {
                resolveFieldValue(rows.expressions[Int(index)], as: type)
            } else if !isPlainValue(rows.fields[field].value, in: table, rows, as: type) {
                // Names (variables), a word off the scale, a record the fill does not read
                // in place: resolved, and compiled, as an expression.
                let expr = rows.valueExpr(field)
                resolveFieldValue(expr, as: type)
                fieldsToExpressions.append((table, field, expr))
            }
        }
    }

    /// Whether a value read in place needs nothing more: literals, and words the fill
    /// reads by the field's type (see `isPlainWord`); a record of them when it is one of
    /// entities (or levels) to values, each key once.
    /// (Inlined: it runs for every field of a plan.)
    @inline(__always)
    mutating func isPlainValue(_ value: FieldSyntax, in table: DeclarationTable, _ rows: DeclarationRows, as type: FieldType) -> Bool {
        switch value {
        case .literal, .number, .percent: return true
        case .word(let symbol): return isPlainWord(symbol, in: table, rows, as: type)
        case .words(let first, let count):
            return (first..<first + count).allSatisfy { item in
                let entry = rows.wordLists[Int(item)]
                return entry < 0 || isPlainWord(entry, in: table, rows, as: type)
            }
        case .entries(let first, let count): return isPlainRecord(Int(first)..<Int(first + count), in: table, rows, as: type)
        case .expression: return false
        }
    }

    /// Whether a record read in place needs nothing more (see `isPlainValue`).
    mutating func isPlainRecord(_ entries: Range<Int>, in table: DeclarationTable, _ rows: DeclarationRows, as type: FieldType) -> Bool {
        let valueType: FieldType
        switch type {
        case .refMap(let kinds, let values):
            valueType = values
            for entry in entries where !isEntityWord(rows.fields[entry].key, of: kinds, in: table, rows) { return false }
        case .levelMap(let scale, let values):
            valueType = values
            for entry in entries where !isLevelWord(rows.fields[entry].key, on: scale, in: table, rows) { return false }
        case .text, .texts, .number, .money, .percent, .date, .duration, .bool, .level, .levels, .ref, .refs, .function, .measure:
            return false
        }
        // Each key once: a key's word is marked with the record (its first entry's row,
        // which no other record of the table has).
        wordFacts.use(table, names: rows.names.count)
        let mark = Int32(truncatingIfNeeded: entries.lowerBound)
        for entry in entries {
            let key = Int(rows.fields[entry].key)
            if wordFacts.record[key] == mark { return false }
            wordFacts.record[key] = mark
        }
        return entries.allSatisfy { isPlainValue(rows.fields[$0].value, in: table, rows, as: valueType) }
    }

    /// Whether word `symbol` of a declaration table is the id of an entity of one of
    /// `kinds`.
    mutating func isEntityWord(_ symbol: Int32, of kinds: [String], in table: DeclarationTable, _ rows: DeclarationRows) -> Bool {
        guard isEntityWord(symbol, in: table, rows), let kind = globals.lookup(rows.names[Int(symbol)])?.constant else { return false }
        return kinds.contains(kind)
    }

    /// Whether a bare word needs nothing more: a word on the field's scale, or an entity
    /// id in a reference field (the fill reads it by the field's type).
    mutating func isPlainWord(_ symbol: Int32, in table: DeclarationTable, _ rows: DeclarationRows, as type: FieldType) -> Bool {
        switch type {
        case .level(let scale), .levels(let scale): return isLevelWord(symbol, on: scale, in: table, rows)
        case .ref, .refs: return isEntityWord(symbol, in: table, rows)
        case .text, .texts, .number, .money, .percent, .date, .duration, .bool, .refMap, .levelMap, .function, .measure: return false
        }
    }

    /// Whether word `symbol` of a declaration table is a declared entity's id, asked once
    /// per word and table (declarations are top-level, where no local shadows a name, and
    /// every entity is declared before any is resolved).
    mutating func isEntityWord(_ symbol: Int32, in table: DeclarationTable, _ rows: DeclarationRows) -> Bool {
        wordFacts.use(table, names: rows.names.count)
        let index = Int(symbol)
        if wordFacts.entity[index] == 0 { wordFacts.entity[index] = isEntityID(rows.names[index]) ? 1 : 2 }
        return wordFacts.entity[index] == 1
    }

    /// Whether word `symbol` of a declaration table is a level of `scale`, asked once per
    /// word and scale in a row.
    mutating func isLevelWord(_ symbol: Int32, on scale: Scale, in table: DeclarationTable, _ rows: DeclarationRows) -> Bool {
        wordFacts.use(table, names: rows.names.count)
        let index = Int(symbol), id = Int16(scale.id) + 1
        if abs(wordFacts.level[index]) != id { wordFacts.level[index] = scale.value(named: rows.names[index]) != nil ? id : -id }
        return wordFacts.level[index] > 0
    }

    /// Bare words in a field are read by the field's type: a scale level (`support:
    /// champion`) or an entity id (`reports_to: ceo`), and checked here, before running.
    mutating func resolveFieldValue(_ value: Expr, as type: FieldType) {
        switch (type, value.kind) {
        case (.level(let scale), .variable(let name)), (.levels(let scale), .variable(let name)):
            resolveLevelWord(name, scale: scale)
        case (.levels(let scale), .list(let items)):
            for item in items {
                if case .variable(let name) = item.kind { resolveLevelWord(name, scale: scale) } else { resolveExpr(item) }
            }
        case (.ref(let kinds), .variable(let name)), (.refs(let kinds), .variable(let name)):
            resolveEntityWord(name, kinds: kinds)
        case (.refs(let kinds), .list(let items)):
            for item in items {
                if case .variable(let name) = item.kind { resolveEntityWord(name, kinds: kinds) } else { resolveExpr(item) }
            }
        case (.refMap(let kinds, let valueType), .record(let entries)):
            var seen: Set<String> = []
            for entry in entries {
                // The same person twice in a deal's roles is a slip, as in any record.
                if !seen.insert(entry.key.text).inserted { report(.duplicateKey(entry.key.text), entry.key.span) }
                let global = globals.lookup(entry.key.text)
                if global == nil, !isBound(entry.key.text) {
                    report(.unknownEntity(kind: kinds.joined(separator: " or "), id: entry.key.text, suggestion: suggestion(for: entry.key.text, among: entityIDs(of: kinds))), entry.key.span)
                } else if let other = global?.constant, !kinds.contains(other) {
                    // An entity, but of another kind: say which, like a reference field does.
                    report(.wrongFieldType(field: entry.key.text, expected: kinds.map(article).joined(separator: " or "), found: "\(other) '\(entry.key.text)'"), entry.key.span)
                }
                resolveFieldValue(entry.value, as: valueType)
            }
        default:
            resolveExpr(value)
        }
    }

    // Field words are most of a large plan's names. Two kinds are left without an entry
    // in `resolution.references`, and the plan compiler reads them from the field type
    // instead (see `Compiler.fieldSource`): a word on the field's scale, and, in a
    // top-level declaration, an entity id. Everything else resolves like any name.

    mutating func resolveLevelWord(_ name: Name, scale: Scale) {
        // A word on the field's scale means that level, even if an id or a variable
        // has the same name (an opportunity called `renewal`, say).
        if scale.value(named: name.text) != nil { return }
        if isBound(name.text) { return resolveName(name) }
        report(.notOnScale(value: name.text, scale: scale.name, suggestion: suggestion(for: name.text, among: scale.allNames), values: scale.values.map(\.name)), name.span)
    }

    /// Whether a word in a top-level declaration is a declared entity's id (not shadowed).
    func isEntityID(_ word: String) -> Bool {
        functions.count == 1 && rows.isEmpty && lookupLocal(word, in: functions[0]) == nil && globals.lookup(word)?.constant != nil
    }

    mutating func resolveEntityWord(_ name: Name, kinds: [String]) {
        if isEntityID(name.text) {
            return  // an entity id: entities are declared before any field is filled
        }
        if isBound(name.text) { return resolveName(name) }
        report(.unknownEntity(kind: kinds.joined(separator: " or "), id: name.text, suggestion: suggestion(for: name.text, among: entityIDs(of: kinds))), name.span)
    }

    /// The declared ids of entities of these kinds, for did-you-mean hints.
    func entityIDs(of kinds: [String]) -> [String] {
        globals.names.filter { globals.lookup($0).flatMap(\.constant).map(kinds.contains) ?? false }
    }

    /// A rule's when/expect/message run like a function of one parameter: the item.
    mutating func resolveRule(_ rule: RuleDecl) {
        resolveExpr(rule.sequence)
        let context = FunctionContext(selfName: nil, isMain: false)
        functions.append(context)
        declareLocalInNewScope(rule.binding)
        if let when = rule.when { resolveExpr(when) }
        resolveExpr(rule.expect)
        if let message = rule.message { resolveExpr(message) }
        functions.removeLast()
        resolution.rules[ObjectIdentifier(rule)] = FunctionLayout(frameSize: context.nextSlot, captures: context.captures)
    }
}
