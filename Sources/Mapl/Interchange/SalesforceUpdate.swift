// A fresh Salesforce export brought into a plan the team has worked on
// (`mapl import salesforce --update PLAN`). Records are matched by their Salesforce Id
// (the `crm_id` field; a plan imported before it existed has the Id in a
// `# Salesforce Contact ID` comment), or, for a record the plan has without an Id, by
// its name. Only the fields the CRM owns change (name, title, unit, reports_to, email;
// value, stage, probability, close, type, next step), each by an edit where it is
// written, in whichever file of the plan that is; new contacts, deals and departments
// are added beside the plan's own; records gone from the export are reported and kept,
// or removed on request. Everything else stays byte for byte.

/// What a plan already holds, for an import that updates it.
public struct ExistingRecords: Sendable {
    /// Salesforce Id (15-character key) → the stakeholder's id in the plan.
    public var contacts: [String: String] = [:]
    /// Salesforce Id (15-character key) → the opportunity's id in the plan.
    public var deals: [String: String] = [:]
    /// Lower-cased name → id, for stakeholders and deals the plan has without an Id
    /// (names that two of them share are left out).
    public var stakeholdersByName: [String: String] = [:]
    public var dealsByName: [String: String] = [:]
    /// Lower-cased unit name (and id) → the unit's id.
    public var unitsByName: [String: String] = [:]
    /// Every id the plan uses: a new record's id must differ.
    public var taken: Set<String> = []

    public init() {}
}

/// What an update does to a plan's files.
public struct PlanUpdate: Sendable {
    /// A record named in the summary: its kind, id and name.
    public struct Record: Sendable, Equatable {
        public let kind: String
        public let id: String
        public let name: String
    }

    /// A file of the plan and its text before and after.
    public struct FileChange: Sendable {
        public let path: String
        public let before: String
        public let after: String
    }

    public var files: [FileChange] = []
    public var added: [Record] = []
    public var changed: [Record] = []
    /// Records the plan had without a Salesforce Id, matched by name (their Id is added).
    public var matchedByName: [Record] = []
    /// Records with a Salesforce Id that the export no longer has.
    public var missing: [Record] = []
    /// Records of the plan that share a Salesforce Id with an earlier one: only the
    /// first is updated.
    public var sharedIDs: [Record] = []
    /// Whether `missing` were removed (with the lines of influence and conflict that
    /// ran to them).
    public var removedMissing = false
    /// Whether removing was asked for but not done: rows that could not be read may be
    /// records the export still has.
    public var removalWithheld = false
    public var removedLines = 0
}

/// A plan loaded for an update: its entities and where each is written.
public struct SalesforcePlanUpdater {
    private let session: Session
    /// The plan's declarations by where their header starts (file, offset).
    private var written: [SpanKeyValue: WrittenDeclaration] = [:]
    /// The plan's files (not the standard library's) in load order, with their bytes.
    private var files: [(file: SourceFile, bytes: [UInt8])] = []
    private let mainFile: FileID
    /// The Salesforce Id (15-character key) of each stakeholder and opportunity that has one.
    private var recordKeys: [Entity: String] = [:]

    /// `session` has loaded the plan of `main` (see `Session.loadPlan`) without errors.
    public init(session: Session, main: SourceFile) {
        self.session = session
        mainFile = main.id
        var id: FileID = 0
        while let file = session.sources.file(id) {
            id += 1
            guard !session.isStandardLibrary(file.id), !file.name.hasPrefix("<") || file.id == main.id else { continue }
            let bytes = Array(file.bytes)
            files.append((file, bytes))
            let (program, _) = Parser.parse(file)
            for statement in program.statements {
                guard case .declaration(let declaration) = statement.kind else { continue }
                written[SpanKeyValue(declaration.span)] = WrittenDeclaration(declaration: declaration, bytes: bytes)
            }
        }
        for kind in ["stakeholder", "opportunity"] {
            for entity in entities(kind) { recordKeys[entity] = recordKey(of: entity) }
        }
    }

    private var plan: Plan { session.machine.plan }

    private func place(of entity: Entity) -> WrittenDeclaration? { written[SpanKeyValue(entity.span)] }

    /// The Salesforce Id of a stakeholder or opportunity: its `crm_id`, else the
    /// `# Salesforce Contact ID` comment an earlier import wrote above it. (Read once,
    /// into `recordKeys`.)
    private func recordKey(of entity: Entity) -> String? {
        if case .string(let id)? = entity["crm_id"], !id.isEmpty { return SalesforceMapping.recordKey(id) }
        // Only the comment line right above, and only a word shaped like a Salesforce Id
        // (15 or 18 letters and digits): a team's own comment that mentions Salesforce
        // does not make a record the CRM's.
        let label = entity.kind.name == "stakeholder" ? "Salesforce Contact " : "Salesforce Opportunity "
        guard let comment = place(of: entity)?.commentAbove, comment.text.hasPrefix(label) else { return nil }
        let id = comment.text.dropFirst(label.count).prefix { $0 != "," && $0 != " " }
        guard [15, 18].contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        return SalesforceMapping.recordKey(String(id))
    }

    private func entities(_ kind: String) -> [Entity] {
        Schema.kind(named: kind).map(plan.entities(of:)) ?? []
    }

    /// What the importer needs to keep the plan's ids.
    public var existingRecords: ExistingRecords {
        var records = ExistingRecords()
        for kind in Schema.kinds { for entity in plan.entities(of: kind) where entity.hasDeclaredID { records.taken.insert(entity.id) } }
        for global in session.declaredGlobals { records.taken.insert(global.name) }
        for unit in entities("unit") where unit.hasDeclaredID {
            records.unitsByName[unit.name.lowercased()] = unit.id
            records.unitsByName[unit.id.lowercased()] = records.unitsByName[unit.id.lowercased()] ?? unit.id
        }
        func byName(_ kind: String, keyed: inout [String: String], unkeyed: inout [String: String]) {
            var shared: Set<String> = []
            for entity in entities(kind) where entity.hasDeclaredID {
                if let key = recordKeys[entity] {
                    if keyed[key] == nil { keyed[key] = entity.id }
                    continue
                }
                let name = entity.name.lowercased()
                if unkeyed[name] != nil { shared.insert(name) }
                unkeyed[name] = entity.id
            }
            for name in shared { unkeyed[name] = nil }
        }
        byName("stakeholder", keyed: &records.contacts, unkeyed: &records.stakeholdersByName)
        byName("opportunity", keyed: &records.deals, unkeyed: &records.dealsByName)
        return records
    }

    /// The edits that bring the export's records into the plan. `kinds` are the kinds
    /// the export had files for (only those can be missing).
    public func update(with result: ImportResult, kinds: Set<String>, removeMissing: Bool) -> PlanUpdate {
        var update = PlanUpdate()
        var edits: [FileID: SourceEdits] = [:]
        var newText: [String: String] = [:]
        let gone = missing(result, kinds: kinds, remove: removeMissing, into: &update, &edits)
        update.sharedIDs = sharedIDs()
        for entry in result.document.entries where ["unit", "stakeholder", "opportunity"].contains(entry.kind) {
            guard let id = entry.id else { continue }
            guard let entity = plan.entity(id: id), entity.kind.name == entry.kind, let place = place(of: entity) else {
                newText[entry.kind, default: ""] += PlanWriter.declaration(entry)
                update.added.append(.init(kind: entry.kind, id: id, name: entry.title ?? id))
                continue
            }
            guard entry.kind != "unit" else { continue }
            var fileEdits = edits[entity.span.file] ?? SourceEdits()
            let owned = result.crmFields[id] ?? []
            if recordKeys[entity] == nil { update.matchedByName.append(.init(kind: entry.kind, id: id, name: entity.name)) }
            if updateFields(entity, place, entry, owned: owned, &fileEdits) {
                update.changed.append(.init(kind: entry.kind, id: id, name: entry.title ?? entity.name))
            }
            edits[entity.span.file] = fileEdits
        }
        for kind in ["unit", "stakeholder", "opportunity"] {
            guard let text = newText[kind] else { continue }
            let (file, anchor) = anchor(for: kind, avoiding: gone)
            var fileEdits = edits[file] ?? SourceEdits()
            if let anchor { anchor.insertAfter(text, in: &fileEdits) } else { appendToEnd(text, of: file, &fileEdits) }
            edits[file] = fileEdits
        }
        for (file, bytes) in files {
            guard let fileEdits = edits[file.id], !fileEdits.isEmpty else { continue }
            let after = fileEdits.applied(to: bytes)
            let before = String(decoding: bytes, as: UTF8.self)
            if after != before { update.files.append(.init(path: file.name, before: before, after: after)) }
        }
        return update
    }

    /// Sets the CRM-owned fields of one record that differ; whether any did.
    private func updateFields(_ entity: Entity, _ place: WrittenDeclaration, _ entry: PlanEntry, owned: Set<String>, _ edits: inout SourceEdits) -> Bool {
        var changed = false
        if owned.contains("name"), let title = entry.title, title != entity.title {
            place.setTitle(title, in: &edits)
            changed = true
        }
        var set: [(name: String, literal: String)] = [], remove: [String] = []
        for (index, spec) in entity.kind.fields.enumerated() where owned.contains(spec.name) {
            let new = entry.fields.last { $0.name == spec.name }?.value
            let old = FieldValue(entity.field(index), sources: session.sources)
            if spec.name == "crm_id" {
                // Added where missing; an 18-character Id is the 15-character one.
                if old == nil, let new { set.append(("crm_id", PlanWriter.literal(new))) }
                continue
            }
            let (newLiteral, oldLiteral) = (new.map { PlanWriter.literal($0) }, old.map { PlanWriter.literal($0) })
            guard newLiteral != oldLiteral else { continue }
            if let newLiteral { set.append((spec.name, newLiteral)) } else { remove.append(spec.name) }
            changed = true
        }
        place.update(set: set, remove: remove, in: &edits)
        return changed
    }

    /// Records whose Salesforce Id an earlier record of the plan has too.
    private func sharedIDs() -> [PlanUpdate.Record] {
        var seen: Set<String> = []
        return ["stakeholder", "opportunity"].flatMap { kind in
            entities(kind).compactMap { entity -> PlanUpdate.Record? in
                guard entity.hasDeclaredID, let key = recordKeys[entity] else { return nil }
                return seen.insert(kind + key).inserted ? nil : .init(kind: kind, id: entity.id, name: entity.name)
            }
        }
    }

    /// Where new records of a kind go: after the last one of that kind in the file that
    /// has most of them (else after the kinds beside it), else the main file's end.
    private func anchor(for kind: String, avoiding gone: Set<String>) -> (FileID, WrittenDeclaration?) {
        for candidate in [kind, "stakeholder", "opportunity", "unit"] {
            let placed = entities(candidate).filter { !gone.contains($0.id) }.compactMap { entity in place(of: entity).map { (entity.span.file, $0) } }
            guard !placed.isEmpty else { continue }
            let counts = Dictionary(placed.map { ($0.0, 1) }, uniquingKeysWith: +)
            let best = counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? mainFile
            return (best, placed.last { $0.0 == best }?.1)
        }
        return (mainFile, nil)
    }

    private func appendToEnd(_ text: String, of file: FileID, _ edits: inout SourceEdits) {
        guard let bytes = files.first(where: { $0.file.id == file })?.bytes else { return }
        let separator = bytes.isEmpty ? "" : bytes.last == UInt8(ascii: "\n") ? "\n" : "\n\n"
        edits.insert(separator + text, at: bytes.count)
    }

    /// Records with a Salesforce Id that the export does not have: reported, and with
    /// `remove`, removed with the influence and conflict lines that run to them. The
    /// ids of those removed.
    private func missing(_ result: ImportResult, kinds: Set<String>, remove: Bool, into update: inout PlanUpdate,
                         _ edits: inout [FileID: SourceEdits]) -> Set<String> {
        let exported = Set(result.exportedKeys)
        var gone: Set<String> = []
        for kind in ["stakeholder", "opportunity"] where kinds.contains(kind) {
            for entity in entities(kind) {
                guard let key = recordKeys[entity], !exported.contains(key) else { continue }
                update.missing.append(.init(kind: kind, id: entity.id, name: entity.name))
                gone.insert(entity.id)
            }
        }
        guard remove, !gone.isEmpty else { return [] }
        guard result.badRows.isEmpty else {
            update.removalWithheld = true
            return []
        }
        update.removedMissing = true
        for kind in ["stakeholder", "opportunity", "influence", "conflict"] {
            for entity in entities(kind) {
                let ends = ["from", "to"].compactMap { field -> String? in
                    if case .entity(let end)? = entity[field] { return end.id }
                    return nil
                }
                let removed = gone.contains(entity.id) && entity.hasDeclaredID
                guard removed || ends.contains(where: gone.contains), let place = place(of: entity) else { continue }
                if !removed { update.removedLines += 1 }
                place.remove(in: &edits[entity.span.file, default: SourceEdits()]) { $0.hasPrefix("Salesforce Contact ") || $0.hasPrefix("Salesforce Opportunity ") }
            }
        }
        return gone
    }
}
