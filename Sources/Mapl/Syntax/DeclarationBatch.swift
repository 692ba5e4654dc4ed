// Plain plan declarations in compact form. A large plan is mostly declarations like
// `stakeholder s1 "Ann" { unit: u1, influence: 9, support: neutral }`: as syntax trees
// (a declaration, a record field with a name and an expression per field) they cost
// about a kilobyte each and were walked with String-keyed lookups in every phase. Here
// a declaration is a few numbers, its fields a slot number, a few offsets and the value
// (a literal, or a word interned in the file's NameTable), and a deal's role map a few
// numbers per entry; only values that are real expressions keep their syntax tree. `declaration(_:)` rebuilds the `Declaration` the
// parser builds when not compacting, for the resolver's fallback and for code that
// wants the syntax (field spans, exports).

/// A field value of a plain declaration, as the parser reads it and the resolver and
/// compiler take it (stored more compactly; see `DeclarationBatch.Stored`).
enum PlainValue: Sendable {
    case literal(Literal)
    case bool(Bool)
    /// `nil`.
    case none
    /// A bare word: a scale level, an entity id or another name (see the resolver).
    case word(Int32)
    /// `{id: [word, …], …}`: who plays which roles in a deal, by its number in the batch
    /// (see `DeclarationBatch.add(_:)` and `roleEntries`).
    case roleMap(Int32)
    /// Anything else, as the parser reads it.
    indirect case expression(Expr)
}

/// `{id: [word, …], …}` as the parser reads it: the braces' span and, per entry, the
/// id and the words with where each starts, and the brackets' span.
struct RoleMap: Sendable {
    struct Entry: Sendable {
        var key: Int32
        var keyStart: Int32
        var list: (start: Int32, end: Int32)
        var words: [(symbol: Int32, start: Int32)]
    }

    var span: (start: Int32, end: Int32)
    var entries: [Entry]

    /// The record of lists of names the parser builds for it when not compacting.
    func expression(names: NameTable, file: FileID) -> Expr {
        func name(_ symbol: Int32, at start: Int32) -> Name {
            Name(text: names.text(symbol), span: Span(file: file, start: start, end: start + names.length(symbol)))
        }
        let fields = entries.map { entry in
            let items = entry.words.map { word in
                let named = name(word.symbol, at: word.start)
                return Expr(kind: .variable(named), span: named.span)
            }
            return RecordField(key: name(entry.key, at: entry.keyStart),
                               value: Expr(kind: .list(items), span: Span(file: file, start: entry.list.start, end: entry.list.end)))
        }
        return Expr(kind: .record(fields), span: Span(file: file, start: span.start, end: span.end))
    }
}

/// Consecutive top-level declarations of the form `KIND ID ["title"] { key: value … }`
/// with known, distinct field names. Filled by the parser, then only read (hence
/// `@unchecked Sendable`, and unchecked exclusivity, as in `LineBatch`).
public final class DeclarationBatch: @unchecked Sendable {
    /// The source the declarations were read from: once the batch is released, their
    /// places other than where they start are read again from it (see Rereading.swift).
    let source: SourceFile
    public var file: FileID { source.id }
    /// The spellings of ids and words (shared with the file's shorthand lines).
    let names: NameTable
    // Per declaration.
    @exclusivity(unchecked) private(set) var kinds: [EntityKind] = []
    @exclusivity(unchecked) private(set) var headerStart: [Int32] = []
    @exclusivity(unchecked) private(set) var headerEnd: [Int32] = []
    @exclusivity(unchecked) private(set) var ids: [Int32] = []
    @exclusivity(unchecked) private(set) var idStart: [Int32] = []
    @exclusivity(unchecked) private(set) var titles: [String?] = []
    /// Declaration `i` has fields `fieldStart[i]..<fieldStart[i + 1]`.
    @exclusivity(unchecked) private(set) var fieldStart: [Int32] = [0]
    // Per field, in the order written: the slot, where the key starts (from the
    // declaration's start), where the value starts (from the key) and its length, and the
    // value. A field too far into its declaration or too long for these is not taken
    // here (`appendField` says no). Kept small: a large plan has a million fields.
    @exclusivity(unchecked) private(set) var slots: [UInt8] = []
    @exclusivity(unchecked) private var keyOffsets: [UInt16] = []
    @exclusivity(unchecked) private var valueOffsets: [UInt16] = []
    @exclusivity(unchecked) private var valueLengths: [UInt16] = []
    @exclusivity(unchecked) private var stored: [Stored] = []
    /// Texts and expressions of fields, by the index `Stored` holds.
    @exclusivity(unchecked) private var texts: [String] = []
    @exclusivity(unchecked) private var expressions: [Expr] = []
    /// How many texts and expressions the committed declarations have.
    private var committedTexts = 0, committedExpressions = 0

    /// A field value as stored: sixteen bytes, where `PlainValue` (with a text or an
    /// expression in it) takes more.
    private enum Stored {
        case number(Double), money(Money), percent(Double), date(Day), duration(Duration)
        case text(Int32)
        case bool(Bool)
        case none
        case word(Int32)
        case roleMap(Int32)
        case expression(Int32)
    }

    /// Role maps (see `RoleMap`), flat: per map its span and first entry; per entry its
    /// id, where it and its brackets are, and its first word; per word its symbol and start.
    @exclusivity(unchecked) private var roleMaps: [(start: Int32, end: Int32, firstEntry: Int32)] = []
    @exclusivity(unchecked) private var roleEntries: [(key: Int32, keyStart: Int32, listStart: Int32, listEnd: Int32, firstWord: Int32)] = []
    @exclusivity(unchecked) private var roleWords: [(symbol: Int32, start: Int32)] = []
    private var committedRoleMaps = 0

    init(source: SourceFile, names: NameTable) {
        self.source = source
        self.names = names
    }

    public var count: Int { headerStart.count }

    /// The parser starts a new batch after this many declarations, so that a batch's
    /// values can be let go soon after they are filled in (`releaseFilledValues`), and arrays
    /// grown by doubling waste little.
    static let maximumCount = 1 << 13

    /// Whether `releaseFilledValues` has run.
    private(set) var valuesReleased = false

    /// Lets go of everything but where each declaration starts once the entities hold
    /// the values: afterwards `header`, `idName` and `valueSpan(of:slot:)` read the
    /// declaration again from the source, and `value`, `declaration` and the rest cannot
    /// be asked for. A large plan's values were held twice until the end of the run, and
    /// its places took 7 bytes a field.
    func releaseFilledValues() {
        valuesReleased = true
        kinds = []
        headerEnd = []
        ids = []
        idStart = []
        titles = []
        fieldStart = [0]
        slots = []
        keyOffsets = []
        valueOffsets = []
        valueLengths = []
        stored = []
        texts = []
        expressions = []
        roleMaps = []
        roleEntries = []
        roleWords = []
    }

    /// Cuts the storage to size once the parser is done with the batch.
    func trimCapacity() {
        kinds.trimCapacity()
        headerStart.trimCapacity()
        headerEnd.trimCapacity()
        ids.trimCapacity()
        idStart.trimCapacity()
        titles.trimCapacity()
        fieldStart.trimCapacity()
        slots.trimCapacity()
        keyOffsets.trimCapacity()
        valueOffsets.trimCapacity()
        valueLengths.trimCapacity()
        stored.trimCapacity()
        texts.trimCapacity()
        expressions.trimCapacity()
        roleMaps.trimCapacity()
        roleEntries.trimCapacity()
        roleWords.trimCapacity()
    }

    /// Adds a field of the declaration being read, which starts at `start`; false (and
    /// nothing added) when its place does not fit the compact form.
    func appendField(slot: Int, keyStart key: Int32, value: PlainValue, span: (Int32, Int32), declarationStart start: Int32) -> Bool {
        guard let keyOffset = UInt16(exactly: key - start), let valueOffset = UInt16(exactly: span.0 - key),
              let valueLength = UInt16(exactly: span.1 - span.0), let slot = UInt8(exactly: slot) else { return false }
        let compact: Stored
        switch value {
        case .literal(.number(let number)): compact = .number(number)
        case .literal(.money(let money)): compact = .money(money)
        case .literal(.percent(let share)): compact = .percent(share)
        case .literal(.date(let day)): compact = .date(day)
        case .literal(.duration(let duration)): compact = .duration(duration)
        case .literal(.string(let text)):
            compact = .text(Int32(texts.count))
            texts.append(text)
        case .bool(let bool): compact = .bool(bool)
        case .none: compact = .none
        case .word(let symbol): compact = .word(symbol)
        case .expression(let expr):
            compact = .expression(Int32(expressions.count))
            expressions.append(expr)
        case .roleMap(let index):
            compact = .roleMap(index)
        }
        slots.append(slot)
        keyOffsets.append(keyOffset)
        valueOffsets.append(valueOffset)
        valueLengths.append(valueLength)
        stored.append(compact)
        return true
    }

    /// Keeps a role map of the declaration being read; its number, for `PlainValue.roleMap`.
    func add(_ map: RoleMap) -> Int32 {
        roleMaps.append((map.span.start, map.span.end, Int32(roleEntries.count)))
        for entry in map.entries {
            roleEntries.append((entry.key, entry.keyStart, entry.list.start, entry.list.end, Int32(roleWords.count)))
            roleWords += entry.words
        }
        return Int32(roleMaps.count - 1)
    }

    /// Drops the fields appended since the last `commit` (the declaration was not plain).
    func discardPendingFields() {
        let keep = Int(fieldStart[fieldStart.count - 1])
        slots.removeSubrange(keep...)
        keyOffsets.removeSubrange(keep...)
        valueOffsets.removeSubrange(keep...)
        valueLengths.removeSubrange(keep...)
        stored.removeSubrange(keep...)
        texts.removeSubrange(committedTexts...)
        expressions.removeSubrange(committedExpressions...)
        if committedRoleMaps < roleMaps.count {
            let firstEntry = Int(roleMaps[committedRoleMaps].firstEntry)
            if firstEntry < roleEntries.count { roleWords.removeSubrange(Int(roleEntries[firstEntry].firstWord)...) }
            roleEntries.removeSubrange(firstEntry...)
            roleMaps.removeSubrange(committedRoleMaps...)
        }
    }

    /// Ends a declaration whose fields were appended since the last `commit`.
    func commit(kind: EntityKind, header: (Int32, Int32), id: Int32, at idStart: Int32, title: String?) {
        kinds.append(kind)
        headerStart.append(header.0)
        headerEnd.append(header.1)
        ids.append(id)
        self.idStart.append(idStart)
        titles.append(title)
        fieldStart.append(Int32(slots.count))
        (committedTexts, committedExpressions, committedRoleMaps) = (texts.count, expressions.count, roleMaps.count)
    }

    func fields(of index: Int) -> Range<Int> { Int(fieldStart[index])..<Int(fieldStart[index + 1]) }

    /// The value of a field (of any declaration).
    func value(_ field: Int) -> PlainValue {
        assert(!valuesReleased, "a released batch's values were asked for")
        switch stored[field] {
        case .number(let number): return .literal(.number(number))
        case .money(let money): return .literal(.money(money))
        case .percent(let share): return .literal(.percent(share))
        case .date(let day): return .literal(.date(day))
        case .duration(let duration): return .literal(.duration(duration))
        case .text(let index): return .literal(.string(texts[Int(index)]))
        case .bool(let bool): return .bool(bool)
        case .none: return PlainValue.none
        case .word(let symbol): return .word(symbol)
        case .roleMap(let index): return .roleMap(index)
        case .expression(let index): return .expression(expressions[Int(index)])
        }
    }

    /// The entries of role map `map`, by number (see `roleKey`, `roleWords`).
    func roleEntries(of map: Int32) -> Range<Int> {
        let first = Int(roleMaps[Int(map)].firstEntry)
        let end = Int(map) + 1 < roleMaps.count ? Int(roleMaps[Int(map) + 1].firstEntry) : roleEntries.count
        return first..<end
    }

    func roleKey(_ entry: Int) -> Int32 { roleEntries[entry].key }

    /// The symbols of an entry's words.
    func roleWords(_ entry: Int) -> some Collection<Int32> {
        let first = Int(roleEntries[entry].firstWord)
        let end = entry + 1 < roleEntries.count ? Int(roleEntries[entry + 1].firstWord) : roleWords.count
        return roleWords[first..<end].lazy.map(\.symbol)
    }

    /// Role map `map` as the parser handed it over.
    func roleMap(_ map: Int32) -> RoleMap {
        let stored = roleMaps[Int(map)]
        let entries = roleEntries(of: map).map { entry -> RoleMap.Entry in
            let first = Int(roleEntries[entry].firstWord)
            let end = entry + 1 < roleEntries.count ? Int(roleEntries[entry + 1].firstWord) : roleWords.count
            let (key, keyStart, listStart, listEnd, _) = roleEntries[entry]
            return RoleMap.Entry(key: key, keyStart: keyStart, list: (listStart, listEnd), words: Array(roleWords[first..<end]))
        }
        return RoleMap(span: (stored.start, stored.end), entries: entries)
    }

    /// From the kind keyword to the id or title of declaration `index`: where warnings point.
    public func header(_ index: Int) -> Span {
        guard !valuesReleased else {
            return reread(index)?.span ?? Span(file: file, start: headerStart[index], end: headerStart[index])
        }
        return Span(file: file, start: headerStart[index], end: headerEnd[index])
    }

    public func idName(_ index: Int) -> Name {
        guard !valuesReleased else {
            return reread(index)?.id ?? Name(text: "", span: Span(file: file, start: headerStart[index], end: headerStart[index]))
        }
        return word(ids[index], at: idStart[index])
    }

    private func keyStart(_ field: Int, in declaration: Int) -> Int32 { headerStart[declaration] + Int32(keyOffsets[field]) }

    /// Where the value of a field of declaration `declaration` was written (until the
    /// batch is released).
    func valueSpan(_ field: Int, in declaration: Int) -> Span {
        let start = keyStart(field, in: declaration) + Int32(valueOffsets[field])
        return Span(file: file, start: start, end: start + Int32(valueLengths[field]))
    }

    /// Where the value of the field in `slot` was written (the last one: the same as
    /// when filled), if declaration `index` has it.
    func valueSpan(of index: Int, slot: Int) -> Span? {
        guard !valuesReleased else {
            guard let declaration = reread(index), let kind = Schema.kind(named: declaration.kind.text) else { return nil }
            return declaration.fields.last { kind.index[$0.key.text] == slot }?.value.span
        }
        return fields(of: index).last { Int(slots[$0]) == slot }.map { valueSpan($0, in: index) }
    }

    /// Declaration `index` as the parser reads it, for its places.
    private func reread(_ index: Int) -> Declaration? { Parser.reread(at: headerStart[index], in: source) }

    private func word(_ symbol: Int32, at start: Int32) -> Name {
        Name(text: names.text(symbol), span: Span(file: file, start: start, end: start + names.length(symbol)))
    }

    /// Declaration `index` as the parser builds it when not compacting: same names,
    /// spans and field values.
    public func declaration(_ index: Int) -> Declaration {
        let kind = kinds[index]
        let start = headerStart[index]
        let keyword = Name(text: kind.name, span: Span(file: file, start: start, end: start + Int32(kind.name.utf8.count)))
        let fields = self.fields(of: index).map { field -> RecordField in
            let name = kind.fields[Int(slots[field])].name
            let keyStart = keyStart(field, in: index)
            let key = Name(text: name, span: Span(file: file, start: keyStart, end: keyStart + Int32(name.utf8.count)))
            let span = valueSpan(field, in: index)
            let value: Expr
            switch self.value(field) {
            case .literal(.string(let text)): value = Expr(kind: .interpolation([.text(text)]), span: span)  // as `primary` reads it
            case .literal(let literal): value = Expr(kind: .literal(literal), span: span)
            case .bool(let bool): value = Expr(kind: .bool(bool), span: span)
            case .none: value = Expr(kind: .nilLiteral, span: span)
            case .word(let symbol): value = Expr(kind: .variable(word(symbol, at: span.start)), span: span)
            case .roleMap(let map): value = roleMap(map).expression(names: names, file: file)
            case .expression(let expr): value = expr
            }
            return RecordField(key: key, value: value)
        }
        return Declaration(kind: keyword, id: idName(index), title: titles[index], fields: fields, span: header(index))
    }
}
