// An entity's field values, stored sparsely. A stakeholder has 15 fields and an
// opportunity 18, but a plan gives five or ten of them, so only the values given take
// room. A table of entities keeps its rows' values side by side (`FieldColumns`); a
// `FieldValues` is one row on its own, as a declaration is filled in.

/// Field values by the kind's field index, `.nil` where not given. Only the values
/// given take room: a bit per field says which are there, and they are kept in field
/// order. Kinds have at most 40 fields (a test checks the schema); an index beyond
/// reads as `.nil` and is not stored.
public struct FieldValues {
    /// Which fields have a value, a bit per field index.
    fileprivate var present: UInt64 = 0
    fileprivate var values: ContiguousArray<StoredValue> = []

    static let fieldLimit = 40

    public init() {}

    /// How many fields have a value.
    public var count: Int { present.nonzeroBitCount }

    public subscript(index: Int) -> Value {
        get {
            guard let bit = FieldValues.bit(index), present & bit != 0 else { return .nil }
            return values[position(below: bit)].value
        }
        set {
            guard let bit = FieldValues.bit(index) else { return }
            let position = position(below: bit)
            if present & bit != 0 {
                if case .nil = newValue {
                    values.remove(at: position)
                    present &= ~bit
                } else {
                    values[position] = StoredValue(newValue)
                }
            } else if case .nil = newValue {
                return
            } else {
                values.insert(StoredValue(newValue), at: position)
                present |= bit
            }
        }
    }

    /// Makes room for `count` values at once (the fields a declaration gives).
    mutating func reserve(_ count: Int) {
        values.reserveCapacity(count)
    }

    fileprivate static func bit(_ index: Int) -> UInt64? { index >= 0 && index < fieldLimit ? 1 << UInt64(index) : nil }

    /// Where the value of the field with this bit is (or goes): the values of lower fields come first.
    private func position(below bit: UInt64) -> Int { (present & (bit &- 1)).nonzeroBitCount }
}

/// The field values of a table's rows, side by side in one array: per row, which
/// fields have a value (as `FieldValues.present`) and where its values start. A row
/// costs 12 bytes and 16 per value given, with no allocation of its own.
///
/// A row that gains a value moves to the end of the array; the room it leaves (and what
/// a row gives up) is reclaimed by `compact`, run when more than half the array is
/// unused and by the plan once it is set up. Values never leave the table as a view
/// of this array (`row` copies), so writes never copy it.
struct FieldColumns {
    private var present: [UInt64] = []
    private var starts: [Int32] = []
    private var values: ContiguousArray<StoredValue> = []
    /// Slots of `values` no row uses (they hold `.none`).
    private var unused = 0

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

    /// The value of field `index` of a row, `.nil` where not given.
    func value(_ row: Int, _ index: Int) -> Value {
        let bits = present[row]
        guard let bit = FieldValues.bit(index), bits & bit != 0 else { return .nil }
        return values[Int(starts[row]) + (bits & (bit &- 1)).nonzeroBitCount].value
    }

    /// A row's values as a `FieldValues` of its own (a copy).
    func row(_ row: Int) -> FieldValues {
        var fields = FieldValues()
        fields.present = present[row]
        let start = Int(starts[row])
        fields.values = ContiguousArray(values[start..<start + fields.present.nonzeroBitCount])
        return fields
    }

    /// Replaces a row's values: in place when they fit, else at the end.
    mutating func set(_ row: Int, _ fields: FieldValues) {
        let old = count(row), new = fields.values.count
        var start = Int(starts[row])
        if new > old, start + old == values.count {
            // The last row grows in place (a row being filled in is).
            values.replaceSubrange(start..<start + old, with: fields.values)
        } else if new > old {
            clear(start..<start + old)
            start = values.count
            starts[row] = Int32(truncatingIfNeeded: start)
            values.append(contentsOf: fields.values)
        } else {
            values.replaceSubrange(start..<start + new, with: fields.values)
            clear(start + new..<start + old)
        }
        present[row] = fields.present
        if unused > 1024 && unused > values.count / 2 { compact() }
    }

    /// Sets one field of a row (`.nil` clears it).
    mutating func set(_ row: Int, _ index: Int, _ value: Value) {
        guard let bit = FieldValues.bit(index) else { return }
        let bits = present[row]
        let clears: Bool
        if case .nil = value { clears = true } else { clears = false }
        if bits & bit != 0, !clears {
            values[Int(starts[row]) + (bits & (bit &- 1)).nonzeroBitCount] = StoredValue(value)
        } else if bits & bit != 0 || !clears {
            var fields = self.row(row)
            fields[index] = value
            set(row, fields)
        }
    }

    /// Empties slots no row uses any more (so what they held is freed now).
    private mutating func clear(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        for index in range { values[index] = .none }
        unused += range.count
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
        case .record(let record): self = .record(record)
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
        case .function(let closure): return .function(closure)
        case .builtin(let index): return .builtin(index)
        case .entity(let entity): return .entity(entity)
        case .level(let rank, let scale, let isNumeric): return .level(Level(scale: scale, rank: rank, isNumeric: isNumeric))
        case .box(let box): return .box(box)
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

/// A text kept out of line by `StoredValue`.
final class TextBox {
    let text: String
    init(_ text: String) { self.text = text }
}
