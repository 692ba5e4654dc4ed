// Plan declarations as the parser reads them: rows in columns, one table per source file.
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
    /// A list of bare words (`roles: [coach, user]`, `covers: [dana, omar]`): the words
    /// are `wordLists[first ..< first + count]`, each written at `wordStarts`.
    case words(first: Int32, count: Int32)
    /// Anything else: `expressions[index]`.
    case expression(Int32)
}

/// The declarations of one source file, in source order. (A class, so that statements
/// can refer to their row; the rows themselves are a struct, read by the phases as one
/// value per declaration rather than column by column through the class.)
public final class DeclarationTable: @unchecked Sendable {
    // (Unchecked Sendable: its rows are set once, by the parser that made them, and
    // changed only by the resolver of the same program.)
    public let file: FileID
    /// Empty until the parser is done with the file: the parser builds the rows in a
    /// value of its own (no access through the class per column and row) and hands them
    /// over at the end.
    public private(set) var rows: DeclarationRows

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
        rows.values[field] = rows.expression(expr)
    }
}

/// The columns of a `DeclarationTable`.
public struct DeclarationRows: Sendable {
    /// The source file the declarations are in (the file of every span made here).
    let file: FileID

    // The file's names: each distinct word of its declarations, numbered once.
    private(set) var interner = NameInterner()
    var names: [String] { interner.names }

    // Per declaration.
    private(set) var kinds: [EntityKind] = []
    private(set) var headerStarts: [Int32] = []
    private(set) var headerEnds: [Int32] = []
    /// The id's symbol, or -1; the id is written at `idStarts`.
    private(set) var ids: [Int32] = []
    private(set) var idStarts: [Int32] = []
    /// The title's index in `titles`, or -1.
    private(set) var titleIndexes: [Int32] = []
    private(set) var titles: [String] = []
    /// Declaration `row`'s fields are `firstField[row] ..< firstField[row + 1]`.
    private(set) var firstField: [Int32] = [0]

    // Per field.
    /// The field's index in its kind's schema, or -1 for a name the kind lacks.
    private(set) var slots: [Int8] = []
    /// The field name's symbol, written at `keyStarts`.
    private(set) var keys: [Int32] = []
    private(set) var keyStarts: [Int32] = []
    fileprivate(set) var values: [FieldSyntax] = []
    private(set) var valueStarts: [Int32] = []
    private(set) var valueEnds: [Int32] = []

    private(set) var literals: [Literal] = []
    private(set) var expressions: [Expr] = []
    private(set) var wordLists: [Int32] = []
    private(set) var wordStarts: [Int32] = []
    /// Per field-name symbol, the kind (ordinal) it was last looked up in and its slot
    /// there, so a kind's schema is asked once per name, not once per field.
    private var keySlots: [(ordinal: Int16, slot: Int8)] = []

    init(file: FileID) {
        self.file = file
    }

    /// The number of the name spelled by `bytes` (an identifier's), given on first use.
    mutating func symbol(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 { interner.symbol(bytes) }

    /// The number of a name, given on first use.
    mutating func symbol(_ name: String) -> Int32 { interner.symbol(name) }

    /// The slot of field name `key` in `kind`, or -1.
    private mutating func slot(of key: Int32, in kind: EntityKind) -> Int8 {
        let index = Int(key)
        if index >= keySlots.count { keySlots += repeatElement((ordinal: Int16(-1), slot: Int8(-1)), count: index + 1 - keySlots.count) }
        if keySlots[index].ordinal == Int16(kind.ordinal) { return keySlots[index].slot }
        let slot = kind.index[interner[key]].map { Int8(truncatingIfNeeded: $0) } ?? -1
        keySlots[index] = (Int16(kind.ordinal), slot)
        return slot
    }

    mutating func literal(_ value: Literal) -> FieldSyntax {
        literals.append(value)
        return .literal(Int32(literals.count - 1))
    }

    /// A list of words, each a name's number and where it is written.
    mutating func words(_ words: [(symbol: Int32, start: Int32)]) -> FieldSyntax {
        let first = Int32(wordLists.count)
        for word in words {
            wordLists.append(word.symbol)
            wordStarts.append(word.start)
        }
        return .words(first: first, count: Int32(words.count))
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
                      fields: ArraySlice<PendingField>) -> Int32 {
        kinds.append(kind)
        headerStarts.append(header.start)
        headerEnds.append(header.end)
        ids.append(id ?? -1)
        idStarts.append(idStart)
        if let title {
            titleIndexes.append(Int32(titles.count))
            titles.append(title)
        } else {
            titleIndexes.append(-1)
        }
        for field in fields {
            slots.append(slot(of: field.key, in: kind))
            keys.append(field.key)
            keyStarts.append(field.keyStart)
            values.append(field.value)
            valueStarts.append(field.span.start)
            valueEnds.append(field.span.end)
        }
        firstField.append(Int32(slots.count))
        return Int32(kinds.count - 1)
    }
}

/// One declaration of a `DeclarationTable`: `KIND [ID] ["title"] [{ field: value … }]`, or
/// a shorthand line (`influence a -> b strong`: fields from, to and strength).
public struct Declaration: Sendable {
    public let table: DeclarationTable
    public let row: Int32

    var index: Int { Int(row) }

    public var entityKind: EntityKind { table.rows.kinds[index] }

    /// The header, from the kind keyword to the id or title: where warnings point.
    public var span: Span { Span(file: table.file, start: table.rows.headerStarts[index], end: table.rows.headerEnds[index]) }

    /// The kind keyword as written.
    public var kind: Name {
        let start = table.rows.headerStarts[index]
        return Name(text: entityKind.name, span: Span(file: table.file, start: start, end: start + Int32(entityKind.name.utf8.count)))
    }

    public var idSymbol: Int32? { table.rows.ids[index] >= 0 ? table.rows.ids[index] : nil }

    public var id: Name? {
        idSymbol.map { table.rows.name($0, at: table.rows.idStarts[index]) }
    }

    public var title: String? { table.rows.titleIndexes[index] >= 0 ? table.rows.titles[Int(table.rows.titleIndexes[index])] : nil }

    /// Where this declaration's fields are in the table's field columns.
    public var fieldRange: Range<Int> { Int(table.rows.firstField[index])..<Int(table.rows.firstField[index + 1]) }

    /// The fields as syntax trees, for readers that walk trees (the formatter); the
    /// phases read the columns.
    public var fields: [RecordField] {
        let rows = table.rows
        return fieldRange.map { field in RecordField(key: rows.key(field), value: rows.valueExpr(field)) }
    }
}

extension DeclarationRows {
    /// A name of the table as written at `start`.
    func name(_ symbol: Int32, at start: Int32) -> Name {
        let text = names[Int(symbol)]
        return Name(text: text, span: Span(file: file, start: start, end: start + Int32(text.utf8.count)))
    }

    /// Field `field`'s name as written.
    func key(_ field: Int) -> Name { name(keys[field], at: keyStarts[field]) }

    /// Where field `field`'s value was written.
    func valueSpan(_ field: Int) -> Span { Span(file: file, start: valueStarts[field], end: valueEnds[field]) }

    /// Word `word` of a list of words, as written.
    func listWord(_ word: Int32) -> Name { name(wordLists[Int(word)], at: wordStarts[Int(word)]) }

    /// Field `field`'s value as a syntax tree (made for the asking, except expressions).
    func valueExpr(_ field: Int) -> Expr {
        let span = valueSpan(field)
        switch values[field] {
        case .word(let symbol): return Expr(kind: .variable(name(symbol, at: span.start)), span: span)
        case .literal(let index): return Expr(kind: .literal(literals[Int(index)]), span: span)
        case .words(let first, let count):
            let items = (first..<first + count).map { word in
                let name = listWord(word)
                return Expr(kind: .variable(name), span: name.span)
            }
            return Expr(kind: .list(items), span: span)
        case .expression(let index): return expressions[Int(index)]
        }
    }
}
