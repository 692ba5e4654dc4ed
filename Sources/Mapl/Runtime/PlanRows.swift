// The declarations a program sets up, held from compiling to the end of the fill, when
// memory peaks (a large plan has a million declarations): 8 bytes a declaration, the
// tables they are in and the rest kept once per run of rows or only where present.

/// The plan declarations of one program, with their entities once declared and the
/// compiled code of their expression fields. Read in order, as a sequence of `Row`s.
final class PlanRows: Sequence {
    /// One declaration to set up, as the fill reads it (made on the fly, not stored).
    struct Row {
        let declaration: Declaration
        /// The table of the entity declared and its row there, once declared (nil when
        /// its id was taken). (A table and a row rather than an optional entity: an
        /// optional entity is copied through the runtime's generic witnesses, a
        /// measurable part of filling a plan's million lines.)
        let entityTable: EntityTable?
        let entityRow: Int32
        /// Where this declaration's field code starts in `codes` (0 for one without code).
        let firstCode: Int

        /// The entity declared, once declared.
        var entity: Entity? { entityTable.map { Entity(table: $0, row: entityRow) } }

        /// The declaration's row of its table.
        var written: DeclarationRows.Row { declaration.rowData }
    }

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

    /// How many declarations there are.
    var count: Int { stored.count }

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

    func makeIterator() -> Iterator { Iterator(self) }

    /// The rows in order: the table and the code start of each are found by walking
    /// their runs alongside; the entity from the kind its table's row gives.
    struct Iterator: IteratorProtocol {
        private let rows: PlanRows
        private var index = 0, run = -1, code = 0
        private var table: DeclarationTable?
        /// The current table's rows (one copy per run, read in place).
        private var columns = DeclarationRows(file: -1)

        fileprivate init(_ rows: PlanRows) { self.rows = rows }

        mutating func next() -> Row? {
            guard index < rows.stored.count else { return nil }
            let row = Int32(truncatingIfNeeded: index)
            while run + 1 < rows.tables.count, rows.tables[run + 1].first <= row {
                run += 1
                table = rows.tables[run].table
                columns = rows.tables[run].table.rows
            }
            var firstCode = 0
            while code < rows.codeStarts.count, rows.codeStarts[code].row <= row {
                if rows.codeStarts[code].row == row { firstCode = Int(rows.codeStarts[code].start) }
                code += 1
            }
            index += 1
            guard let table else { return nil }
            let stored = rows.stored[Int(row)]
            var entityTable: EntityTable?
            if stored.entity >= 0 {
                let ordinal = Int(columns.row(Int(stored.declaration)).kindOrdinal)
                entityTable = ordinal < rows.kindTables.count ? rows.kindTables[ordinal] : nil
            }
            return Row(declaration: Declaration(table: table, row: stored.declaration), entityTable: entityTable, entityRow: stored.entity,
                       firstCode: firstCode)
        }
    }

    /// Calls `body` with each declaration's table, its rows and its row there, in order
    /// (no entity is looked up: for the walks that only read the declarations).
    private func forEachWritten(_ body: (DeclarationTable, DeclarationRows, Int32) -> Void) {
        for (run, (first, table)) in tables.enumerated() {
            let end = run + 1 < tables.count ? Int(tables[run + 1].first) : stored.count
            let columns = table.rows
            for index in Int(first)..<end { body(table, columns, stored[index].declaration) }
        }
    }

    /// How many declarations of each kind (by ordinal) there are, and how many have an id.
    func counts() -> (kinds: [Int], identified: Int) {
        var counts = [Int](repeating: 0, count: Schema.kinds.count)
        var identified = 0
        forEachWritten { _, columns, row in
            let written = columns.row(Int(row))
            counts[Int(written.kindOrdinal)] += 1
            if written.id >= 0 { identified += 1 }
        }
        return (counts, identified)
    }

    /// The declarations of one kind (by ordinal), in order.
    func declarations(ofKind ordinal: Int) -> [Declaration] {
        var found: [Declaration] = []
        forEachWritten { table, columns, row in
            if Int(columns.row(Int(row)).kindOrdinal) == ordinal { found.append(Declaration(table: table, row: row)) }
        }
        return found
    }

    /// Creates the entity of every row and binds its id (a problem where the id is
    /// taken), stopping early when `stop` says so: then a problem at the next row.
    func declare(in machine: Machine, replace: Bool, into problems: inout [Diagnostic], stop: () -> Bool) {
        kindTables = Array(repeating: nil, count: Schema.kinds.count)
        var global = 0, index = 0
        for row in self {
            defer { index += 1 }
            if stop() {
                problems.append(Diagnostic(.interrupted, at: row.declaration.span))
                return
            }
            var slot: Int?
            if global < globals.count, globals[global].row == Int32(truncatingIfNeeded: index) {
                slot = Int(globals[global].slot)
                global += 1
            }
            let written = row.declaration
            guard let entity = declare(written.entityKind, name: written.id, title: written.title, span: written.span,
                                       slot: slot, in: machine, replace: replace, into: &problems) else { continue }
            let ordinal = entity.kind.ordinal
            if kindTables[ordinal] == nil { kindTables[ordinal] = entity.table }
            stored[index].entity = Int32(truncatingIfNeeded: entity.row)
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
