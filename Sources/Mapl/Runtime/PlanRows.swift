// The declarations a program sets up, held from compiling to the end of the fill, when
// memory peaks (a large plan has a million declarations): 8 bytes a declaration, the
// tables they are in and the rest kept once per run of rows or only where present.

/// The plan declarations of one program, with their entities once declared and the
/// compiled code of their expression fields, read in order (`forEachDeclaration`).
final class PlanRows {
    /// What is stored per declaration: its row in its table, and its entity's row in
    /// the kind's table of the plan (-1 until declared, or when its id was taken).
    private struct Stored {
        let declaration: Int32
        var entity: Int32
    }

    // Exclusivity is not checked at run time (several reads per declaration, each
    // check about 75 instructions): the arrays are built by `append` and `noteCode`,
    // then only `declare` writes an entity and the first entity of a kind, and no read
    // of them is in progress while it does.
    @exclusivity(unchecked) private var stored: [Stored] = []
    /// The tables the declarations are in, each with the first row that is in it (the
    /// declarations of a file are one run).
    @exclusivity(unchecked) private var tables: [(first: Int32, table: DeclarationTable)] = []
    /// The rows whose id names a global, with its slot, in row order.
    @exclusivity(unchecked) private var globals: [(row: Int32, slot: Int32)] = []
    /// The rows that have compiled code, with where it starts in `codes`, in row order.
    @exclusivity(unchecked) private var codeStarts: [(row: Int32, start: Int32)] = []
    /// Per kind (ordinal), the kind's table once an entity of it is declared: the rows'
    /// entities are rows of that table.
    @exclusivity(unchecked) private var kindTables: [EntityTable?] = []
    @exclusivity(unchecked) var codes: [ExprCode] = []

    func reserve(_ count: Int) { stored.reserveCapacity(count) }

    /// Adds a declaration: the global its id names, if any, and where its code starts
    /// (its code is appended to `codes` after this).
    func append(_ declaration: Declaration, slot: Int?) {
        let row = Int32(truncatingIfNeeded: stored.count)
        if tables.last?.table !== declaration.table { tables.append((row, declaration.table)) }
        if let slot { globals.append((row, Int32(truncatingIfNeeded: slot))) }
        stored.append(Stored(declaration: declaration.row, entity: -1))
    }

    /// Notes that the declaration added last has code from `start` in `codes`.
    func noteCode(from start: Int) {
        codeStarts.append((Int32(truncatingIfNeeded: stored.count - 1), Int32(truncatingIfNeeded: start)))
    }

    /// Lets go of the rows and their code once the plan is filled in (each program fills
    /// its plan once).
    func finished() {
        stored = []
        tables = []
        globals = []
        codeStarts = []
        kindTables = []
        codes = []
    }

    /// Calls `body` with each declaration in order: its table, the table's rows, its row
    /// there, its entity's table and row (nil when its id was taken) and where its code
    /// starts; stops when `body` says so. (Arguments, not a row value per declaration:
    /// the fill's loop over a million lines makes no handle per line.)
    func forEachDeclaration(_ body: (DeclarationTable, DeclarationRows, DeclarationRows.Row, EntityTable?, Int32, Int) -> Bool) {
        var code = 0
        forEachWritten { table, columns, index, written in
            let row = Int32(truncatingIfNeeded: index)
            var firstCode = 0
            while code < codeStarts.count, codeStarts[code].row <= row {
                if codeStarts[code].row == row { firstCode = Int(codeStarts[code].start) }
                code += 1
            }
            let entityRow = stored[index].entity, ordinal = Int(written.kindOrdinal)
            let entityTable = entityRow >= 0 && ordinal < kindTables.count ? kindTables[ordinal] : nil
            return body(table, columns, written, entityTable, entityRow, firstCode)
        }
    }

    /// Calls `body` with each declaration's table, the table's rows, its place among the
    /// declarations and its row, in order (each table's rows read in place, a run at a
    /// time); stops when `body` says so.
    private func forEachWritten(_ body: (DeclarationTable, DeclarationRows, Int, DeclarationRows.Row) -> Bool) {
        for (run, (first, table)) in tables.enumerated() {
            let end = run + 1 < tables.count ? Int(tables[run + 1].first) : stored.count
            let columns = table.rows
            for index in Int(first)..<end {
                guard body(table, columns, index, columns.row(Int(stored[index].declaration))) else { return }
            }
        }
    }

    /// How many declarations of each kind (by ordinal) there are, and how many have an id.
    func counts() -> (kinds: [Int], identified: Int) {
        var counts = [Int](repeating: 0, count: Schema.kinds.count)
        var identified = 0
        forEachWritten { _, _, _, written in
            counts[Int(written.kindOrdinal)] += 1
            if written.id >= 0 { identified += 1 }
            return true
        }
        return (counts, identified)
    }

    /// The declarations of one kind (by ordinal), in order.
    func declarations(ofKind ordinal: Int) -> [Declaration] {
        var found: [Declaration] = []
        forEachWritten { table, _, index, written in
            if Int(written.kindOrdinal) == ordinal { found.append(Declaration(table: table, row: stored[index].declaration)) }
            return true
        }
        return found
    }

    /// Creates the entity of every row and binds its id (a problem where the id is
    /// taken), stopping early when `stop` says so: then a problem at the next row.
    func declare(in machine: Machine, replace: Bool, into problems: inout [Diagnostic], stop: () -> Bool) {
        kindTables = Array(repeating: nil, count: Schema.kinds.count)
        var global = 0
        // (No declaration handle is made per row: a large plan has a million lines.)
        forEachWritten { _, columns, index, written in
            let span = columns.header(of: written)
            if stop() {
                problems.append(Diagnostic(.interrupted, at: span))
                return false
            }
            var slot: Int?
            if global < globals.count, globals[global].row == Int32(truncatingIfNeeded: index) {
                slot = Int(globals[global].slot)
                global += 1
            }
            guard let entity = declare(written.kind, name: columns.id(of: written), title: columns.title(of: written), span: span,
                                       slot: slot, in: machine, replace: replace, into: &problems) else { return true }
            let ordinal = entity.kind.ordinal
            if kindTables[ordinal] == nil { kindTables[ordinal] = entity.table }
            stored[index].entity = Int32(truncatingIfNeeded: entity.row)
            return true
        }
    }

    /// Creates one declared entity and binds its id; nil, and a problem, when the id is taken.
    private func declare(_ kind: EntityKind, name: Name?, title: String?, span: Span, slot: Int?,
                         in machine: Machine, replace: Bool, into problems: inout [Diagnostic]) -> Entity? {
        let plan = machine.plan
        if let existing = name.flatMap({ plan.entity(id: $0.text) }) ?? (kind.isSingleton ? plan.singleton(kind) : nil) {
            if !replace {
                problems.append(kind.isSingleton && name.map({ $0.text != existing.id }) ?? kind.isSingleton
                    ? Diagnostic(.singletonRedeclared(kind.name), at: span, notes: [.init(span: existing.span, message: "the \(kind.name) was declared here")])
                    : Diagnostic(.duplicateDeclaration(existing.id), at: name?.span ?? span, notes: [.init(span: existing.span, message: "'\(existing.id)' was first declared here")]))
                return nil
            }
            plan.remove(existing)
        }
        let entity = plan.declare(kind, id: name?.text, title: title, span: span)
        if let slot {
            machine.globals[slot] = .entity(entity)
            machine.globalIsSet[slot] = true
        }
        return entity
    }
}
