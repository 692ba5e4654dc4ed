// Filling in declared entities: each field's value is read from its declaration's row
// (an id by the entity it names, a scale word by the field's scale, a literal as it is,
// an expression by running its compiled code), converted to the field's type and checked.

/// The entities the words of one declaration table name, looked up once per word: a
/// large plan names the same people a million times.
struct WordMeanings {
    private var table: ObjectIdentifier?
    /// Per symbol: not looked up yet, the entity with that id, or none.
    private var entities: [Meaning] = []

    private enum Meaning {
        case unknown
        case entity(Entity)
        case none
    }

    /// The entity whose id is word `symbol` of `table`, if the plan has one.
    mutating func entity(_ symbol: Int32, in table: DeclarationTable, plan: Plan) -> Entity? {
        if self.table != ObjectIdentifier(table) {
            self.table = ObjectIdentifier(table)
            entities = []
        }
        let index = Int(symbol)
        if index >= entities.count { entities += repeatElement(.unknown, count: table.names.count - entities.count) }
        switch entities[index] {
        case .entity(let entity): return entity
        case .none: return nil
        case .unknown:
            let found = plan.entity(id: table.names[index])
            entities[index] = found.map(Meaning.entity) ?? .none
            return found
        }
    }
}

extension Compiler {
    /// Evaluates, converts and stores every field of one declared entity.
    func fill(_ row: PlanRows.Row, _ frame: Frame, _ codes: [ExprCode], _ words: inout WordMeanings, into problems: inout [Diagnostic]) {
        guard let entity = row.entity else { return }
        let declaration = row.declaration, table = declaration.table
        var cursor = row.firstCode
        let fields = declaration.fieldRange
        entity.fields.reserve(fields.count)
        for field in fields {
            let slot = Int(table.slots[field])
            guard slot >= 0 else { continue }
            switch table.values[field] {
            case .word(let symbol):
                if isNamedWord(table, field) {
                    fillField(entity, slot, table.valueExpr(field), frame, codes, &cursor, into: &problems)
                } else {
                    fillWord(entity, slot, symbol, table, field, &words, into: &problems)
                }
            case .literal(let index):
                store(Compiler.value(of: table.literals[Int(index)]), in: entity, slot, at: table.valueSpan(field), into: &problems)
            case .expression(let index):
                fillField(entity, slot, table.expressions[Int(index)], frame, codes, &cursor, into: &problems)
            }
        }
    }

    /// Stores a bare word the resolver let through unbound: an entity id in a reference
    /// field, else a word on the field's scale.
    private func fillWord(_ entity: Entity, _ slot: Int, _ symbol: Int32, _ table: DeclarationTable, _ field: Int,
                          _ words: inout WordMeanings, into problems: inout [Diagnostic]) {
        let spec = entity.kind.fields[slot]
        let span = table.valueSpan(field)
        switch spec.type {
        case .ref(let kinds), .refs(let kinds):
            guard let named = words.entity(symbol, in: table, plan: machine.plan) else {
                // Only missing when the resolver has already reported the word.
                problems.append(Diagnostic(.unknownEntity(kind: kinds.joined(separator: " or "), id: table.names[Int(symbol)], suggestion: nil), at: span))
                return
            }
            store(.entity(named), in: entity, slot, at: span, into: &problems)
        case .text, .texts, .number, .money, .percent, .date, .duration, .bool, .level, .levels, .refMap, .function, .measure:
            store(.symbol(table.names[Int(symbol)]), in: entity, slot, at: span, into: &problems)
        }
    }
}
