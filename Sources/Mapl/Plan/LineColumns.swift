// Shorthand influence and conflict lines as the plan first holds them: in columns, a few
// dozen bytes a line instead of an `Entity` object with a field array (a large plan has
// a million lines). The graph reads the columns directly; the first time anything asks
// for the lines as entities (`influences`, an export, a what-if), the plan turns them
// into ordinary entities once (`Plan.materializeLines`), and from then on they are
// ordinary entities.

/// Lines of one kind, in declaration order, after any lines already held as entities.
struct LineColumns {
    /// The two ends by serial number (`Plan.serial(of:)`): storing a number costs no
    /// reference count, which for a million lines was a cache miss per end. -1 between
    /// declaring a line and filling it in, and for a line whose ends were rejected (the
    /// program is then rejected as a whole).
    var from: [Int32] = []
    var to: [Int32] = []
    /// The strength as a level: its rank, and how it was given (see `StrengthForm`).
    var strengthRank: [Double] = []
    var strengthForm: [StrengthForm] = []
    /// The scale of every strength (one field, so one scale).
    var strengthScale: UInt8 = 0
    /// Where the lines were written: runs of consecutive lines of a batch, in order, from
    /// column index `start`. A line's header (where warnings point) is read from its
    /// batch rather than stored, which was 12 bytes a line.
    private var runs: [(batch: LineBatch, first: Int, start: Int)] = []
    private(set) var count = 0

    enum StrengthForm: UInt8 {
        case none, named, numeric
    }

    var isEmpty: Bool { count == 0 }

    /// Adds lines of a batch with empty ends, filled later with `set`; returns the index
    /// of the first.
    mutating func appendEmpty(_ batch: LineBatch, lines: Range<Int>) -> Int {
        let first = self.count, count = lines.count
        runs.append((batch, lines.lowerBound, first))
        self.count += count
        from.append(contentsOf: repeatElement(-1, count: count))
        to.append(contentsOf: repeatElement(-1, count: count))
        strengthRank.append(contentsOf: repeatElement(0, count: count))
        strengthForm.append(contentsOf: repeatElement(.none, count: count))
        return first
    }

    mutating func set(_ index: Int, from: Int32, to: Int32, strength: Level?) {
        self.from[index] = from
        self.to[index] = to
        if let strength {
            strengthRank[index] = strength.rank
            strengthForm[index] = strength.isNumeric ? .numeric : .named
            strengthScale = strength.scale
        }
    }

    func strength(_ index: Int) -> Level? {
        switch strengthForm[index] {
        case .none: return nil
        case .named: return Level(scale: strengthScale, rank: strengthRank[index])
        case .numeric: return Level(scale: strengthScale, rank: strengthRank[index], isNumeric: true)
        }
    }

    /// Line `index`'s batch and its number there.
    func origin(_ index: Int) -> (batch: LineBatch, line: Int) {
        var low = 0, high = runs.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if runs[middle].start <= index { low = middle } else { high = middle - 1 }
        }
        let run = runs[low]
        return (run.batch, run.first + index - run.start)
    }

    /// Line `index` as an entity of `kind`, numbered `ordinal` among the kind's entities;
    /// `person` gives the entity of a serial number.
    func entity(_ index: Int, kind: EntityKind, ordinal: Int, person: (Int32) -> Entity) -> Entity {
        let (batch, line) = origin(index)
        let entity = Entity(kind: kind, id: "\(kind.name)#\(ordinal)", hasDeclaredID: false, title: nil, span: batch.header(line))
        entity.origin = .line(batch, line)
        LineColumns.write(into: entity, from: from[index] >= 0 ? person(from[index]) : nil,
                          to: to[index] >= 0 ? person(to[index]) : nil, strength: strength(index))
        return entity
    }

    /// Sets a line entity's ends and strength (those given).
    static func write(into entity: Entity, from: Entity?, to: Entity?, strength: Level?) {
        let kind = entity.kind
        if let from, let slot = kind.index["from"] { entity.fields[slot] = .entity(from) }
        if let to, let slot = kind.index["to"] { entity.fields[slot] = .entity(to) }
        if let strength, let slot = kind.index["strength"] { entity.fields[slot] = .level(strength) }
    }
}

extension Plan {
    /// Calls `entities` with the ends and strength of every line of `kind` held as
    /// entities, then `serials` with those of every line in columns (ends by serial
    /// number), in declaration order, without making entities.
    func forEachLine(of kind: EntityKind, entities body: (_ from: Entity, _ to: Entity, _ strength: Level?) -> Void,
                     serials: (_ from: Int32, _ to: Int32, _ strength: Level?) -> Void) {
        let fromSlot = kind.index["from"], toSlot = kind.index["to"], strengthSlot = kind.index["strength"]
        for line in entitiesHeld(of: kind) {
            guard let fromSlot, let toSlot, case .entity(let from) = line.fields[fromSlot], case .entity(let to) = line.fields[toSlot] else { continue }
            var strength: Level?
            if let strengthSlot, case .level(let level) = line.fields[strengthSlot] { strength = level }
            body(from, to, strength)
        }
        let columns = lineColumns(of: kind)
        for index in 0..<columns.count where columns.from[index] >= 0 && columns.to[index] >= 0 {
            serials(columns.from[index], columns.to[index], columns.strength(index))
        }
    }
}
