// The account plan as the program declares it: entities indexed by kind and by id,
// with caches (collections, the influence graph) rebuilt only when the plan changes.

/// One declared entity: a stakeholder, an opportunity, an influence line, …
public final class Entity {
    // (Stored in this order so that nothing is padded, and the header's span read from
    // the declaration: 101 bytes, a 112-byte block where it took 144, for each of a large
    // plan's 150,000 entities.)
    public let kind: EntityKind
    /// The declared id, or a generated one (`influence#3`) for entities without one.
    public let id: String
    public internal(set) var title: String?
    /// Declared field values by the kind's field index; `.nil` where not given.
    public internal(set) var fields = FieldValues()
    /// The plan that declared it: derived fields (`covered_by`, `roles`, …) are computed
    /// there, also for an entity of a plan opened with `open_plan`.
    public internal(set) weak var plan: Plan?
    /// The declaration that made it, where its header and field values were written:
    /// `span` and `fieldSpans` read it.
    let origin: EntityOrigin
    /// Its number among the entities shorthand lines name (see `Plan.serial(of:)`), or -1.
    var serial: Int32 = -1
    public let hasDeclaredID: Bool

    /// Where each field's value was written (`fieldSpans[index]`), for code shown back to
    /// users (criteria, exports) and messages. Read from the declaration rather than
    /// stored per field: a large plan has millions of fields.
    var fieldSpans: FieldSpans { FieldSpans(kind: kind, origin: origin) }

    /// Where `span` starts, known without reading the declaration again (to match
    /// warnings with entities in bulk).
    var spanStart: SpanKeyValue {
        switch origin {
        case .written(let declaration): return SpanKeyValue(declaration.span)
        case .compact(let batch, let index): return SpanKeyValue(file: batch.file, start: batch.headerStart[Int(index)])
        case .line(let batch, let index): return SpanKeyValue(file: batch.file, start: batch.headerStart[Int(index)])
        }
    }

    /// The declaration's header, where warnings about this entity point (for a compact
    /// declaration or line, read again from the source: see Rereading.swift).
    public var span: Span {
        switch origin {
        case .written(let declaration): return declaration.span
        case .compact(let batch, let index): return batch.header(Int(index))
        case .line(let batch, let index): return batch.header(Int(index))
        }
    }

    init(kind: EntityKind, id: String, hasDeclaredID: Bool, title: String?, origin: EntityOrigin) {
        self.kind = kind
        self.id = id
        self.hasDeclaredID = hasDeclaredID
        self.title = title
        self.origin = origin
    }

    /// The declared value of a field, or nil when the kind has no such field.
    public subscript(field: String) -> Value? {
        kind.index[field].map { fields[$0] }
    }

    /// The title if there is one, else the id (the kind, for one without an id: "swot").
    public var name: String { title ?? (hasDeclaredID || !kind.isSingleton ? id : kind.name) }
}

/// Everything a program declared about the account.
public final class Plan {
    private(set) var byKind: [[Entity]] = Array(repeating: [], count: Schema.kinds.count)
    /// Shorthand lines not yet made entities, by kind (see LineColumns.swift); they come
    /// after the kind's entities in declaration order.
    private var columns: [LineColumns] = Array(repeating: LineColumns(), count: Schema.kinds.count)
    /// Column lines already made entities, by kind, in line-number order: a line is
    /// numbered when declared (`appendLines`), and the number still finds it here when
    /// something asked for the lines as entities before it was filled in.
    private var madeLines: [[Entity]] = Array(repeating: [], count: Schema.kinds.count)
    /// The entities shorthand lines name, by serial number. Only appended to, so a
    /// number never changes meaning (an entity replaced in the REPL keeps its number,
    /// as a line that named it keeps naming it).
    private var serialEntities: [Entity] = []
    private var byID = EntityIndex()
    /// Bumped on every change; caches compare it.
    private(set) var version = 0
    private var collectionCache: [Int: (version: Int, list: ListObject)] = [:]
    private var graphCache: (version: Int, graph: InfluenceGraph)?
    /// Rules declared with `rule`, run by `mapl check`.
    var rules: [RuleDefinition] = []

    public init() {}

    /// All entities of a kind, in declaration order.
    public func entities(of kind: EntityKind) -> [Entity] {
        materializeLines(of: kind)
        return byKind[kind.ordinal]
    }

    /// The entities of a kind already made, without the lines still in columns.
    func entitiesHeld(of kind: EntityKind) -> [Entity] { byKind[kind.ordinal] }

    func lineColumns(of kind: EntityKind) -> LineColumns { columns[kind.ordinal] }

    /// How many entities of a kind there are, counting lines still in columns.
    func count(of kind: EntityKind) -> Int { byKind[kind.ordinal].count + columns[kind.ordinal].count }

    public func entity(id: String) -> Entity? { byID.entity(id: id) }

    public var count: Int { Schema.kinds.reduce(0) { $0 + count(of: $1) } }

    /// Adds shorthand lines to the columns with their ends still to be set (with
    /// `setLine`, then `linesFilled`); returns the line number of the first.
    func appendLines(of kind: EntityKind, from batch: LineBatch, lines: Range<Int>) -> Int {
        version += 1
        return madeLines[kind.ordinal].count + columns[kind.ordinal].append(batch, lines: lines)
    }

    /// Sets the ends (serial numbers, -1 when rejected) and strength of the line numbered
    /// `line`, in the columns or, if it has been made an entity meanwhile, in that
    /// entity's fields (when both ends were taken).
    func setLine(of kind: EntityKind, _ line: Int, from: Int32, to: Int32, strength: Level?) {
        let made = madeLines[kind.ordinal].count  // (the count only: no copy of the list per line)
        guard line < made else {
            return columns[kind.ordinal].set(line - made, from: from, to: to, strength: strength)
        }
        guard from >= 0 && to >= 0 else { return }
        LineColumns.write(into: madeLines[kind.ordinal][line], from: entity(serial: from), to: entity(serial: to), strength: strength)
    }

    /// Says that the lines added from line number `first` (one `appendLines`) are set:
    /// the columns read them from now on.
    func linesFilled(of kind: EntityKind, from first: Int) {
        let made = madeLines[kind.ordinal].count
        if first >= made { columns[kind.ordinal].markFilled(from: first - made) }
    }

    /// The entity's serial number in this plan, given on first use.
    func serial(of entity: Entity) -> Int32 {
        if let known = existingSerial(of: entity) { return known }
        entity.serial = Int32(serialEntities.count)
        serialEntities.append(entity)
        return entity.serial
    }

    /// The serial number the entity has in this plan, if it has one.
    func existingSerial(of entity: Entity) -> Int32? {
        let known = Int(entity.serial)
        return known >= 0 && known < serialEntities.count && serialEntities[known] === entity ? entity.serial : nil
    }

    var serialCount: Int { serialEntities.count }

    /// The entity with a serial number given by `serial(of:)`.
    func entity(serial: Int32) -> Entity { serialEntities[Int(serial)] }

    /// Turns the kind's column lines into entities, numbered on from the kind's entities.
    /// Nothing the plan answers changes, so the version stays.
    private func materializeLines(of kind: EntityKind) {
        let lines = columns[kind.ordinal]
        guard !lines.isEmpty else { return }
        columns[kind.ordinal] = LineColumns()
        byKind[kind.ordinal].reserveCapacity(byKind[kind.ordinal].count + lines.count)
        for index in 0..<lines.count {
            let entity = lines.entity(index, kind: kind, ordinal: byKind[kind.ordinal].count + 1, person: { self.entity(serial: $0) })
            entity.plan = self
            byKind[kind.ordinal].append(entity)
            madeLines[kind.ordinal].append(entity)
        }
    }

    func add(_ entity: Entity) {
        materializeLines(of: entity.kind)  // keeps declaration order
        byKind[entity.kind.ordinal].append(entity)
        entity.plan = self
        if entity.hasDeclaredID { byID.insert(entity) }
        version += 1
    }

    func changed() { version += 1 }

    /// Makes room for entities about to be declared, `counts[kind ordinal]` of each kind
    /// and `identified` with an id (growing step by step rehashed the id table each time).
    func reserve(_ counts: [Int], identified: Int) {
        byID.reserve(identified)
        for (ordinal, count) in counts.enumerated() where count > 0 && ordinal < byKind.count {
            byKind[ordinal].reserveCapacity(byKind[ordinal].count + count)
        }
    }

    /// Takes an entity out (the REPL replaces a re-declared one).
    func remove(_ entity: Entity) {
        materializeLines(of: entity.kind)
        byKind[entity.kind.ordinal].removeAll { $0 === entity }
        byID.remove(entity)
        version += 1
    }

    /// The collection value (`stakeholders`). Each use gets its own list object over a
    /// shared buffer (copied on write), so a script that changes it cannot change the plan.
    func collection(_ kind: EntityKind) -> ListObject {
        if let cached = collectionCache[kind.ordinal], cached.version == version { return ListObject(cached.list.items) }
        let list = ListObject(ContiguousArray(entities(of: kind).map { Value.entity($0) }))
        collectionCache[kind.ordinal] = (version, list)
        return ListObject(list.items)
    }

    /// The singleton entity of a kind (the account, the strategy), if declared.
    func singleton(_ kind: EntityKind) -> Entity? { byKind[kind.ordinal].first }

    /// The influence graph over stakeholders, built once per plan version.
    public var graph: InfluenceGraph {
        if let cached = graphCache, cached.version == version { return cached.graph }
        let graph = InfluenceGraph(plan: self)
        graphCache = (version, graph)
        return graph
    }

    /// The plan's contents, to put back when a program is rejected (arrays are copied
    /// on write, so this is cheap).
    struct Snapshot {
        fileprivate let byKind: [[Entity]]
        fileprivate let columns: [LineColumns]
        fileprivate let madeLines: [[Entity]]
        fileprivate let byID: EntityIndex
        fileprivate let rules: [RuleDefinition]
    }

    func snapshot() -> Snapshot { Snapshot(byKind: byKind, columns: columns, madeLines: madeLines, byID: byID, rules: rules) }

    func restore(_ snapshot: Snapshot) {
        byKind = snapshot.byKind
        columns = snapshot.columns
        madeLines = snapshot.madeLines
        byID = snapshot.byID
        rules = snapshot.rules
        version += 1
    }

    /// Forgets everything (the REPL's :reset).
    public func removeAll() {
        byKind = Array(repeating: [], count: Schema.kinds.count)
        columns = Array(repeating: LineColumns(), count: Schema.kinds.count)
        madeLines = Array(repeating: [], count: Schema.kinds.count)
        serialEntities = []  // (an old entity's number is checked against the table before use)
        byID = EntityIndex()
        rules = []
        collectionCache = [:]
        graphCache = nil
        version += 1
    }
}

/// A methodology check declared with `rule`.
struct RuleDefinition {
    let id: String
    let title: String?
    let span: Span
    /// Returns the items the rule ranges over. Its code runs in a frame at the given
    /// free stack slot (the caller's top), never in a frame of the code that asks.
    let sequence: (Frame) throws -> Value
    /// Returns nil when the item passes, else the message for its violation; runs in a
    /// frame at the given free stack slot, as `sequence` does.
    let violation: (Value, Frame) throws -> String?
}

/// Where an entity was declared.
enum EntityOrigin {
    case written(Declaration)
    /// A plain declaration of a `DeclarationBatch`, by its index there.
    case compact(DeclarationBatch, Int32)
    /// A shorthand line of a `LineBatch`, by its index there.
    case line(LineBatch, Int32)
}

/// The spans of an entity's field values, by field index; see `Entity.fieldSpans`.
struct FieldSpans {
    let kind: EntityKind
    let origin: EntityOrigin

    subscript(index: Int) -> Span? {
        switch origin {
        case .compact(let batch, let declaration): return batch.valueSpan(of: Int(declaration), slot: index)
        case .line(let batch, let line): return kind.fields.indices.contains(index) ? batch.valueSpan(Int(line), field: kind.fields[index].name) : nil
        case .written(let declaration):
            // The last one written wins, as when the fields were filled.
            return declaration.fields.last { kind.index[$0.key.text] == index }?.value.span
        }
    }
}

/// The entities with a declared id, by id.
struct EntityIndex {
    /// In the order added; nil where one was removed.
    private var entities: [Entity?] = []
    private var removed = 0
    private var buckets = NameBuckets()

    func entity(id: String) -> Entity? {
        buckets.find(id) { entities[$0]?.id }.position.flatMap { entities[$0] }
    }

    /// Adds an entity, or puts it in the place of the one with its id.
    mutating func insert(_ entity: Entity) {
        let (bucket, found) = buckets.find(entity.id) { entities[$0]?.id }
        if let found { return entities[found] = entity }
        entities.append(entity)
        // (The table moved out while it reads the entities: one access to `self` each.)
        var table = buckets
        buckets = NameBuckets()
        table.insert(entities.count - 1, at: bucket, count: entities.count) { entities[$0]?.id }
        buckets = table
    }

    /// Takes the entity out, if it is the one with its id.
    mutating func remove(_ entity: Entity) {
        guard let found = buckets.find(entity.id, name: { entities[$0]?.id }).position, entities[found] === entity else { return }
        entities[found] = nil
        removed += 1
        // (A REPL that redeclares an entity again and again leaves a gap each time.)
        if removed > 64 && removed * 2 > entities.count { closeGaps() }
    }

    private mutating func closeGaps() {
        entities.removeAll { $0 == nil }
        removed = 0
        let entities = self.entities
        var table = NameBuckets()
        table.reserve(entities.count, count: entities.count) { entities[$0]?.id }
        buckets = table
    }

    /// Makes room for `extra` more entities at once.
    mutating func reserve(_ extra: Int) {
        entities.reserveCapacity(entities.count + extra)
        var table = buckets
        buckets = NameBuckets()
        table.reserve(entities.count + extra, count: entities.count) { entities[$0]?.id }
        buckets = table
    }
}
