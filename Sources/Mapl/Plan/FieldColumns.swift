// The field values of a kind's entities, stored sparsely. A stakeholder has 15 fields and
// an opportunity 18, but a plan gives five or ten of them, so only the values given take
// room: a table keeps its rows' values side by side in one array (`FieldColumns`), and
// the fill writes each value straight into it.

/// The field values of a table's rows, side by side in one array: per row, a bit per
/// field index saying which fields have a value, and where its values start (in field
/// order). A row costs 12 bytes and 16 per value given, with no allocation of its own.
/// Kinds have at most 40 fields (a test checks the schema); an index beyond reads as
/// `.nil` and is not stored.
///
/// A row that gains a value while another row's values follow its own moves to the end
/// of the array; the room it leaves (and what a row gives up) is reclaimed by `compact`,
/// run when more than half the array is unused and by the plan once it is set up. Rows
/// are filled one after the other, so the row gaining values is nearly always last, and
/// a value is appended in place. Values never leave the table as a view of this array,
/// so writes never copy it.
struct FieldColumns {
    static let fieldLimit = 40

    private var present: [UInt64] = []
    private var starts: [Int32] = []
    private var values: ContiguousArray<StoredValue> = []
    /// Slots of `values` no row uses (they hold `.none`).
    private var unused = 0
    /// Rows up to the last given its values (rows are declared before they are filled,
    /// in order: the rest are expected to give as many as these did, on average).
    private var filledRows = 0
    /// The long texts stored since the table was last trimmed, so that rows giving the
    /// same text (a title many people share) keep one copy of it.
    private var texts: [TextKey: TextBox] = [:]

    /// A text as a key of `texts`, hashed as `EntityIndex` hashes ids.
    private struct TextKey: Hashable {
        let text: String
        let hash: Int

        init(_ text: String) {
            self.text = text
            hash = EntityIndex.hash(text)
        }

        static func == (a: TextKey, b: TextKey) -> Bool { a.hash == b.hash && a.text == b.text }
        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

    /// Adds an empty row.
    mutating func appendRow() {
        present.append(0)
        starts.append(Int32(truncatingIfNeeded: values.count))
    }

    mutating func reserve(rows count: Int) {
        present.reserveCapacity(present.count + count)
        starts.reserveCapacity(starts.count + count)
    }

    /// How many fields of a row have a value.
    func count(_ row: Int) -> Int { present[row].nonzeroBitCount }

    /// Where in `values` field `index` of a row is, nil where not given.
    @inline(__always)
    private func position(_ row: Int, _ index: Int) -> Int? {
        let bits = present[row]
        guard let bit = FieldColumns.bit(index), bits & bit != 0 else { return nil }
        return Int(starts[row]) + (bits & (bit &- 1)).nonzeroBitCount
    }

    /// The value of field `index` of a row, `.nil` where not given.
    func value(_ row: Int, _ index: Int) -> Value { position(row, index).map { values[$0].value } ?? .nil }

    /// Where field `index` of a row points when it holds an entity: its table's identity
    /// and its row, without making a value or retaining anything (the checks walk a
    /// million lines' ends); nil for any other value.
    func reference(_ row: Int, _ index: Int) -> (table: ObjectIdentifier, row: Int32)? {
        guard let at = position(row, index), case .entity(let entity) = values[at] else { return nil }
        return (ObjectIdentifier(entity.table), Int32(truncatingIfNeeded: entity.row))
    }

    /// The value of field `index` of a row as a script reads it (see `StoredValue.readable`).
    func readableValue(_ row: Int, _ index: Int) -> Value { position(row, index).map { values[$0].readable } ?? .nil }

    /// Sets one field of a row (`.nil` clears it).
    mutating func set(_ row: Int, _ index: Int, _ value: Value) {
        guard let bit = FieldColumns.bit(index) else { return }
        let bits = present[row]
        var start = Int(starts[row])
        let count = bits.nonzeroBitCount
        if bits < bit, start + count == values.count, !value.isNil {
            // The row is last and gains a field after all it has (a row being filled, its
            // fields written in schema order): appended.
            filledRows = max(filledRows, row + 1)
            if values.count == values.capacity { makeRoom(for: 1, alreadyGiven: count) }
            values.append(stored(value))
            present[row] = bits | bit
            return
        }
        let before = (bits & (bit &- 1)).nonzeroBitCount
        if case .nil = value {
            if bits & bit != 0 { remove(row, bit, at: start + before, end: start + count) }
            return
        }
        if bits & bit != 0 {
            values[start + before] = stored(value)
            return
        }
        filledRows = max(filledRows, row + 1)
        if start + count != values.count {
            // Another row's values follow: this row's move to the end.
            if values.count + count + 1 > values.capacity { makeRoom(for: count + 1, alreadyGiven: 0) }
            let moved = values.count
            for offset in 0..<count { values.append(values[start + offset]) }
            clear(start..<start + count)
            start = moved
            starts[row] = Int32(truncatingIfNeeded: start)
        } else if values.count == values.capacity {
            makeRoom(for: 1, alreadyGiven: count)
        }
        // (Appended and moved into place: fields mostly come in schema order, so the value
        // is usually last already; `insert` goes through the generic `replaceSubrange`.)
        values.append(stored(value))
        var at = values.count - 1
        while at > start + before {
            values.swapAt(at, at - 1)
            at -= 1
        }
        present[row] = bits | bit
        if unused > 1024 && unused > values.count / 2 { compact() }
    }

    /// Takes the value at `position` out of a row whose values end at `end`.
    private mutating func remove(_ row: Int, _ bit: UInt64, at position: Int, end: Int) {
        for at in position..<end - 1 { values.swapAt(at, at + 1) }
        if end == values.count {
            values.removeLast()
        } else {
            clear(end - 1..<end)
        }
        present[row] &= ~bit
    }

    fileprivate static func bit(_ index: Int) -> UInt64? { index >= 0 && index < fieldLimit ? 1 << UInt64(index) : nil }

    /// Grows `values` to hold `new` more, and the rows still to be filled at the mean
    /// of the rows filled before (with a 32nd to spare): a table is then filled with a
    /// few moves of its array rather than one per doubling, and wastes little room once
    /// set up (a compaction to give room back copies every value, retaining each). It
    /// grows by a 16th at least, should rows come larger than the mean.
    /// The row gaining a value (the last filled, `alreadyGiven` values so far) is left
    /// out of the mean: counted while half given, it made the estimate short, and the
    /// array moved again late in the fill, when both copies are largest.
    /// (Called when the room runs out: the check is the caller's, inline.)
    private mutating func makeRoom(for new: Int, alreadyGiven: Int) {
        let before = filledRows - 1, given = values.count - alreadyGiven
        let estimate = before > 0 ? given + (present.count - before) * given / before : 0
        let expected = max(estimate, values.count + new)
        values.reserveCapacity(max(expected + expected / 32 + 8, values.capacity + values.capacity / 16))
    }

    /// A value as stored: a long text stored before is shared.
    private mutating func stored(_ value: Value) -> StoredValue {
        let stored = StoredValue(value)
        guard case .text(let box) = stored else { return stored }
        let key = TextKey(box.text)
        if let first = texts[key] { return .text(first) }
        texts[key] = box
        return stored
    }

    /// Empties slots no row uses any more (so what they held is freed now).
    private mutating func clear(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        for index in range { values[index] = .none }
        unused += range.count
    }

    /// Compacts the values (see `compact`) and forgets which texts were stored (the
    /// table is set up: few rows come later).
    mutating func trim() {
        compact()
        texts = [:]
    }

    /// Packs the rows' values together, in row order, in an array of just their size
    /// (if they are not so already, near enough).
    mutating func compact() {
        guard unused > 0 || values.capacity - values.count > 16 + values.count / 8 else { return }
        var packed = ContiguousArray<StoredValue>()
        packed.reserveCapacity(values.count - unused)
        for row in present.indices {
            let start = Int(starts[row])
            starts[row] = Int32(truncatingIfNeeded: packed.count)
            packed.append(contentsOf: values[start..<start + present[row].nonzeroBitCount])
        }
        values = packed
        unused = 0
    }
}

/// A field value as an entity keeps it: 16 bytes where a `Value` takes 24 (its strings
/// make it 17). Texts of up to 12 bytes are kept in place, longer ones and symbols in a
/// box of their own (field values are most of what a plan holds).
enum StoredValue {
    case none
    case bool(Bool)
    case number(Double)
    case money(Int64, Currency)
    case percent(Double)
    case date(Int32)
    case duration(months: Int32, days: Int32)
    /// Up to 12 UTF-8 bytes, little-endian in the two words, and how many.
    case shortText(UInt64, UInt32, count: UInt8)
    case text(TextBox)
    case symbol(TextBox)
    case list(ListObject)
    /// A list of up to 8 named levels of one scale (`roles: [coach, user]`), their ranks
    /// a byte each in order: read, it is a new list (as a field's list is, read by a
    /// script: a copy), without a list object and its storage held per entity.
    case levels(ranks: UInt64, scale: UInt8, count: UInt8)
    case record(RecordObject)
    /// A record whose values are all kept in place (numbers, levels, packed level lists
    /// as in `involves: {ann: [coach], ben: []}`, entities, texts): its shape and its
    /// values as stored, without a list object per value. Read, it is a new record (as
    /// a field's record is, read by a script: a copy).
    case packedRecord(PackedRecord)
    case function(Closure)
    case builtin(Int)
    case entity(Entity)
    case level(rank: Double, scale: UInt8, isNumeric: Bool)
    case box(Box)

    init(_ value: Value) {
        switch value {
        case .nil: self = .none
        case .bool(let flag): self = .bool(flag)
        case .number(let number): self = .number(number)
        case .money(let money): self = .money(money.cents, money.currency)
        case .percent(let share): self = .percent(share)
        case .date(let day): self = .date(day.ordinal)
        case .duration(let duration): self = .duration(months: duration.months, days: duration.days)
        case .string(let text): self = StoredValue.short(text) ?? .text(TextBox(text))
        case .symbol(let word): self = .symbol(TextBox(word))
        case .list(let list): self = StoredValue.levels(list.items) ?? .list(list)
        case .record(let record): self = StoredValue.packed(record).map(StoredValue.packedRecord) ?? .record(record)
        case .function(let closure): self = .function(closure)
        case .builtin(let index): self = .builtin(index)
        case .entity(let entity): self = .entity(entity)
        case .level(let level): self = .level(rank: level.rank, scale: level.scale, isNumeric: level.isNumeric)
        case .box(let box): self = .box(box)
        }
    }

    var value: Value {
        switch self {
        case .none: return .nil
        case .bool(let flag): return .bool(flag)
        case .number(let number): return .number(number)
        case .money(let cents, let currency): return .money(Money(cents: cents, currency: currency))
        case .percent(let share): return .percent(share)
        case .date(let ordinal): return .date(Day(ordinal: ordinal))
        case .duration(let months, let days): return .duration(Duration(months: months, days: days))
        case .shortText(let low, let high, let count):
            var words = (low.littleEndian, high.littleEndian)
            return .string(withUnsafeBytes(of: &words) { String(decoding: $0.prefix(Int(count)), as: UTF8.self) })
        case .text(let box): return .string(box.text)
        case .symbol(let box): return .symbol(box.text)
        case .list(let list): return .list(list)
        case .levels(let ranks, let scale, let count):
            var items = ContiguousArray<Value>()
            items.reserveCapacity(Int(count))
            for index in 0..<UInt64(count) { items.append(.level(Level(scale: scale, rank: Double(UInt8(truncatingIfNeeded: ranks >> (8 * index)))))) }
            return .list(ListObject(items))
        case .record(let record): return .record(record)
        case .packedRecord(let packed): return .record(RecordObject(shape: packed.shape, values: ContiguousArray(packed.values.lazy.map(\.value))))
        case .function(let closure): return .function(closure)
        case .builtin(let index): return .builtin(index)
        case .entity(let entity): return .entity(entity)
        case .level(let rank, let scale, let isNumeric): return .level(Level(scale: scale, rank: rank, isNumeric: isNumeric))
        case .box(let box): return .box(box)
        }
    }

    /// The value as a script reads it: a list or record kept as an object is a new one
    /// sharing its storage until written (packed ones are new on every read already),
    /// so that no script changes a field past its checks.
    var readable: Value {
        switch self {
        case .list(let list): return .list(ListObject(list.items))
        case .record(let record): return .record(RecordObject(shape: record.shape, values: record.values))
        default: return value
        }
    }

    /// A list of at most 8 levels of one scale given by name, each rank a whole number
    /// below 256, packed; nil for any other list.
    private static func levels(_ items: ContiguousArray<Value>) -> StoredValue? {
        guard items.count <= 8 else { return nil }
        var ranks: UInt64 = 0, scale: UInt8?
        for (index, item) in items.enumerated() {
            guard case .level(let level) = item, !level.isNumeric, level.scale == scale ?? level.scale,
                  level.rank >= 0, level.rank < 256, level.rank == level.rank.rounded(.down) else { return nil }
            scale = level.scale
            ranks |= UInt64(level.rank) << (8 * UInt64(index))
        }
        // (An empty list has no scale; it reads back as an empty list all the same.)
        return .levels(ranks: ranks, scale: scale ?? 0, count: UInt8(items.count))
    }

    /// A record's values stored in place, or nil if any is an object whose identity is
    /// kept (a list, a record, a function, a box).
    private static func packed(_ record: RecordObject) -> PackedRecord? {
        var values = ContiguousArray<StoredValue>()
        values.reserveCapacity(record.values.count)
        for value in record.values {
            let stored = StoredValue(value)
            switch stored {
            case .list, .record, .function, .box: return nil
            default: values.append(stored)
            }
        }
        return PackedRecord(shape: record.shape, values: values)
    }

    /// A text of up to 12 bytes, kept in place.
    private static func short(_ text: String) -> StoredValue? {
        var text = text
        return text.withUTF8 { bytes -> StoredValue? in
            guard bytes.count <= 12 else { return nil }
            var words: (UInt64, UInt32) = (0, 0)
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
            return .shortText(UInt64(littleEndian: words.0), UInt32(littleEndian: words.1), count: UInt8(bytes.count))
        }
    }
}

/// A record kept by `StoredValue` with its values in place.
final class PackedRecord {
    let shape: Shape
    let values: ContiguousArray<StoredValue>

    init(shape: Shape, values: ContiguousArray<StoredValue>) {
        self.shape = shape
        self.values = values
    }
}

/// A text kept out of line by `StoredValue`.
final class TextBox {
    let text: String
    init(_ text: String) { self.text = text }
}
