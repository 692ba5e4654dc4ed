// The account plan as the program declares it: entities indexed by kind and by id,
// with caches (collections, the influence graph) rebuilt only when the plan changes.

/// The entities of one kind declared in one plan, a row each, kept as columns. An entity
/// is a (table, row) handle, so a plan of thousands of people and lines holds no object
/// per entity. Rows are only ever added: a handle stays valid while anyone holds it, also
/// after the REPL replaces its entity or a rejected program is rolled back (the plan's
/// lists drop it; its row stays).
final class EntityTable {
    let kind: EntityKind
    /// The plan that declared these entities: derived fields (`covered_by`, `roles`, …) are
    /// computed there, also for an entity of a plan opened with `open_plan`.
    weak var plan: Plan?
    // Exclusivity is not checked at run time for the columns (a check per field read is
    // a measurable part of filling a plan): no access to a column is in progress while
    // another starts, since values are computed before they are stored.
    /// The declared id, "" for an entity declared without one (ids are never empty).
    /// Only as long as the last row with an id: a kind declared without ids (lines of
    /// influence) keeps none.
    @exclusivity(unchecked) fileprivate var ids: [String] = []
    /// Titles the same way (nil: none), only as long as the last row with one.
    @exclusivity(unchecked) fileprivate var titles: [String?] = []
    /// Its number among the entities of its kind when declared (1, 2, …), for the id of
    /// one without a declared id, where it is not its row + 1 (the REPL replaced an
    /// entity of the kind before it was declared).
    fileprivate var ordinals: [Int32: Int32] = [:]
    /// The declaration's header, where warnings about the entity point: its offsets,
    /// and its file where not the first row's (the files of the rows up to the last
    /// declared in another file; a plan in one file keeps none).
    @exclusivity(unchecked) private var offsets: [(start: Int32, end: Int32)] = []
    @exclusivity(unchecked) private var files: [FileID] = []
    private var firstFile: FileID = 0
    /// Declared field values by the kind's field index; `.nil` where not given.
    @exclusivity(unchecked) fileprivate var fields = FieldColumns()
    /// Where the values of function fields (a criterion's `score`) were written, by row
    /// and field index: exports show that code as written. The rest of a declaration's
    /// syntax is not kept once the entity is filled in.
    fileprivate var codeSpans: [Int64: Span] = [:]

    init(kind: EntityKind, plan: Plan) {
        self.kind = kind
        self.plan = plan
    }

    /// Adds a row and returns its entity.
    fileprivate func append(id: String?, ordinal: Int, title: String?, span: Span) -> Entity {
        let row = offsets.count
        if id != nil || !ids.isEmpty {
            if ids.count < row { ids += repeatElement("", count: row - ids.count) }
            ids.append(id ?? "")
        }
        if title != nil || !titles.isEmpty {
            if titles.count < row { titles += repeatElement(nil, count: row - titles.count) }
            titles.append(title)
        }
        if ordinal != row + 1 { ordinals[Int32(truncatingIfNeeded: row)] = Int32(truncatingIfNeeded: ordinal) }
        if row == 0 { firstFile = span.file }
        if span.file != firstFile || !files.isEmpty {
            if files.count < row { files += repeatElement(firstFile, count: row - files.count) }
            files.append(span.file)
        }
        offsets.append((span.start, span.end))
        fields.appendRow()
        return Entity(table: self, row: Int32(truncatingIfNeeded: row))
    }

    fileprivate func reserve(_ count: Int) {
        offsets.reserveCapacity(offsets.count + count)
        fields.reserve(rows: count)
    }

    /// How many rows there are.
    var rowCount: Int { offsets.count }

    fileprivate func span(_ row: Int) -> Span {
        let (start, end) = offsets[row]
        return Span(file: row < files.count ? files[row] : firstFile, start: start, end: end)
    }

    fileprivate func id(_ row: Int) -> String { row < ids.count ? ids[row] : "" }

    fileprivate func title(_ row: Int) -> String? { row < titles.count ? titles[row] : nil }

    fileprivate func ordinal(_ row: Int) -> Int32 { ordinals[Int32(truncatingIfNeeded: row)] ?? Int32(truncatingIfNeeded: row + 1) }

    /// Gives back the room the columns were allowed to grow into (the plan is set up).
    private static func trim<T>(_ array: inout [T]) {
        guard array.capacity > array.count + array.count / 8 else { return }
        var exact: [T] = []
        exact.reserveCapacity(array.count)
        exact.append(contentsOf: array)
        array = exact
    }

    fileprivate func trim() {
        fields.trim()
        EntityTable.trim(&ids)
        EntityTable.trim(&titles)
        EntityTable.trim(&offsets)
        EntityTable.trim(&files)
    }
}

/// A field of one kind named in code (`KnownField("stakeholder", "influence")`), its
/// slot found once: the checks and derived fields read the same few fields of every
/// entity, and looking each name up per read was a measurable part of a check. Read
/// from an entity of another kind, it is looked up by name.
struct KnownField: Sendable {
    let name: String
    let kindOrdinal: Int
    let slot: Int

    init(_ kind: String, _ name: String) {
        self.name = name
        let found = Schema.kind(named: kind)
        kindOrdinal = found?.ordinal ?? -1
        slot = found?.index[name] ?? -1
    }
}

/// One declared entity (a stakeholder, an opportunity, an influence line, …): a row of
/// its kind's table in the plan that declared it. Two handles are equal when they name
/// the same row.
public struct Entity: Hashable {
    /// Its kind's table in its plan, and its row there (code that walks many rows keeps
    /// the table and makes entities from rows, rather than an optional entity per row).
    let table: EntityTable
    fileprivate let rowIndex: Int32

    init(table: EntityTable, row: Int32) {
        self.table = table
        rowIndex = row
    }

    public static func == (a: Entity, b: Entity) -> Bool { a.table === b.table && a.rowIndex == b.rowIndex }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(table))
        hasher.combine(rowIndex)
    }

    public var kind: EntityKind { table.kind }

    /// Its place among the entities of its kind declared in its plan (0, 1, …): a key
    /// that needs no hashing, for entities known to share a table (see `sharesTable`).
    var row: Int { Int(rowIndex) }

    /// Whether the two are rows of one table (one kind, one plan).
    func sharesTable(with other: Entity) -> Bool { table === other.table }

    /// The plan that declared it (nil once that plan is gone).
    public var plan: Plan? { table.plan }

    public var title: String? { table.title(Int(rowIndex)) }

    /// The declaration's header, where warnings about this entity point.
    public var span: Span { table.span(Int(rowIndex)) }

    /// The declared value of field `index` (the kind's field index); `.nil` where not given.
    public func field(_ index: Int) -> Value { table.fields.value(Int(rowIndex), index) }

    /// Where field `index` points when it holds an entity (see `FieldColumns.reference`).
    func reference(_ index: Int) -> (table: ObjectIdentifier, row: Int32)? { table.fields.reference(Int(rowIndex), index) }

    /// The value of field `index` as a script reads it: a list or record is the
    /// entity's own copy, so a script cannot change the plan past the field's checks.
    func readableField(_ index: Int) -> Value { table.fields.readableValue(Int(rowIndex), index) }

    /// Sets the value of field `index` (`.nil` clears it), already converted to its type.
    func setField(_ index: Int, _ value: Value) { table.fields.set(Int(rowIndex), index, value) }

    public var hasDeclaredID: Bool { !table.id(Int(rowIndex)).isEmpty }

    /// The declared id, or a generated one (`influence#3`) for an entity without one
    /// (made when asked: most lines are never asked for theirs).
    public var id: String {
        let declared = table.id(Int(rowIndex))
        return declared.isEmpty ? "\(kind.name)#\(table.ordinal(Int(rowIndex)))" : declared
    }

    /// Where the value of field `index` was written, for a function field.
    func codeSpan(_ index: Int) -> Span? { table.codeSpans[Int64(rowIndex) << 8 | Int64(index)] }

    /// Notes where a function field's value was written (see `EntityTable.codeSpans`).
    func setCodeSpan(_ index: Int, _ span: Span) { table.codeSpans[Int64(rowIndex) << 8 | Int64(index)] = span }

    /// The declared value of a field, or nil when the kind has no such field.
    public subscript(field: String) -> Value? {
        kind.index[field].map { self.field($0) }
    }

    /// The declared value of a field named in code, or nil when the kind has no such field.
    subscript(field: KnownField) -> Value? {
        guard kind.ordinal == field.kindOrdinal else { return self[field.name] }
        return field.slot >= 0 ? self.field(field.slot) : nil
    }

    /// The title if there is one, else the id (the kind, for one without an id: "swot").
    public var name: String { title ?? (hasDeclaredID || !kind.isSingleton ? id : kind.name) }
}

/// Everything a program declared about the account.
public final class Plan {
    // Exclusivity is not checked at run time for these (a check per declaration and
    // per count was a measurable part of setting up a plan): none is accessed while an
    // access to it is in progress (`byID` calls back `tableID`, which reads `tables`).
    /// Where the entities of each kind are stored, made on the kind's first declaration.
    /// A kind's entities are its table's rows, in order, but for those in `removed`.
    @exclusivity(unchecked) private var tables: [EntityTable?] = Array(repeating: nil, count: Schema.kinds.count)
    /// Rows of each kind's table that are no longer among its entities: the REPL
    /// replaced them, or a rejected program declared them. Empty in a plan from a file.
    @exclusivity(unchecked) private var removed: [Set<Int32>] = Array(repeating: [], count: Schema.kinds.count)
    @exclusivity(unchecked) private var byID = EntityIndex()
    /// Bumped on every change; caches compare it.
    @exclusivity(unchecked) private(set) var version = 0
    private var collectionCache: [Int: (version: Int, list: ListObject)] = [:]
    private var graphCache: (version: Int, graph: InfluenceGraph)?
    private var unitTreeCache: (version: Int, tree: UnitTree)?
    /// Rules declared with `rule`, run by `mapl check`.
    var rules: [RuleDefinition] = []

    /// Each rule's id and where it is declared (an editor's outline).
    public var ruleDeclarations: [(id: String, span: Span)] { rules.map { ($0.id, $0.span) } }
    /// The plan's currency and exchange rates, from its account (read before any field
    /// is filled: every amount is converted to the currency as it enters the plan).
    public internal(set) var money = CurrencyRates()
    /// The plan's currency.
    public var currency: Currency { money.currency }

    public init() {}

    /// All entities of a kind, in declaration order.
    public func entities(of kind: EntityKind) -> [Entity] {
        var list: [Entity] = []
        list.reserveCapacity(count(of: kind))
        forEach(of: kind) { list.append($0) }
        return list
    }

    /// Calls `body` with each entity of a kind, in declaration order.
    func forEach(of kind: EntityKind, _ body: (Entity) throws -> Void) rethrows {
        guard let table = tables[kind.ordinal] else { return }
        let gone = removed[kind.ordinal]
        for row in 0..<Int32(truncatingIfNeeded: table.rowCount) where gone.isEmpty || !gone.contains(row) {
            try body(Entity(table: table, row: row))
        }
    }

    /// How many entities of a kind there are.
    func count(of kind: EntityKind) -> Int { (tables[kind.ordinal]?.rowCount ?? 0) - removed[kind.ordinal].count }

    public func entity(id: String) -> Entity? {
        byID.find(id, id: tableID).flatMap { reference in tables[reference.kind].map { Entity(table: $0, row: Int32(reference.row)) } }
    }

    /// The declared id of the row a reference names (for `byID`).
    private func tableID(_ reference: EntityIndex.Reference) -> String { tables[reference.kind]?.id(reference.row) ?? "" }

    public var count: Int { Schema.kinds.reduce(0) { $0 + count(of: $1) } }

    /// Declares a new entity of a kind (its fields empty) and returns it.
    /// - Parameter id: the declared id, or nil for one generated from its number.
    func declare(_ kind: EntityKind, id: String?, title: String?, span: Span) -> Entity {
        let entity = table(kind).append(id: id, ordinal: count(of: kind) + 1, title: title, span: span)
        if let id { byID.insert(id, EntityIndex.Reference(kind: kind.ordinal, row: entity.row), id: tableID) }
        version += 1
        return entity
    }

    private func table(_ kind: EntityKind) -> EntityTable {
        if let table = tables[kind.ordinal] { return table }
        let table = EntityTable(kind: kind, plan: self)
        tables[kind.ordinal] = table
        return table
    }

    func changed() { version += 1 }

    /// Gives back room the tables grew into while the plan was set up (they grow by
    /// doubling; a plan holds on to them while it is open).
    func trim() {
        for table in tables { table?.trim() }
    }

    /// Makes room for entities about to be declared, `counts[kind ordinal]` of each kind
    /// and `identified` with an id.
    func reserve(_ counts: [Int], identified: Int) {
        byID.reserve(byID.count + identified, id: tableID)
        for (ordinal, count) in counts.enumerated() where count > 0 && ordinal < tables.count {
            table(Schema.kinds[ordinal]).reserve(count)
        }
    }

    /// Takes an entity out (the REPL replaces a re-declared one).
    func remove(_ entity: Entity) {
        guard entity.plan === self, !removed[entity.kind.ordinal].contains(Int32(entity.row)) else { return }
        removed[entity.kind.ordinal].insert(Int32(entity.row))
        if entity.hasDeclaredID { byID.remove(entity.id, ifItIs: EntityIndex.Reference(kind: entity.kind.ordinal, row: entity.row), id: tableID) }
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
    func singleton(_ kind: EntityKind) -> Entity? {
        var first: Entity?
        forEach(of: kind) { entity in if first == nil { first = entity } }
        return first
    }

    /// The units as a tree with what belongs to each, built once per plan version.
    var unitTree: UnitTree {
        if let cached = unitTreeCache, cached.version == version { return cached.tree }
        let tree = UnitTree(self)
        unitTreeCache = (version, tree)
        return tree
    }

    /// The influence graph over stakeholders, built once per plan version.
    public var graph: InfluenceGraph {
        if let cached = graphCache, cached.version == version { return cached.graph }
        let graph = InfluenceGraph(plan: self)
        graphCache = (version, graph)
        return graph
    }

    /// The plan's contents, to put back when a program is rejected: how many rows each
    /// table had (rows are only ever added: those declared since are taken out again),
    /// the rows taken out, the ids and the rules (copied on write, so this is cheap).
    struct Snapshot {
        fileprivate let rows: [Int]
        fileprivate let removed: [Set<Int32>]
        fileprivate let byID: EntityIndex
        fileprivate let rules: [RuleDefinition]
    }

    func snapshot() -> Snapshot { Snapshot(rows: tables.map { $0?.rowCount ?? 0 }, removed: removed, byID: byID, rules: rules) }

    func restore(_ snapshot: Snapshot) {
        removed = snapshot.removed
        for (ordinal, table) in tables.enumerated() {
            guard let table, table.rowCount > snapshot.rows[ordinal] else { continue }
            removed[ordinal].formUnion((snapshot.rows[ordinal]..<table.rowCount).map { Int32(truncatingIfNeeded: $0) })
        }
        byID = snapshot.byID
        rules = snapshot.rules
        version += 1
    }

    /// Forgets everything (the REPL's :reset).
    public func removeAll() {
        tables = Array(repeating: nil, count: Schema.kinds.count)
        removed = Array(repeating: [], count: Schema.kinds.count)
        byID = EntityIndex()
        rules = []
        collectionCache = [:]
        graphCache = nil
        unitTreeCache = nil
        version += 1
    }

    /// Calls `body` with the two ends and the strength of every line of a kind
    /// (influence, conflict) whose ends are both set.
    func forEachLine(of kind: EntityKind, _ body: (_ from: Entity, _ to: Entity, _ strength: Level?) -> Void) {
        let fromSlot = kind.index["from"], toSlot = kind.index["to"], strengthSlot = kind.index["strength"]
        forEach(of: kind) { line in
            guard let fromSlot, let toSlot, case .entity(let from) = line.field(fromSlot), case .entity(let to) = line.field(toSlot) else { return }
            var strength: Level?
            if let strengthSlot, case .level(let level) = line.field(strengthSlot) { strength = level }
            body(from, to, strength)
        }
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
