// Plan declarations as the parser reads them: rows of integers, one table per source file.
// A plan is mostly declarations (a large one has a million shorthand lines), and most of
// their field values are one word or one literal: those are kept in place, words as
// numbers into the file's table of names, so that each phase asks about a name once per
// name rather than once per use. Only real expressions get a syntax tree.

/// One field value as written: a bare word, a literal, or an expression.
public enum FieldSyntax: Sendable {
    /// A name (`champion`, `dana`, `my_score`): `names[symbol]`.
    case word(Int32)
    /// A literal token: `literals[index]` (booleans and nil are expressions).
    case literal(Int32)
    /// A number or a percentage written alone (`influence: 7`, a line's `40%`), kept in
    /// the field: the value's bits in two halves (a `Double` would align every field to
    /// 8 bytes, 32 a field rather than 28; a large plan has millions).
    case number(UInt32, UInt32)
    case percent(UInt32, UInt32)
    /// A list of bare words and single literals (`roles: [coach, user]`, `covers: [dana,
    /// omar]`, `criteria: ["Cloud first"]`): the items are `wordLists[first ..< first +
    /// count]`, each a name's number, or for a literal -1 minus its index in `literals`,
    /// written from `wordStarts` to `wordEnds`.
    case words(first: Int32, count: Int32)
    /// A record of names to words, literals and such lists (`involves: {ann: [coach],
    /// ben: []}`): its entries are `fields[first ..< first + count]` (rows of no
    /// declaration, slot -1: the key, the value and where they are written).
    case entries(first: Int32, count: Int32)
    /// Anything else: `expressions[index]`.
    case expression(Int32)
}

extension FieldSyntax {
    /// The low and high halves of a number's bits, as `number` and `percent` keep them.
    static func low(_ value: Double) -> UInt32 { UInt32(truncatingIfNeeded: value.bitPattern) }
    static func high(_ value: Double) -> UInt32 { UInt32(truncatingIfNeeded: value.bitPattern >> 32) }
    static func double(_ low: UInt32, _ high: UInt32) -> Double { Double(bitPattern: UInt64(high) << 32 | UInt64(low)) }
}

/// The declarations of one source file, in source order. (A class, so that statements
/// can refer to their row; the rows themselves are a struct, which the phases take once
/// per table and read in place.)
public final class DeclarationTable: @unchecked Sendable {
    // (Unchecked Sendable: its rows are set once, by the parser that made them, and
    // changed only by the resolver of the same program.)
    public let file: FileID
    /// Empty until the parser is done with the file: the parser builds the rows in a
    /// value of its own (no access through the class per column and row) and hands them
    /// over at the end.
    // Exclusivity is not checked at run time (a declaration's accessors read through
    // here; the check is about 75 instructions a read, 4M on a 2,000-person plan): the
    // rows are written only by `finish`, before any read, and by `makeExpression`, after
    // the resolver's last read, never while a read is in progress.
    @exclusivity(unchecked) public private(set) var rows: DeclarationRows

    public init(file: FileID) {
        self.file = file
        rows = DeclarationRows(file: file)
    }

    /// Takes the rows the parser made.
    func finish(_ rows: DeclarationRows) {
        self.rows = rows
    }

    /// Makes field `field` (bare words) the expression `expr`, its words as a tree: the
    /// resolver found a word that names a variable rather than an entity or a level.
    func makeExpression(_ field: Int, _ expr: Expr) {
        rows.setValue(field, rows.expression(expr))
    }
}

/// The rows of a `DeclarationTable`: a row per declaration and a row per field, each a
/// few integers (names by number, spans as offsets), so that reading a plan appends one
/// small value per field and a copy of the table retains a handful of arrays.
public struct DeclarationRows: Sendable {
    /// The source file the declarations are in (the file of every span made here).
    let file: FileID

    /// The file's names: each distinct word of its declarations, numbered in order of
    /// first use (the parser numbers them; see `Parser.symbol`).
    private(set) var names: [String] = []

    /// One declaration: where it is written and where its fields are.
    struct Row {
        /// The kind's place in `Schema.kinds`.
        let kindOrdinal: Int16
        let headerStart: Int32
        let headerEnd: Int32
        /// The id's symbol, or -1; the id is written at `idStart`.
        let id: Int32
        let idStart: Int32
        /// The title's index in `titles`, or -1.
        let title: Int32
        /// The row's fields are `fields[firstField ..< endField]`.
        let firstField: Int32
        let endField: Int32

        var kind: EntityKind { Schema.kinds[Int(kindOrdinal)] }
        var fieldRange: Range<Int> { Int(firstField)..<Int(endField) }
    }

    /// One field of a declaration as written: 24 bytes (a large plan has millions). The
    /// name is written `keyGap` bytes before the value. (The members are in this order so
    /// that the 9-byte value, the byte and the two bytes fill the row without padding.)
    struct Field {
        /// The field name's symbol, written at `DeclarationRows.keyStart`.
        let key: Int32
        let valueStart: Int32
        let valueEnd: Int32
        fileprivate(set) var value: FieldSyntax
        /// The field's index in its kind's schema, or -1 for a name the kind lacks.
        let slot: Int8
        /// How far before the value the name starts; `farKey` when too far to hold here
        /// (then `farKeyStarts` has where, by field).
        let keyGap: UInt16

        static let farKey = UInt16.max
    }

    /// Where the names of fields written far from their values start (see `Field.keyGap`).
    private var farKeyStarts: [Int32: Int32] = [:]

    /// Adds a field row, its name written at `keyStart`.
    private mutating func appendField(key: Int32, keyStart: Int32, span: Span, value: FieldSyntax, slot: Int8) {
        let gap = Int64(span.start) - Int64(keyStart)
        var keyGap = Field.farKey
        if gap >= 0, gap < Int64(Field.farKey) {
            keyGap = UInt16(gap)
        } else {
            farKeyStarts[Int32(truncatingIfNeeded: fields.count)] = keyStart
        }
        fields.append(Field(key: key, valueStart: span.start, valueEnd: span.end, value: value, slot: slot, keyGap: keyGap))
    }

    /// Where field `field`'s name is written.
    func keyStart(_ field: Int) -> Int32 {
        let row = fields[field]
        guard row.keyGap == Field.farKey else { return row.valueStart - Int32(row.keyGap) }
        return farKeyStarts[Int32(truncatingIfNeeded: field)] ?? row.valueStart
    }

    private(set) var rows: [Row] = []
    private(set) var fields: [Field] = []
    private(set) var titles: [String] = []

    private(set) var literals: [Literal] = []
    private(set) var expressions: [Expr] = []
    private(set) var wordLists: [Int32] = []
    private(set) var wordStarts: [Int32] = []
    private(set) var wordEnds: [Int32] = []
    /// Per field-name symbol, the kind (ordinal) it was last looked up in and its slot
    /// there, so a kind's schema is asked once per name, not once per field.
    private var keySlots: [(ordinal: Int16, slot: Int8)] = []

    init(file: FileID) {
        self.file = file
    }

    /// Numbers a name not numbered before (the caller knows it is new).
    mutating func addName(_ name: String) -> Int32 {
        names.append(name)
        return Int32(names.count - 1)
    }

    /// The slot of field name `key` in `kind`, or -1.
    @inline(__always)  // (once a field)
    private mutating func slot(of key: Int32, in kind: EntityKind) -> Int8 {
        let index = Int(key)
        if index >= keySlots.count { keySlots += repeatElement((ordinal: Int16(-1), slot: Int8(-1)), count: index + 1 - keySlots.count) }
        if keySlots[index].ordinal == Int16(kind.ordinal) { return keySlots[index].slot }
        let slot = kind.index[names[index]].map { Int8(truncatingIfNeeded: $0) } ?? -1
        keySlots[index] = (Int16(kind.ordinal), slot)
        return slot
    }

    /// Replaces field `field`'s value.
    fileprivate mutating func setValue(_ field: Int, _ value: FieldSyntax) {
        fields[field].value = value
    }

    mutating func literal(_ value: Literal) -> FieldSyntax {
        switch value {
        case .number(let number): return .number(FieldSyntax.low(number), FieldSyntax.high(number))
        case .percent(let share): return .percent(FieldSyntax.low(share), FieldSyntax.high(share))
        case .money, .date, .duration, .string:
            literals.append(value)
            return .literal(Int32(literals.count - 1))
        }
    }

    /// The literal a field's value is, if it is written as one.
    func literalValue(of value: FieldSyntax) -> Literal? {
        switch value {
        case .literal(let index): return literals[Int(index)]
        case .number(let low, let high): return .number(FieldSyntax.double(low, high))
        case .percent(let low, let high): return .percent(FieldSyntax.double(low, high))
        case .word, .words, .entries, .expression: return nil
        }
    }

    /// A list item for `words`: a literal (a name is its number).
    mutating func listItem(_ value: Literal) -> Int32 {
        literals.append(value)
        return -Int32(literals.count)
    }

    /// A list of words and literals, each item (see `FieldSyntax.words`) with where it is
    /// written.
    mutating func words(_ items: [(item: Int32, start: Int32, end: Int32)]) -> FieldSyntax {
        let first = Int32(wordLists.count)
        for item in items {
            wordLists.append(item.item)
            wordStarts.append(item.start)
            wordEnds.append(item.end)
        }
        return .words(first: first, count: Int32(items.count))
    }

    /// A record's entries (see `FieldSyntax.entries`), stored as they are read.
    mutating func entries(_ pending: [PendingField]) -> FieldSyntax {
        let first = Int32(fields.count)
        for entry in pending {
            appendField(key: entry.key, keyStart: entry.keyStart, span: entry.span, value: entry.value, slot: -1)
        }
        return .entries(first: first, count: Int32(pending.count))
    }

    mutating func expression(_ expr: Expr) -> FieldSyntax {
        expressions.append(expr)
        return .expression(Int32(expressions.count - 1))
    }

    /// A field as the parser reads it, before its declaration is whole.
    struct PendingField {
        let key: Int32
        let keyStart: Int32
        let value: FieldSyntax
        let span: Span
    }

    /// Adds a whole declaration; its row. `header` is where warnings about it point.
    mutating func add(kind: EntityKind, id: Int32?, idStart: Int32, title: String?, header: Span,
                      fields pending: ArraySlice<PendingField>) -> Int32 {
        var titleIndex: Int32 = -1
        if let title {
            titleIndex = Int32(titles.count)
            titles.append(title)
        }
        let firstField = Int32(fields.count)
        for field in pending {
            appendField(key: field.key, keyStart: field.keyStart, span: field.span, value: field.value, slot: slot(of: field.key, in: kind))
        }
        rows.append(Row(kindOrdinal: Int16(kind.ordinal), headerStart: header.start, headerEnd: header.end, id: id ?? -1,
                        idStart: idStart, title: titleIndex, firstField: firstField, endField: Int32(fields.count)))
        return Int32(rows.count - 1)
    }

    /// How many declarations `reserve(forTextOf:)` made room for.
    private(set) var expectedDeclarations = 0

    /// Makes room for the declarations, fields and literals a text of `count` bytes is
    /// likely to hold (hand-written plans take 50–110 bytes a declaration and 18–25 a
    /// field; shorthand lines 30–40 bytes and 10–12 a field, with a literal each), so
    /// that the rows are not copied as they grow (a copy holds both arrays at once).
    /// Room not used is never touched, so it costs address space, not memory; capped
    /// for huge texts.
    mutating func reserve(forTextOf count: Int) {
        expectedDeclarations = min(count / 40, 1 << 21)
        rows.reserveCapacity(expectedDeclarations)
        fields.reserveCapacity(min(count / 12, 1 << 23))
        literals.reserveCapacity(min(count / 40, 1 << 21))
    }

    /// Declaration `index`'s row.
    func row(_ index: Int) -> Row { rows[index] }
}

/// One declaration of a `DeclarationTable`: `KIND [ID] ["title"] [{ field: value … }]`, or
/// a shorthand line (`influence a -> b strong`: fields from, to and strength).
public struct Declaration: Sendable {
    public let table: DeclarationTable
    public let row: Int32

    var index: Int { Int(row) }

    /// This declaration's row of its table.
    var rowData: DeclarationRows.Row { table.rows.rows[index] }

    public var entityKind: EntityKind { rowData.kind }

    /// The header, from the kind keyword to the id or title: where warnings point.
    public var span: Span { table.rows.header(of: rowData) }

    /// The kind keyword as written.
    public var kind: Name {
        let row = rowData, name = row.kind.name
        return Name(text: name, span: Span(file: table.file, start: row.headerStart, end: row.headerStart + Int32(name.utf8.count)))
    }

    public var idSymbol: Int32? {
        let id = rowData.id
        return id >= 0 ? id : nil
    }

    public var id: Name? { table.rows.id(of: rowData) }

    public var title: String? { table.rows.title(of: rowData) }

    /// Where this declaration's fields are in the table's field rows.
    public var fieldRange: Range<Int> { rowData.fieldRange }

    /// The fields as syntax trees, for readers that walk trees (the formatter); the
    /// phases read the columns.
    public var fields: [RecordField] {
        let rows = table.rows
        return fieldRange.map { field in RecordField(key: rows.key(field), value: rows.valueExpr(field)) }
    }
}

extension DeclarationRows {
    /// A declaration's header, from the kind keyword to the id or title: where warnings
    /// about it point.
    func header(of row: Row) -> Span { Span(file: file, start: row.headerStart, end: row.headerEnd) }

    /// A declaration's id as written, if it has one.
    func id(of row: Row) -> Name? { row.id >= 0 ? name(row.id, at: row.idStart) : nil }

    /// A declaration's title, if it has one.
    func title(of row: Row) -> String? { row.title >= 0 ? titles[Int(row.title)] : nil }

    /// A name of the table as written at `start`.
    func name(_ symbol: Int32, at start: Int32) -> Name {
        let text = names[Int(symbol)]
        return Name(text: text, span: Span(file: file, start: start, end: start + Int32(text.utf8.count)))
    }

    /// Field `field`'s name as written.
    func key(_ field: Int) -> Name { name(fields[field].key, at: keyStart(field)) }

    /// Where field `field`'s value was written.
    func valueSpan(_ field: Int) -> Span { Span(file: file, start: fields[field].valueStart, end: fields[field].valueEnd) }

    /// Where item `item` of a list of words and literals is written.
    func listItemSpan(_ item: Int32) -> Span { Span(file: file, start: wordStarts[Int(item)], end: wordEnds[Int(item)]) }

    /// The literal that item `item` of a list is, if it is one (else it is a name).
    func listLiteral(_ item: Int32) -> Literal? {
        let entry = wordLists[Int(item)]
        return entry < 0 ? literals[Int(-1 - entry)] : nil
    }

    /// Field `field`'s value as a syntax tree (made for the asking, except expressions).
    func valueExpr(_ field: Int) -> Expr { syntaxExpr(fields[field].value, at: valueSpan(field)) }

    /// A value written at `span` as a syntax tree.
    private func syntaxExpr(_ value: FieldSyntax, at span: Span) -> Expr {
        switch value {
        case .word(let symbol): return Expr(kind: .variable(name(symbol, at: span.start)), span: span)
        case .literal(let index): return Expr(kind: .literal(literals[Int(index)]), span: span)
        case .number(let low, let high): return Expr(kind: .literal(.number(FieldSyntax.double(low, high))), span: span)
        case .percent(let low, let high): return Expr(kind: .literal(.percent(FieldSyntax.double(low, high))), span: span)
        case .words(let first, let count):
            let items = (first..<first + count).map { item in
                let itemSpan = listItemSpan(item)
                if let literal = listLiteral(item) { return Expr(kind: .literal(literal), span: itemSpan) }
                return Expr(kind: .variable(name(wordLists[Int(item)], at: itemSpan.start)), span: itemSpan)
            }
            return Expr(kind: .list(items), span: span)
        case .entries(let first, let count):
            return Expr(kind: .record((Int(first)..<Int(first + count)).map { RecordField(key: key($0), value: valueExpr($0)) }), span: span)
        case .expression(let index): return expressions[Int(index)]
        }
    }
}
