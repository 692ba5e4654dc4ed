// Filling in the fields of plain declarations (DeclarationBatch.swift). Most of a large
// plan's fields are a literal of the field's own type, a word on the field's scale or
// the id of an entity of the right kind: those are stored directly, with the word's
// meaning looked up once per word rather than once per use. Anything else takes the
// general way (`Compiler.store`), which checks and converts with the usual messages.

extension Compiler {
    /// Evaluates, converts and stores every field of declaration `index` of `batch`.
    func fillCompact(_ batch: DeclarationBatch, _ index: Int, into entity: Entity, words: WordMeanings, _ frame: Frame,
                     _ codes: [ExprCode], _ cursor: inout Int, into problems: inout [Diagnostic]) {
        let plan = machine.plan
        let forms = FillForm.table[entity.kind.ordinal]
        let fields = batch.fields(of: index)
        entity.fields.reserve(fields.count)
        for field in fields {
            let slot = Int(batch.slots[field])
            let span = batch.valueSpan(field, in: index)
            switch batch.value(field) {
            case .literal(let literal):
                let value = Compiler.value(of: literal)
                if let stored = forms[slot].directly(value) {
                    entity.fields[slot] = stored
                } else {
                    store(value, in: entity, slot, at: span, into: &problems)
                }
            case .bool(let bool):
                store(.bool(bool), in: entity, slot, at: span, into: &problems)
            case .none:
                store(.nil, in: entity, slot, at: span, into: &problems)
            case .word(let symbol):
                if let stored = words.meaning(symbol, as: forms[slot], in: plan) {
                    entity.fields[slot] = stored
                } else {
                    // Read as the written-out declaration's name is (the resolver let through
                    // only scale words and entity ids: no compiled code).
                    let name = Name(text: batch.names.text(symbol), span: span)
                    fillField(entity, slot, Expr(kind: .variable(name), span: span), frame, codes, &cursor, into: &problems)
                }
            case .roleMap(let map):
                if case .refMap(let kinds, let scale) = forms[slot], let record = words.roles(batch, map, kinds: kinds, scale: scale, in: plan) {
                    entity.fields[slot] = .record(record)
                } else {
                    // (As above: only ids and words, no compiled code.)
                    fillField(entity, slot, batch.roleMap(map).expression(names: batch.names, file: batch.file), frame, codes, &cursor, into: &problems)
                }
            case .expression(let expr):
                fillField(entity, slot, expr, frame, codes, &cursor, into: &problems)
            }
        }
    }
}

/// A field's type, as far as filling a plain declaration stores values directly.
enum FillForm {
    case text, number, money, percent, date
    case level(Scale)
    /// A reference to one entity of the kinds in the mask (a bit per kind ordinal).
    case ref(UInt64)
    /// Levels on a scale per entity of the kinds in the mask (who plays which roles in a deal).
    case refMap(UInt64, Scale)
    /// Everything goes the general way.
    case other

    /// Per entity kind (by ordinal), per field.
    static let table: [[FillForm]] = Schema.kinds.map { kind in kind.fields.map { FillForm($0.type) } }

    init(_ type: FieldType) {
        switch type {
        case .text: self = .text
        case .number: self = .number
        case .money: self = .money
        case .percent: self = .percent
        case .date: self = .date
        case .level(let scale): self = .level(scale)
        case .ref(let kinds): self = .ref(FillForm.mask(kinds))
        case .refMap(let kinds, .levels(let scale)): self = .refMap(FillForm.mask(kinds), scale)
        case .texts, .duration, .bool, .levels, .refs, .refMap, .function, .measure:
            self = .other
        }
    }

    private static func mask(_ kinds: [String]) -> UInt64 {
        kinds.reduce(0) { mask, name in Schema.kind(named: name).map { mask | 1 << UInt64($0.ordinal) } ?? mask }
    }

    /// The value as stored, when a literal needs no check or conversion beyond what is
    /// done here (what `FieldConversion.convert` would make of it); nil otherwise.
    func directly(_ value: Value) -> Value? {
        switch (self, value) {
        case (.text, .string), (.number, .number), (.money, .money), (.date, .date):
            return value
        case (.percent, .percent(let share)):
            return (0...1).contains(share) ? value : nil
        case (.level(let scale), .number(let number)):
            guard let range = scale.numericRange, range.contains(number) else { return nil }
            return .level(Level(scale: scale.id, rank: number, isNumeric: true))
        case (.level(let scale), .percent(let share)):
            guard scale.numericRange == 0...1, (0...1).contains(share) else { return nil }
            return .level(Level(scale: scale.id, rank: share, isNumeric: true))
        default:
            return nil
        }
    }
}

/// What the bare words of one file's compact declarations stand for, each looked up
/// once: the entity with that id, and the value on the scale last asked for.
final class WordMeanings {
    let names: NameTable
    private var entities: [Entity?] = []
    private var looked: [Bool] = []
    /// Per word: (scale id + 1) << 8 | the value's index on that scale; 0 not looked.
    private var levels: [UInt16] = []

    init(names: NameTable) { self.names = names }

    /// The value a word stands for in a field of this form, when it is a word on the
    /// field's scale or the id of an entity of the field's kinds; nil otherwise.
    func meaning(_ symbol: Int32, as form: FillForm, in plan: Plan) -> Value? {
        switch form {
        case .level(let scale):
            return level(symbol, on: scale).map(Value.level)
        case .ref(let kinds):
            return entity(symbol, ofKinds: kinds, in: plan).map(Value.entity)
        case .text, .number, .money, .percent, .date, .refMap, .other:
            return nil
        }
    }

    func entity(_ symbol: Int32, in plan: Plan) -> Entity? {
        let index = Int(symbol)
        if index >= looked.count { grow() }
        if !looked[index] {
            looked[index] = true
            entities[index] = plan.entity(id: names.text(symbol))
        }
        return entities[index]
    }

    /// The entity a word names, when it is of one of the kinds in the mask (a bit per
    /// kind ordinal).
    private func entity(_ symbol: Int32, ofKinds kinds: UInt64, in plan: Plan) -> Entity? {
        guard let named = entity(symbol, in: plan), kinds & (1 << UInt64(named.kind.ordinal)) != 0 else { return nil }
        return named
    }

    func level(_ symbol: Int32, on scale: Scale) -> Level? {
        guard scale.id < 255 else { return nil }
        let index = Int(symbol)
        if index >= looked.count { grow() }
        var known = levels[index]
        if known >> 8 != UInt16(scale.id) + 1 {
            guard let position = scale.position(named: names.text(symbol)), position < 256 else { return nil }
            known = (UInt16(scale.id) + 1) << 8 | UInt16(position)
            levels[index] = known
        }
        return Level(scale: scale.id, rank: scale.values[Int(known & 0xFF)].rank)
    }

    /// A role map (`DeclarationBatch.roleMap`) as stored, when every id is an entity of
    /// the kinds in the mask and every word is on the scale; nil otherwise.
    func roles(_ batch: DeclarationBatch, _ map: Int32, kinds: UInt64, scale: Scale, in plan: Plan) -> RecordObject? {
        var pairs: [(String, Value)] = []
        for entry in batch.roleEntries(of: map) {
            let key = batch.roleKey(entry)
            guard entity(key, ofKinds: kinds, in: plan) != nil, let levels = levels(Array(batch.roleWords(entry)), on: scale) else { return nil }
            pairs.append((names.text(key), .list(ListObject(levels))))
        }
        return RecordObject(pairs)
    }

    /// The levels of a list of words on a scale, nil when one is not on it. Lists of the
    /// same words share their storage (each deal's list is still its own list object, and
    /// changing one copies it first): a large plan's deals name the same few roles.
    private func levels(_ words: [Int32], on scale: Scale) -> ContiguousArray<Value>? {
        let key = RoleWords(scale: scale.id, words: words)
        if let known = levelLists[key] { return known }
        var levels = ContiguousArray<Value>()
        levels.reserveCapacity(words.count)
        for word in words {
            guard let level = level(word, on: scale) else { return nil }
            levels.append(.level(level))
        }
        if levelLists.count < 4096 { levelLists[key] = levels }
        return levels
    }

    private struct RoleWords: Hashable {
        let scale: UInt8
        let words: [Int32]
    }

    /// Level lists made so far (up to a few thousand distinct ones), by scale and words.
    private var levelLists: [RoleWords: ContiguousArray<Value>] = [:]

    private func grow() {
        let extra = names.count - looked.count
        entities += repeatElement(nil, count: extra)
        looked += repeatElement(false, count: extra)
        levels += repeatElement(0, count: extra)
    }
}
