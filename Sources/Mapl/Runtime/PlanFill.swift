// Filling in declared entities: each field's value is read from its declaration's row
// (an id by the entity it names, a scale word by the field's scale, a literal as it is,
// an expression by running its compiled code), converted to the field's type and checked.

/// What the words of one declaration table stand for, worked out once per word: the
/// entity an id names, and the level a scale word converts to in a field (a plan names
/// the same people and levels over and over).
struct WordMeanings {
    private var table: ObjectIdentifier?
    /// Per symbol: not looked up yet, the entity with that id, or none.
    private var entities: [Meaning] = []
    /// Per symbol: the field (kind ordinal and slot) its converted value was last made
    /// for, and that value.
    private var converted: [(field: Int32, value: Value)?] = []

    /// Marks a field key (kind ordinal and slot) as standing for the items of its lists.
    static let listItem: Int32 = 1 << 30
    /// Marks a field key as standing for the values of its records.
    static let recordValue: Int32 = 1 << 29

    private enum Meaning {
        case unknown
        case entity(Entity)
        case none
    }

    /// Starts answering for `table` (forgetting another table's words).
    private mutating func use(_ table: DeclarationTable) {
        guard self.table != ObjectIdentifier(table) else { return }
        self.table = ObjectIdentifier(table)
        entities = []
        converted = []
    }

    /// The stored value word `symbol` of `table` converted to for `field`, if known.
    mutating func converted(_ symbol: Int32, field: Int32, in table: DeclarationTable) -> Value? {
        use(table)
        let index = Int(symbol)
        guard index < converted.count, let known = converted[index], known.field == field else { return nil }
        return known.value
    }

    /// Notes what word `symbol` of `table` converted to for `field`.
    mutating func remember(_ symbol: Int32, field: Int32, _ value: Value, in table: DeclarationTable, names: Int) {
        use(table)
        let index = Int(symbol)
        if index >= converted.count { converted += repeatElement(nil, count: max(names, index + 1) - converted.count) }
        converted[index] = (field, value)
    }

    /// The entity whose id is word `symbol` of `table`, if the plan has one.
    mutating func entity(_ symbol: Int32, in table: DeclarationTable, _ rows: DeclarationRows, plan: Plan) -> Entity? {
        use(table)
        let index = Int(symbol)
        if index >= entities.count { entities += repeatElement(.unknown, count: rows.names.count - entities.count) }
        switch entities[index] {
        case .entity(let entity): return entity
        case .none: return nil
        case .unknown:
            let found = plan.entity(id: rows.names[index])
            entities[index] = found.map(Meaning.entity) ?? .none
            return found
        }
    }
}

extension Compiler {
    /// Evaluates, converts and stores every field of one declared entity, each straight
    /// into its table as it is read: an expression's code may read the fields before it.
    func fill(_ written: DeclarationRows.Row, of entity: Entity, in table: DeclarationTable, _ rows: DeclarationRows, firstCode: Int,
              _ frame: Frame, _ codes: [ExprCode], _ words: inout WordMeanings, into problems: inout [Diagnostic]) {
        let kind = entity.kind
        var cursor = firstCode
        for field in written.fieldRange {
            let slot = Int(rows.fields[field].slot)
            guard slot >= 0 else { continue }
            let span = rows.valueSpan(field), value = rows.fields[field].value
            switch value {
            case .word(let symbol):
                // A word converts the same way each time it fills the same field. (Only
                // single levels and entities are kept: a list made from a word must be each
                // entity's own, since lists are changed in place. The field's type is read
                // only for a word not met before: a copy retains what it holds.)
                let field = Int32(kind.ordinal << 8 | slot)
                if let known = words.converted(symbol, field: field, in: table) {
                    entity.setField(slot, known)
                } else {
                    let type = kind.fields[slot].type
                    if let value = wordValue(symbol, table, rows, span, type, &words, into: &problems),
                       let stored = store(value, in: entity, slot, at: span, into: &problems), type.isSingleValue {
                        words.remember(symbol, field: field, stored, in: table, names: rows.names.count)
                    }
                }
            case .words(let first, let count):
                fillWords(first..<first + count, slot, of: entity, at: span, table, rows, &words, &problems)
            case .entries(let first, let count):
                fillEntries(first..<first + count, slot, of: entity, at: span, table, rows, &words, &problems)
            case .literal, .number, .percent:
                if let literal = rows.literalValue(of: value) {
                    store(Compiler.value(of: literal), in: entity, slot, at: span, into: &problems)
                }
            case .expression(let index):
                fillField(entity, slot, rows.expressions[Int(index)], frame, codes, &cursor, into: &problems)
            }
        }
    }

    /// A field holding a list of bare words and literals: each word converted once per
    /// file and field (`roles: [coach]` in hundreds of people); a list of levels is then
    /// stored as it is, any other list converted and checked by its type.
    private func fillWords(_ list: Range<Int32>, _ slot: Int, of entity: Entity, at span: Span, _ table: DeclarationTable,
                           _ rows: DeclarationRows, _ words: inout WordMeanings, _ problems: inout [Diagnostic]) {
        let kind = entity.kind, type = kind.fields[slot].type
        // (Items are remembered apart from whole values of the same field.)
        let field = Int32(kind.ordinal << 8 | slot) | WordMeanings.listItem
        let (items, allLevels) = listValue(list, of: type, field, table, rows, &words, &problems)
        if allLevels, case .levels = type {
            entity.setField(slot, .list(ListObject(items)))
        } else {
            store(.list(ListObject(items)), in: entity, slot, at: span, into: &problems)
        }
    }

    /// The items of a list read in place (words remembered under `field`), and whether
    /// every one is a level.
    private func listValue(_ list: Range<Int32>, of type: FieldType, _ field: Int32, _ table: DeclarationTable, _ rows: DeclarationRows,
                           _ words: inout WordMeanings, _ problems: inout [Diagnostic]) -> (ContiguousArray<Value>, allLevels: Bool) {
        var items = ContiguousArray<Value>()
        items.reserveCapacity(list.count)
        var allLevels = true
        for item in list {
            if let literal = rows.listLiteral(item) {
                items.append(Compiler.value(of: literal))
                allLevels = false
                continue
            }
            let symbol = rows.wordLists[Int(item)]
            if let known = words.converted(symbol, field: field, in: table) {
                items.append(known)
            } else if let value = wordValue(symbol, table, rows, rows.listItemSpan(item), type, &words, into: &problems) {
                let converted = level(value, of: type, remembering: symbol, field, table, rows, &words)
                if case .level = converted {} else { allLevels = false }
                items.append(converted)
            }
        }
        return (items, allLevels)
    }

    /// A field holding a record read in place (`involves: {ann: [coach]}`; the resolver
    /// let through only records of entities or levels to words, literals and lists of
    /// them): its values read as a field of the record's value type reads them, each
    /// word converted once per file and field, then the record converted and checked
    /// by the field's type like any record.
    private func fillEntries(_ entries: Range<Int32>, _ slot: Int, of entity: Entity, at span: Span, _ table: DeclarationTable,
                             _ rows: DeclarationRows, _ words: inout WordMeanings, _ problems: inout [Diagnostic]) {
        let kind = entity.kind, type = kind.fields[slot].type
        let valueType: FieldType, keyKinds: [String]?
        switch type {
        case .refMap(let kinds, let values): (valueType, keyKinds) = (values, kinds)
        case .levelMap(_, let values): (valueType, keyKinds) = (values, nil)
        case .text, .texts, .number, .money, .percent, .date, .duration, .bool, .level, .levels, .ref, .refs, .function, .measure:
            (valueType, keyKinds) = (type, nil)
        }
        let field = Int32(kind.ordinal << 8 | slot) | WordMeanings.recordValue
        var keys: [String] = [], values = ContiguousArray<Value>()
        keys.reserveCapacity(entries.count)
        values.reserveCapacity(entries.count)
        // Whether the record is as its conversion would make it: entities of the field's
        // kinds to lists of levels (a deal's `involves`), stored without converting it again.
        var converted = keyKinds != nil
        if case .levels = valueType {} else { converted = false }
        for entry in Int(entries.lowerBound)..<Int(entries.upperBound) {
            let key = rows.fields[entry].key
            keys.append(rows.names[Int(key)])
            if converted, let kinds = keyKinds {
                let named = words.entity(key, in: table, rows, plan: machine.plan)
                converted = named.map { kinds.contains($0.kind.name) } ?? false
            }
            let value = rows.fields[entry].value
            switch value {
            case .literal, .number, .percent:
                values.append(rows.literalValue(of: value).map(Compiler.value(of:)) ?? .nil)
                converted = false
            case .word(let symbol):
                // (A word that names no entity leaves the field unset, as its code would.)
                guard let value = wordValue(symbol, table, rows, rows.valueSpan(entry), valueType, &words, into: &problems) else { return }
                values.append(value)
                converted = false
            case .words(let first, let count):
                let (items, allLevels) = listValue(first..<first + count, of: valueType, field | WordMeanings.listItem, table, rows, &words, &problems)
                values.append(.list(ListObject(items)))
                converted = converted && allLevels
            case .entries, .expression:
                return  // (not read in place inside a record)
            }
        }
        let record = Value.record(RecordObject(shape: Shape(keys: keys), values: values))
        if converted {
            entity.setField(slot, record)
        } else {
            store(record, in: entity, slot, at: span, into: &problems)
        }
    }

    /// A word of a list of levels as its level, remembered for the next list that has
    /// it; any other item as it is (a word off the scale is reported when the list is
    /// stored, as for any list).
    private func level(_ item: Value, of type: FieldType, remembering symbol: Int32, _ field: Int32, _ table: DeclarationTable,
                       _ rows: DeclarationRows, _ words: inout WordMeanings) -> Value {
        guard case .levels(let scale) = type, case .symbol = item,
              case .success(let level) = FieldConversion.convert(item, to: .level(scale), field: "", plan: machine.plan) else { return item }
        words.remember(symbol, field: field, level, in: table, names: rows.names.count)
        return level
    }

    /// The value of a bare word the resolver let through unbound: the entity an id
    /// names in a reference field, else a word for the field's scale.
    private func wordValue(_ symbol: Int32, _ table: DeclarationTable, _ rows: DeclarationRows, _ span: Span, _ type: FieldType,
                           _ words: inout WordMeanings, into problems: inout [Diagnostic]) -> Value? {
        switch type {
        case .ref(let kinds), .refs(let kinds):
            guard let named = words.entity(symbol, in: table, rows, plan: machine.plan) else {
                // Only missing when the resolver has already reported the word.
                problems.append(Diagnostic(.unknownEntity(kind: kinds.joined(separator: " or "), id: rows.names[Int(symbol)], suggestion: nil), at: span))
                return nil
            }
            return .entity(named)
        case .text, .texts, .number, .money, .percent, .date, .duration, .bool, .level, .levels, .refMap, .levelMap, .function, .measure:
            return .symbol(rows.names[Int(symbol)])
        }
    }
}

extension FieldType {
    /// Whether a value of this type is one level or one entity (not a list or record),
    /// so that one converted value may stand in several entities' fields.
    var isSingleValue: Bool {
        switch self {
        case .level, .ref: return true
        case .text, .texts, .number, .money, .percent, .date, .duration, .bool, .levels, .refs, .refMap, .levelMap, .function, .measure: return false
        }
    }
}
