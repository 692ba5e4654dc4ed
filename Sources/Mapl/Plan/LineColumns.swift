// Shorthand influence and conflict lines as the plan first holds them: in columns, a few
// dozen bytes a line instead of an `Entity` object with a field array (a large plan has
// a million lines). The graph reads the columns directly; the first time anything asks
// for the lines as entities (`influences`, an export, a what-if), the plan turns them
// into ordinary entities once (`Plan.materializeLines`), and from then on they are
// ordinary entities.

/// Lines of one kind, in declaration order, after any lines already held as entities.
/// The lines' ends and strengths are read from their batches, which the plan compiler
/// fills in place (`LineBatch.fill`): a copy here was 17 bytes a line, held while the
/// batches still held the lines as written.
struct LineColumns {
    /// Where the lines were written: runs of consecutive lines of a batch, in order, from
    /// column index `start`. A run is read only once it is filled in (`markFilled`):
    /// until then its batch holds names, not serial numbers.
    private var runs: [Run] = []
    private(set) var count = 0
    /// The scale of every strength (one field, so one scale).
    private(set) var strengthScale: UInt8 = 0

    private struct Run {
        let batch: LineBatch
        let first: Int
        let start: Int
        let count: Int
        var isFilled = false
    }

    var isEmpty: Bool { count == 0 }

    /// Adds lines of a batch, to be filled in with `set` and then `markFilled`; returns
    /// the index of the first.
    mutating func append(_ batch: LineBatch, lines: Range<Int>) -> Int {
        let first = count
        runs.append(Run(batch: batch, first: lines.lowerBound, start: first, count: lines.count))
        count += lines.count
        return first
    }

    /// Sets the ends (serial numbers, -1 when rejected) and strength of line `index`.
    mutating func set(_ index: Int, from: Int32, to: Int32, strength: Level?) {
        let (run, line) = locate(index)
        runs[run].batch.fill(line, from: from, to: to, strength: strength)
        if let strength { strengthScale = strength.scale }
    }

    /// Marks the lines added from `start` as filled in.
    mutating func markFilled(from start: Int) {
        guard !runs.isEmpty, start < count else { return }
        let run = locate(start).run
        if runs[run].start == start { runs[run].isFilled = true }
    }

    /// The ends (serial numbers) and strength of line `index`, if it is filled in and its
    /// ends were taken.
    func line(_ index: Int) -> (from: Int32, to: Int32, strength: Level?)? {
        let (run, line) = locate(index)
        return read(runs[run], line)
    }

    private func read(_ run: Run, _ line: Int) -> (from: Int32, to: Int32, strength: Level?)? {
        guard run.isFilled else { return nil }
        let batch = run.batch
        let from = batch.from[line], to = batch.to[line]
        guard from >= 0 && to >= 0 else { return nil }
        return (from, to, batch.strength(line, scale: strengthScale))
    }

    /// Calls `body` with the ends and strength of every filled-in line, in order.
    func forEach(_ body: (_ from: Int32, _ to: Int32, _ strength: Level?) -> Void) {
        for run in runs where run.isFilled {
            for line in run.first..<run.first + run.count {
                if let (from, to, strength) = read(run, line) { body(from, to, strength) }
            }
        }
    }

    /// Line `index`'s run and its number in the run's batch.
    private func locate(_ index: Int) -> (run: Int, line: Int) {
        var low = 0, high = runs.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if runs[middle].start <= index { low = middle } else { high = middle - 1 }
        }
        return (low, runs[low].first + index - runs[low].start)
    }

    /// Line `index`'s batch and its number there.
    func origin(_ index: Int) -> (batch: LineBatch, line: Int) {
        let (run, line) = locate(index)
        return (runs[run].batch, line)
    }

    /// Line `index` as an entity of `kind`, numbered `ordinal` among the kind's entities;
    /// `person` gives the entity of a serial number.
    func entity(_ index: Int, kind: EntityKind, ordinal: Int, person: (Int32) -> Entity) -> Entity {
        let (batch, line) = origin(index)
        let entity = Entity(kind: kind, id: "\(kind.name)#\(ordinal)", hasDeclaredID: false, title: nil, origin: .line(batch, Int32(line)))
        if let (from, to, strength) = self.line(index) {
            LineColumns.write(into: entity, from: person(from), to: person(to), strength: strength)
        }
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
        lineColumns(of: kind).forEach(serials)
    }
}
