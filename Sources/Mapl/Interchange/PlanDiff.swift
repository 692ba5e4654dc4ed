// What changed between two versions of a plan, in account terms: entities matched by
// id (or, for those without one, by what identifies them: an influence line by its
// two ends, a white-space cell by unit and offering), field by field with the
// direction of each move; opportunities won or lost; the pipeline before and after;
// rule warnings fixed and new. PlanDiffReport.swift words it for people.

/// One loaded version of a plan.
public struct PlanVersion {
    /// How the version is named in the report (a file name).
    public let name: String
    let session: Session
    /// The first free slot of the session's value stack, where `pipeline()` and the
    /// rules run (see `Plan.checkRules`).
    let top: Frame

    /// `session` must have loaded the plan (see `Session.loadPlan`) and be running no
    /// code: its plan's code runs from the base of its value stack.
    public init(name: String, session: Session) {
        self.init(name: name, session: session, top: session.machine.stack)
    }

    /// A version whose session may be running code (the plan of a script that calls
    /// `plan_changes`): its plan's code runs from `top`, the caller's first free slot.
    init(name: String, session: Session, top: Frame) {
        self.name = name
        self.session = session
        self.top = top
    }

    var plan: Plan { session.machine.plan }

    /// A field's value as written (ids for entities, source text for functions).
    func value(_ entity: Entity, _ index: Int) -> FieldValue? {
        FieldValue(entity.field(index), sources: session.sources)
    }

    /// The name of the entity an id refers to in this version (the id when unknown).
    func name(of id: String) -> String { plan.entity(id: id)?.name ?? id }

    /// The `pipeline()` figures, computed by the built-in itself.
    func pipeline() -> [(String, Value)] {
        guard let index = Builtins.signatures["pipeline"]?.index else { return [] }
        let machine = session.machine
        let context = CallContext(machine: machine, span: Span(file: -1, start: 0, end: 0), top: top)
        guard case .record(let record)? = try? Builtins.call(index, UnsafeBufferPointer(start: nil, count: 0), context) else { return [] }
        return Array(zip(record.shape.keys, record.values))
    }

    /// The rule warnings `mapl check` would print, each with what identifies it across
    /// versions: the rule and the entity it is about (its message may change with the
    /// entity's fields).
    func warnings() -> [PlanDiff.Warning] {
        var entityAt: [SpanKeyValue: Entity] = [:]
        for kind in Schema.kinds { for entity in plan.entities(of: kind) { entityAt[SpanKeyValue(entity.span)] = entity } }
        let keyed = Dictionary(Schema.kinds.flatMap { PlanDiff.keyed($0, self) }.map { ($0.entity, $0.key) }, uniquingKeysWith: { a, _ in a })
        return session.machine.checkPlan(top: top).compactMap { diagnostic in
            guard diagnostic.severity == .warning else { return nil }
            let rule: String
            switch diagnostic.kind {
            case .ruleViolation(let id, _), .checkFinding(let id, _, _): rule = id
            default: return nil
            }
            let about = entityAt[SpanKeyValue(diagnostic.span)].map { "\($0.kind.name) " + (keyed[$0] ?? $0.id) } ?? diagnostic.message
            return PlanDiff.Warning(key: rule + " / " + about, message: diagnostic.message)
        }
    }
}

public struct PlanDiff {
    /// What happened to an entity.
    public enum Status: String, Sendable {
        case added = "new", removed, won, lost, changed
    }

    /// One entity that is new, gone or different.
    public struct EntityChange {
        public let kind: EntityKind
        /// `Dana Wright (dana)`, `Omar Haddad → Dana Wright`.
        public let label: String
        public let status: Status
        /// The main facts of a new, removed, won or lost entity.
        public let summary: String?
        /// One line per changed field: `support: non_supporter → neutral (up)`.
        public let details: [String]
    }

    /// A rule violation, and what identifies it across versions.
    public struct Warning: Equatable {
        public let key: String
        public let message: String
    }

    /// A pipeline figure before and after.
    public struct Figure {
        public let name: String
        public let before: Value
        public let after: Value
    }

    public let oldName: String
    public let newName: String
    /// The account's name in the new version (or the old one), if declared.
    public let account: String?
    public private(set) var changes: [EntityChange] = []
    public private(set) var pipeline: [Figure] = []
    public private(set) var warningsBefore: [Warning] = []
    public private(set) var warningsAfter: [Warning] = []

    /// Compares two loaded versions. `checks` runs both plans' rules to compare their
    /// warnings (in frames from each version's `top`).
    public init(old: PlanVersion, new: PlanVersion, checks: Bool = true) {
        oldName = old.name
        newName = new.name
        let accountKind = Schema.kind(named: "account")
        account = accountKind.flatMap { new.plan.entities(of: $0).first?.name ?? old.plan.entities(of: $0).first?.name }
        for kind in Schema.kinds { compare(kind, old, new) }
        let before = old.pipeline(), after = new.pipeline()
        for (name, value) in before {
            pipeline.append(Figure(name: name, before: value, after: after.first { $0.0 == name }?.1 ?? .nil))
        }
        if checks {
            warningsBefore = old.warnings()
            warningsAfter = new.warnings()
        }
    }

    /// True when the versions declare the same plan.
    public var isEmpty: Bool {
        changes.isEmpty && warningsBefore.map(\.message).sorted() == warningsAfter.map(\.message).sorted()
    }

    // MARK: - Matching

    /// What identifies an entity across versions.
    static func key(_ entity: Entity, in version: PlanVersion) -> String {
        if entity.hasDeclaredID { return entity.id }
        if entity.kind.isSingleton { return entity.kind.name }
        func end(_ field: String) -> String {
            guard let index = entity.kind.index[field], case .word(let id)? = version.value(entity, index) else { return "?" }
            return id
        }
        switch entity.kind.name {
        case "influence": return end("from") + " -> " + end("to")
        case "conflict": return [end("from"), end("to")].sorted().joined(separator: " <-> ")
        case "whitespace": return end("unit") + " x " + end("offering")
        default: return entity.title ?? entity.id
        }
    }

    /// Entities by key, in declaration order; a key met again gets `#2`, `#3`.
    static func keyed(_ kind: EntityKind, _ version: PlanVersion) -> [(key: String, entity: Entity)] {
        var seen: [String: Int] = [:]
        return version.plan.entities(of: kind).map { entity in
            let base = key(entity, in: version)
            seen[base, default: 0] += 1
            let count = seen[base] ?? 1
            return (count == 1 ? base : "\(base) #\(count)", entity)
        }
    }

    /// How an entity is named in the report.
    static func label(_ entity: Entity, in version: PlanVersion) -> String {
        func end(_ field: String) -> String {
            guard let index = entity.kind.index[field], case .word(let id)? = version.value(entity, index) else { return "?" }
            return version.name(of: id)
        }
        switch entity.kind.name {
        case "influence" where !entity.hasDeclaredID: return end("from") + " → " + end("to")
        case "conflict" where !entity.hasDeclaredID: return end("from") + " ↔ " + end("to")
        case "whitespace": return end("unit") + " × " + end("offering")
        default: break
        }
        if entity.hasDeclaredID { return entity.title.map { "\($0) (\(entity.id))" } ?? entity.id }
        return entity.title ?? (entity.kind.isSingleton ? entity.kind.name : entity.id)
    }

    private mutating func compare(_ kind: EntityKind, _ old: PlanVersion, _ new: PlanVersion) {
        let before = PlanDiff.keyed(kind, old), after = PlanDiff.keyed(kind, new)
        let oldByKey = Dictionary(before.map { ($0.key, $0.entity) }, uniquingKeysWith: { first, _ in first })
        let newKeys = Set(after.map(\.key))
        var found: [EntityChange] = []
        for (key, entity) in after {
            let label = PlanDiff.label(entity, in: new)
            guard let previous = oldByKey[key] else {
                found.append(EntityChange(kind: kind, label: label, status: .added, summary: PlanDiff.summary(entity, in: new), details: []))
                continue
            }
            let details = PlanDiff.fieldChanges(previous, old, entity, new)
            let (was, now) = (PlanDiff.outcome(previous, old), PlanDiff.outcome(entity, new))
            if now != was, now == .won || now == .lost {
                found.append(EntityChange(kind: kind, label: label, status: now, summary: PlanDiff.closingSummary(entity, in: new),
                                          details: details.filter { !["stage:", "probability:", "close:"].contains(where: $0.hasPrefix) }))
            } else if !details.isEmpty || PlanDiff.label(previous, in: old) != label {
                found.append(EntityChange(kind: kind, label: label, status: .changed, summary: nil, details: details))
            }
        }
        for (key, entity) in before where !newKeys.contains(key) {
            found.append(EntityChange(kind: kind, label: PlanDiff.label(entity, in: old), status: .removed, summary: PlanDiff.summary(entity, in: old), details: []))
        }
        // New first, then removed, won, lost, changed; in declaration order within each.
        let order: [Status] = [.added, .removed, .won, .lost, .changed]
        changes += order.flatMap { status in found.filter { $0.status == status } }
    }

    /// Whether an opportunity is won, lost or still open (`.changed` for open).
    static func outcome(_ entity: Entity, _ version: PlanVersion) -> Status {
        guard entity.kind.name == "opportunity", let index = entity.kind.index["stage"], case .word(let stage)? = version.value(entity, index) else { return .changed }
        return stage == "won" ? .won : stage == "lost" ? .lost : .changed
    }
}
