// Field access and indexing: `x.name` (records through a one-entry shape cache, entities
// through their kind's field index and derived fields, lists field by field) and `x[key]`.

extension Compiler {
    /// Field access with a one-entry cache of the last record shape seen at this site,
    /// and one of the last entity kind and the field's slot in it.
    func compileField(_ object: @escaping ExprCode, _ name: Name) -> ExprCode {
        let cache = ShapeCache()
        let field = name.text
        let machine = self.machine
        return { frame in
            let value = try object(frame)
            switch value {
            case .record(let record):
                if record.shape === cache.entry.pointee.shape { return record.values[cache.entry.pointee.index] }
                if let index = record.shape.position(of: field) {
                    cache.entry.pointee = (record.shape, index)
                    return record.values[index]
                }
            case .entity(let entity):
                let kind = entity.kind
                if kind.ordinal != cache.kindOrdinal { (cache.kindOrdinal, cache.kindSlot) = (kind.ordinal, kind.index[field] ?? -1) }
                if cache.kindSlot >= 0 { return entity.readableField(cache.kindSlot) }
            default:
                break
            }
            return try Compiler.fieldValue(value, field, span: name.span, machine: machine)
        }
    }

    /// Whether `value.field` exists (declared or derived), without computing it.
    static func hasField(_ value: Value, _ field: String, machine: Machine) -> Bool {
        switch value {
        case .record(let record): return record.shape.position(of: field) != nil
        case .entity(let entity):
            return entity.kind.index[field] != nil || Schema.commonFields.contains(field)
                || (DerivedFields.docs[entity.kind.name]?.contains { $0.name == field } ?? false)
        default: return false
        }
    }

    /// `value.field` for records, entities (declared and derived fields) and lists
    /// (the field of every item: `opportunities.value`).
    static func fieldValue(_ value: Value, _ field: String, span: Span, machine: Machine) throws -> Value {
        switch value {
        case .record(let record):
            guard let found = record[field] else {
                throw RuntimeError(.noSuchField(field: field, on: "this record", suggestion: suggestion(for: field, among: record.shape.keys)), at: span)
            }
            return found
        case .entity(let entity):
            if let slot = entity.kind.index[field] { return entity.readableField(slot) }
            if let derived = DerivedFields.value(entity, field, plan: entity.plan ?? machine.plan, today: machine.today) { return derived }
            let known = entity.kind.fields.map(\.name) + Schema.commonFields + (DerivedFields.docs[entity.kind.name]?.map(\.name) ?? [])
            throw RuntimeError(.noSuchField(field: field, on: article(entity.kind.name), suggestion: suggestion(for: field, among: known)), at: span)
        case .list(let list):
            var path: Set<ObjectIdentifier> = []
            var mapped: [ObjectIdentifier: Value] = [:]
            return try fieldOfItems(list, field, span: span, machine: machine, path: &path, mapped: &mapped)
        case .box(let box):
            return try fieldValue(box.value, field, span: span, machine: machine)
        default:
            throw RuntimeError(.noSuchField(field: field, on: value.typeName, suggestion: nil), at: span)
        }
    }

    /// `list.field`: the field of every item, of the items of nested lists too. A list
    /// met again inside itself (`push(a, a)`) would be mapped without end, until the
    /// stack overflows: it is an error instead. `path`: the lists being mapped.
    /// `mapped`: each nested list is mapped once, and a list held in several places gives
    /// one result held in as many (`y = [y, y]` nested 40 times made 2^40 lists).
    static func fieldOfItems(_ list: ListObject, _ field: String, span: Span, machine: Machine,
                             path: inout Set<ObjectIdentifier>, mapped: inout [ObjectIdentifier: Value]) throws -> Value {
        if let done = mapped[ObjectIdentifier(list)] { return done }
        guard path.insert(ObjectIdentifier(list)).inserted else {
            throw RuntimeError(.noSuchField(field: field, on: "a list that contains itself", suggestion: nil), at: span)
        }
        defer { path.remove(ObjectIdentifier(list)) }
        var items = ContiguousArray<Value>()
        items.reserveCapacity(list.items.count)
        for item in list.items {
            if case .list(let inner) = item {
                items.append(try fieldOfItems(inner, field, span: span, machine: machine, path: &path, mapped: &mapped))
            } else {
                items.append(try fieldValue(item, field, span: span, machine: machine))
            }
        }
        let result = Value.list(ListObject(items))
        mapped[ObjectIdentifier(list)] = result
        return result
    }

    static func index(_ container: Value, _ key: Value, span: Span, indexSpan: Span, machine: Machine) throws -> Value {
        switch (container, key) {
        case (.list(let list), _):
            return list.items[try position(key, count: list.items.count, span: indexSpan)]
        case (.record(let record), .string(let name)):
            guard let value = record[name] else {
                throw RuntimeError(.noSuchField(field: name, on: "this record", suggestion: suggestion(for: name, among: record.shape.keys)), at: indexSpan)
            }
            return value
        case (.string(let text), .number):
            let characters = Array(text)
            return .string(String(characters[try position(key, count: characters.count, span: indexSpan, inString: true)]))
        case (.entity, .string(let name)):
            // A field named at run time (`e[name]`), for scripts that walk fields generically.
            return try fieldValue(container, name, span: indexSpan, machine: machine)
        default:
            throw RuntimeError(.invalidIndex(container: container.typeName, index: key.typeName), at: span)
        }
    }
}

/// A one-entry cache of (record shape, field index) for one field-access site. The
/// entry sits behind a pointer so reading it needs no dynamic exclusivity check.
final class ShapeCache {
    let entry: UnsafeMutablePointer<(shape: Shape?, index: Int)>
    /// For a field-adding site: the shape records get after the field is added.
    var grownShape: Shape?
    // Not checked for exclusivity at run time (a check is a measurable part of a field
    // read): the site's code reads and writes them only between calls out.
    /// For a field-reading site: the ordinal of the last entity kind read, and the
    /// field's slot in it (-1: not a declared field of that kind).
    @exclusivity(unchecked) var kindOrdinal = -1
    @exclusivity(unchecked) var kindSlot = -1

    init() {
        entry = .allocate(capacity: 1)
        entry.initialize(to: (nil, 0))
    }

    deinit {
        entry.deinitialize(count: 1)
        entry.deallocate()
    }
}
