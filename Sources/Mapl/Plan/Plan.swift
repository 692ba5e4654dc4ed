// The account plan as the program declares it: entities indexed by kind and by id,
// with caches (collections, the influence graph) rebuilt only when the plan changes.

/// One declared entity: a stakeholder, an opportunity, an influence line, …
public final class Entity {
    public let kind: EntityKind
    /// The declared id ("" for an entity declared without one; see `id`).
    private let declaredID: String
    /// Its number among the entities of its kind when declared (1, 2, …), for the id of
    /// one without a declared id.
    private let ordinal: Int32
    public internal(set) var title: String?
    /// Declared field values by the kind's field index; `.nil` where not given.
    public internal(set) var fields = FieldValues()
    /// The plan that declared it: derived fields (`covered_by`, `roles`, …) are computed
    /// there, also for an entity of a plan opened with `open_plan`.
    public internal(set) weak var plan: Plan?
    /// The declaration's header, where warnings about this entity point.
    public let span: Span
    /// Where the values of function fields (a criterion's `score`) were written, by
    /// field index: exports show that code as written. The rest of the declaration's
    /// syntax is not kept once the entity is filled in.
    private(set) var codeSpans: [Int: Span]?
    public let hasDeclaredID: Bool

    /// - Parameter id: the declared id, or nil for one generated from `ordinal`.
    init(kind: EntityKind, id: String?, ordinal: Int, title: String?, span: Span) {
        self.kind = kind
        declaredID = id ?? ""
        self.ordinal = Int32(truncatingIfNeeded: ordinal)
        hasDeclaredID = id != nil
        self.title = title
        self.span = span
    }

    /// The declared id, or a generated one (`influence#3`) for an entity without one
    /// (made when asked: most lines are never asked for theirs).
    public var id: String { hasDeclaredID ? declaredID : "\(kind.name)#\(ordinal)" }

    /// Where the value of field `index` was written, for a function field.
    func codeSpan(_ index: Int) -> Span? { codeSpans?[index] }

    /// Notes where a function field's value was written (see `codeSpans`).
    func setCodeSpan(_ index: Int, _ span: Span) {
        codeSpans = codeSpans ?? [:]
        codeSpans?[index] = span
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
    private var byID: [String: Entity] = [:]
    /// Bumped on every change; caches compare it.
    private(set) var version = 0
    private var collectionCache: [Int: (version: Int, list: ListObject)] = [:]
    private var graphCache: (version: Int, graph: InfluenceGraph)?
    /// Rules declared with `rule`, run by `mapl check`.
    var rules: [RuleDefinition] = []

    public init() {}

    /// All entities of a kind, in declaration order.
    public func entities(of kind: EntityKind) -> [Entity] { byKind[kind.ordinal] }

    /// How many entities of a kind there are.
    func count(of kind: EntityKind) -> Int { byKind[kind.ordinal].count }

    public func entity(id: String) -> Entity? { byID[id] }

    public var count: Int { byKind.reduce(0) { $0 + $1.count } }

    func add(_ entity: Entity) {
        byKind[entity.kind.ordinal].append(entity)
        entity.plan = self
        if entity.hasDeclaredID { byID[entity.id] = entity }
        version += 1
    }

    func changed() { version += 1 }

    /// Makes room for entities about to be declared, `counts[kind ordinal]` of each kind
    /// and `identified` with an id.
    func reserve(_ counts: [Int], identified: Int) {
        byID.reserveCapacity(byID.count + identified)
        for (ordinal, count) in counts.enumerated() where count > 0 && ordinal < byKind.count {
            byKind[ordinal].reserveCapacity(byKind[ordinal].count + count)
        }
    }

    /// Takes an entity out (the REPL replaces a re-declared one).
    func remove(_ entity: Entity) {
        byKind[entity.kind.ordinal].removeAll { $0 === entity }
        if byID[entity.id] === entity { byID[entity.id] = nil }
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
        fileprivate let byID: [String: Entity]
        fileprivate let rules: [RuleDefinition]
    }

    func snapshot() -> Snapshot { Snapshot(byKind: byKind, byID: byID, rules: rules) }

    func restore(_ snapshot: Snapshot) {
        byKind = snapshot.byKind
        byID = snapshot.byID
        rules = snapshot.rules
        version += 1
    }

    /// Forgets everything (the REPL's :reset).
    public func removeAll() {
        byKind = Array(repeating: [], count: Schema.kinds.count)
        byID = [:]
        rules = []
        collectionCache = [:]
        graphCache = nil
        version += 1
    }

    /// Calls `body` with the two ends and the strength of every line of a kind
    /// (influence, conflict) whose ends are both set.
    func forEachLine(of kind: EntityKind, _ body: (_ from: Entity, _ to: Entity, _ strength: Level?) -> Void) {
        let fromSlot = kind.index["from"], toSlot = kind.index["to"], strengthSlot = kind.index["strength"]
        for line in byKind[kind.ordinal] {
            guard let fromSlot, let toSlot, case .entity(let from) = line.fields[fromSlot], case .entity(let to) = line.fields[toSlot] else { continue }
            var strength: Level?
            if let strengthSlot, case .level(let level) = line.fields[strengthSlot] { strength = level }
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
