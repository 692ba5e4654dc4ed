// What a parser keeps while it reads shorthand lines and plain declarations into their
// compact forms (LineBatch.swift, DeclarationBatch.swift).

/// The state of a parser reading compact lines and declarations: the interned names
/// (ids and bare words), what plan keywords and field names mean (each looked up once
/// per spelling), and the batch the next line or declaration may join.
final class CompactReading {
    /// The last top-level statement, if it is a batch (known without copying it out of
    /// the statement list), and how many statements there were then.
    private(set) var openLines: LineBatch?
    private(set) var openDeclarations: DeclarationBatch?
    private var openCount = -1

    /// Line names waiting to be interned together (`NameTable.intern(_:of:)`: a lookup
    /// in a large table is a cache miss, and many at once overlap), all of one batch.
    private var pendingBatch: LineBatch?
    private var pendingLines: [Int] = []
    private var pendingNames: [Span] = []

    /// Notes the two names of a line just appended to `batch` with placeholders.
    func addNames(of line: Int, in batch: LineBatch, from: Span, to: Span, bytes: SourceBytes) {
        if pendingBatch !== batch {
            flushNames(bytes)
            pendingBatch = batch
        }
        pendingLines.append(line)
        pendingNames.append(from)
        pendingNames.append(to)
        if pendingLines.count >= 256 { flushNames(bytes) }
    }

    /// Interns the names noted and sets them in their lines. The parser calls it at the
    /// end: until then, no one reads a line's names.
    func flushNames(_ bytes: SourceBytes) {
        guard let batch = pendingBatch, !pendingLines.isEmpty else { return }
        let symbols = names.intern(pendingNames, of: bytes)
        for (index, line) in pendingLines.enumerated() { batch.setNames(line, from: symbols[2 * index], to: symbols[2 * index + 1]) }
        pendingLines.removeAll(keepingCapacity: true)
        pendingNames.removeAll(keepingCapacity: true)
    }

    /// Whether the open batch is still the last of these statements.
    func isOpen(_ statements: [Stmt]) -> Bool { statements.count == openCount }

    func opened(lines: LineBatch, in statements: [Stmt]) {
        closeOpenBatch()
        (openLines, openCount) = (lines, statements.count)
    }

    func opened(declarations: DeclarationBatch, in statements: [Stmt]) {
        closeOpenBatch()
        (openDeclarations, openCount) = (declarations, statements.count)
    }

    /// Ends the open batch, if any (a new one opens, or the source ends): nothing more
    /// joins it, and its storage is cut to size.
    func closeOpenBatch() {
        openLines?.trimCapacity()
        openDeclarations?.trimCapacity()
        (openLines, openDeclarations, openCount) = (nil, nil, -1)
    }

    /// The ids and words of a source's compact lines and declarations.
    let names = NameTable()
    /// Statement-start words and field names.
    private let words = NameTable()
    /// Per `words` symbol, the kind's ordinal (-1 none, -2 not looked).
    private var kindOfWord: [Int16] = []
    /// Per entity kind, the field slot of each `words` symbol (-1 none, -2 not looked).
    private var slotOfWord: [[Int8]] = Array(repeating: [], count: Schema.kinds.count)

    /// The entity kind a statement's first word declares, for compact declarations: not
    /// the line kinds, whose shorthand syntax goes its own way.
    func declaredKind(_ word: Span, of bytes: SourceBytes) -> EntityKind? {
        let symbol = Int(words.intern(word, of: bytes))
        if kindOfWord.count <= symbol { kindOfWord += repeatElement(-2, count: symbol + 1 - kindOfWord.count) }
        if kindOfWord[symbol] == -2 {
            let kind = Schema.kind(named: words.text(Int32(symbol)))
            kindOfWord[symbol] = kind.map { $0.name == "influence" || $0.name == "conflict" ? -1 : Int16($0.ordinal) } ?? -1
        }
        return kindOfWord[symbol] >= 0 ? Schema.kinds[Int(kindOfWord[symbol])] : nil
    }

    /// The slot of field `key` in `kind`, if the kind has such a field below 64 (the
    /// parser keeps the fields seen in a 64-bit set).
    func fieldSlot(_ key: Span, of bytes: SourceBytes, in kind: EntityKind) -> Int? {
        let symbol = Int(words.intern(key, of: bytes))
        if slotOfWord[kind.ordinal].count <= symbol {
            slotOfWord[kind.ordinal] += repeatElement(-2, count: symbol + 1 - slotOfWord[kind.ordinal].count)
        }
        if slotOfWord[kind.ordinal][symbol] == -2 {
            let slot = kind.index[words.text(Int32(symbol))] ?? -1
            slotOfWord[kind.ordinal][symbol] = slot < 64 ? Int8(slot) : -1
        }
        let slot = Int(slotOfWord[kind.ordinal][symbol])
        return slot >= 0 ? slot : nil
    }
}

extension Array {
    /// Keeps the same elements in storage of their size. An array grown by appending
    /// ends up to twice as large as it needs (growth doubles the allocated size, which
    /// drifts off the batches' power-of-two caps): a large plan's batches had a third
    /// more room than lines.
    mutating func trimCapacity() {
        guard capacity > count + count / 8 + 16 else { return }
        var trimmed: [Element] = []
        trimmed.reserveCapacity(count)
        trimmed.append(contentsOf: self)
        self = trimmed
    }
}
