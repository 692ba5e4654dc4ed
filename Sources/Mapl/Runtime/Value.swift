// Runtime values. Small and mostly inline: numbers, money, dates and durations carry
// no heap object; lists, records and functions are shared references.

/// A mapl value.
public enum Value {
    case `nil`
    case bool(Bool)
    case number(Double)
    case money(Money)
    /// A fraction: `40%` is stored as 0.4.
    case percent(Double)
    case date(Day)
    case duration(Duration)
    case string(String)
    /// `.champion`: a name from an enumerated scale.
    case symbol(String)
    case list(ListObject)
    case record(RecordObject)
    case function(Closure)
    case builtin(Int)
    /// A declared plan entity (a stakeholder, an opportunity, …).
    case entity(Entity)
    /// A value on one of the methodology's scales (`support: champion`).
    case level(Level)
    /// Internal: a captured local's heap cell, held in the frame slot. Never seen by users.
    case box(Box)

    /// The type name used in messages and by `type()`.
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .bool: return "boolean"
        case .number: return "number"
        case .money: return "money"
        case .percent: return "percentage"
        case .date: return "date"
        case .duration: return "duration"
        case .string: return "string"
        case .symbol: return "symbol"
        case .list: return "list"
        case .record: return "record"
        case .function, .builtin: return "function"
        case .entity(let entity): return entity.kind.name
        case .level(let level): return level.scaleObject.name
        case .box(let box): return box.value.typeName
        }
    }
}

/// A mutable list shared by reference, as in Python. (Not final only for `RecycledList`,
/// the answers of reach queries, which give their storage back when freed; the compiler
/// sees every subclass, so access stays direct.)
public class ListObject {
    // Exclusivity is not checked at run time for the hot storage of lists, records and
    // boxes (a check per access cost ~5% of loop-heavy scripts). The interpreter never
    // reads or writes one of them while another access to it is in progress: values
    // are computed before they are stored, and loops iterate over snapshots.
    @exclusivity(unchecked) public var items: ContiguousArray<Value>
    public init(_ items: ContiguousArray<Value>) { self.items = items }

    deinit { releaseIteratively(&items) }
}

extension Value {
    // Accessors rather than pattern bindings, so no hidden extra reference outlives them.
    var listObject: ListObject? {
        if case .list(let list) = self { return list }
        return nil
    }

    var recordObject: RecordObject? {
        if case .record(let record) = self { return record }
        return nil
    }

    /// Whether the value is `nil`.
    public var isNil: Bool {
        if case .nil = self { return true }
        return false
    }
}

/// Releases nested lists and records with a work list instead of recursion, so that
/// freeing a list nested a million levels deep cannot overflow the stack.
func releaseIteratively(_ values: inout ContiguousArray<Value>) {
    guard values.contains(where: { value in
        switch value {
        case .list, .record: return true
        default: return false
        }
    }) else { return }
    var pending = values
    values.removeAll()
    while var value = pending.popLast() {
        // Hold the container in exactly one variable, so that the uniqueness test sees
        // whether anyone else still refers to it; only then is it emptied here.
        var list = value.listObject
        var record = value.recordObject
        if list == nil && record == nil { continue }
        value = .nil
        if isKnownUniquelyReferenced(&list), let child = list {
            pending.append(contentsOf: child.items)
            child.items.removeAll()
        }
        if isKnownUniquelyReferenced(&record), let child = record {
            pending.append(contentsOf: child.values)
            child.values.removeAll()
        }
    }
}

/// The field layout shared by records built the same way, so that field access can
/// cache a (shape, index) pair instead of searching by name each time.
public final class Shape {
    public let keys: [String]
    /// Positions by key, for shapes with many keys; a few keys are searched in order
    /// (most records have a few fields, and a dictionary each would cost more than the
    /// record).
    private let index: [String: Int]?
    private var transitions: [String: Shape] = [:]

    /// Up to this many keys are searched in order rather than through a dictionary.
    static let keysSearchedInOrder = 8

    public init(keys: [String]) {
        self.keys = keys
        if keys.count > Shape.keysSearchedInOrder {
            var index: [String: Int] = [:]
            for (position, key) in keys.enumerated() { index[key] = position }
            self.index = index
        } else {
            index = nil
        }
    }

    /// Where a key's value is (the last such key, should one be given twice).
    func position(of key: String) -> Int? {
        if let index { return index[key] }
        return keys.lastIndex(of: key)
    }

    /// The shape with one more key, shared by every record that grows the same way.
    func adding(_ key: String) -> Shape {
        if let next = transitions[key] { return next }
        let next = Shape(keys: keys + [key])
        transitions[key] = next
        return next
    }
}

/// A record (string-keyed map that keeps insertion order).
public final class RecordObject {
    @exclusivity(unchecked) public private(set) var shape: Shape
    @exclusivity(unchecked) public var values: ContiguousArray<Value>

    public init(shape: Shape, values: ContiguousArray<Value>) {
        self.shape = shape
        self.values = values
    }

    deinit { releaseIteratively(&values) }

    public convenience init(_ pairs: [(String, Value)]) {
        // The keys in the order first given (a set to find repeats only among many).
        var keys: [String] = []
        keys.reserveCapacity(pairs.count)
        if pairs.count <= Shape.keysSearchedInOrder {
            for (key, _) in pairs where !keys.contains(key) { keys.append(key) }
        } else {
            var seen: Set<String> = []
            for (key, _) in pairs where seen.insert(key).inserted { keys.append(key) }
        }
        let shape = Shape(keys: keys)
        var values = ContiguousArray<Value>(repeating: .nil, count: keys.count)
        for (key, value) in pairs { if let position = shape.position(of: key) { values[position] = value } }
        self.init(shape: shape, values: values)
    }

    public subscript(key: String) -> Value? {
        shape.position(of: key).map { values[$0] }
    }

    /// Adds a field, given the shape that results (known from an earlier record).
    func append(_ value: Value, as grown: Shape) {
        shape = grown
        values.append(value)
    }

    public func set(_ key: String, _ value: Value) {
        if let position = shape.position(of: key) {
            values[position] = value
        } else {
            shape = shape.adding(key)
            values.append(value)
        }
    }
}

/// A heap cell for a local variable that a closure captured.
public final class Box {
    @exclusivity(unchecked) public var value: Value
    init(_ value: Value) { self.value = value }
}

/// The compiled form of a function, shared by every closure made from it.
public final class FunctionProto {
    public let name: String
    public let arity: Int
    let frameSize: Int
    let span: Span
    /// A constant, read on every call (a function reaches itself through frame slot 0,
    /// so its body never needs the prototype).
    let body: StmtCode
    /// Whether calls must put the closure in frame slot 0 (for its captures).
    let needsSelfSlot: Bool

    init(name: String, arity: Int, frameSize: Int, span: Span, needsSelfSlot: Bool, body: @escaping StmtCode) {
        self.needsSelfSlot = needsSelfSlot
        self.name = name
        self.arity = arity
        self.frameSize = frameSize
        self.span = span
        self.body = body
    }
}

/// A function value: compiled code plus the variables it captured.
public final class Closure {
    public let proto: FunctionProto
    let captures: ContiguousArray<Box>

    init(proto: FunctionProto, captures: ContiguousArray<Box>) {
        self.proto = proto
        self.captures = captures
    }
}

/// A frame: a pointer into the machine's value stack; slot 0 holds the running closure.
typealias Frame = UnsafeMutablePointer<Value>
typealias ExprCode = (Frame) throws -> Value
typealias StmtCode = (Frame) throws -> Flow

/// How a statement finished.
enum Flow {
    case normal, breakLoop, continueLoop, returned
}

// MARK: - Equality and ordering

extension Value {
    /// Structural equality; values of different types are simply unequal.
    public func isEqual(to other: Value) -> Bool {
        if case .number(let a) = self, case .number(let b) = other { return a == b }
        var comparing = Set<ObjectPair>()
        var gaveUp = false
        return isEqual(to: other, comparing: &comparing, depth: 0, gaveUp: &gaveUp)
    }

    /// `==` in a program: as `isEqual(to:)`, but values nested past what can be compared
    /// are an error at `span` rather than quietly unequal.
    func equals(_ other: Value, at span: Span) throws(RuntimeError) -> Bool {
        if case .number(let a) = self, case .number(let b) = other { return a == b }
        var comparing = Set<ObjectPair>()
        var gaveUp = false
        let equal = isEqual(to: other, comparing: &comparing, depth: 0, gaveUp: &gaveUp)
        if gaveUp { throw RuntimeError(.comparisonTooDeep(limit: Value.maxNesting), at: span) }
        return equal
    }

    /// Nested lists and records are compared to `maxNesting` levels; a pair of
    /// containers met again while being compared (a cycle) counts as equal there.
    static let maxNesting = 5_000

    /// - Parameter gaveUp: set when values nest past `maxNesting` (they count as unequal).
    private func isEqual(to other: Value, comparing: inout Set<ObjectPair>, depth: Int, gaveUp: inout Bool) -> Bool {
        if case .box(let box) = other { return isEqual(to: box.value, comparing: &comparing, depth: depth, gaveUp: &gaveUp) }
        switch self {
        case .nil: if case .nil = other { return true }
        case .bool(let a): if case .bool(let b) = other { return a == b }
        case .number(let a): if case .number(let b) = other { return a == b }
        case .money(let a): if case .money(let b) = other { return a == b }
        case .percent(let a): if case .percent(let b) = other { return abs(a - b) < 1e-12 }
        case .date(let a): if case .date(let b) = other { return a == b }
        case .duration(let a): if case .duration(let b) = other { return a.approximateDays == b.approximateDays }
        case .string(let a): if case .string(let b) = other { return a == b }
        case .symbol(let a): if case .symbol(let b) = other { return a == b }
        case .list(let a):
            if case .list(let b) = other {
                if a === b { return true }
                guard a.items.count == b.items.count else { return false }
                guard depth < Value.maxNesting else { gaveUp = true; return false }
                guard comparing.insert(ObjectPair(a, b)).inserted else { return true }
                for (x, y) in zip(a.items, b.items) where !x.isEqual(to: y, comparing: &comparing, depth: depth + 1, gaveUp: &gaveUp) { return false }
                return true
            }
        case .record(let a):
            if case .record(let b) = other {
                if a === b { return true }
                guard a.shape.keys.count == b.shape.keys.count else { return false }
                guard depth < Value.maxNesting else { gaveUp = true; return false }
                guard comparing.insert(ObjectPair(a, b)).inserted else { return true }
                for (key, value) in zip(a.shape.keys, a.values) {
                    guard let otherValue = b[key], value.isEqual(to: otherValue, comparing: &comparing, depth: depth + 1, gaveUp: &gaveUp) else { return false }
                }
                return true
            }
        case .function(let a): if case .function(let b) = other { return a === b }
        case .builtin(let a): if case .builtin(let b) = other { return a == b }
        case .entity(let a): if case .entity(let b) = other { return a == b }
        case .level(let a):
            switch other {
            case .level(let b): return a == b
            // A bare scale word equals the level of that name on any scale.
            case .symbol(let name): return a.scaleObject.value(named: name)?.rank == a.rank
            case .number(let n): return a.scaleObject.numericRange != nil && a.rank == n
            default: return false
            }
        case .box(let a): return a.value.isEqual(to: other, comparing: &comparing, depth: depth, gaveUp: &gaveUp)
        }
        if case .level = other { return other.isEqual(to: self, comparing: &comparing, depth: depth, gaveUp: &gaveUp) }
        return false
    }

    /// What two values that cannot be ordered are, for the error: "text and number",
    /// "amounts in EUR and USD".
    static func unorderable(_ a: Value, _ b: Value) -> String {
        if case .money(let x) = a, case .money(let y) = b, x.currency != y.currency { return "amounts in \(x.currency.code) and \(y.currency.code)" }
        return "\(a.typeName) and \(b.typeName)"
    }

    /// Orders two values of the same kind; nil when they cannot be ordered.
    public func compare(to other: Value) -> Int? {
        // The common cases (sorting by a score or an amount) without further ado.
        if case .number(let a) = self, case .number(let b) = other, !a.isNaN, !b.isNaN { return a < b ? -1 : (a == b ? 0 : 1) }
        if case .money(let a) = self, case .money(let b) = other {
            return a.currency != b.currency ? nil : a < b ? -1 : (a == b ? 0 : 1)
        }
        var comparing = Set<ObjectPair>(), same = Set<ObjectPair>()
        return compare(to: other, comparing: &comparing, same: &same, depth: 0)
    }

    /// Lists that contain themselves, or nest too deeply, cannot be ordered.
    /// - Parameter same: pairs of lists already found to order the same: a list that holds
    ///   one list many times (`x = [x, x]`, nested 40 times) is compared once per pair,
    ///   not once per path to it.
    private func compare(to other: Value, comparing: inout Set<ObjectPair>, same: inout Set<ObjectPair>, depth: Int) -> Int? {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        switch self {
        case .number(let a): if case .number(let b) = other, !a.isNaN, !b.isNaN { return order(a, b) }
        case .money(let a): if case .money(let b) = other, a.currency == b.currency { return order(a, b) }
        case .percent(let a): if case .percent(let b) = other { return order(a, b) }
        case .date(let a): if case .date(let b) = other { return order(a, b) }
        case .duration(let a): if case .duration(let b) = other { return order(a.approximateDays, b.approximateDays) }
        case .string(let a): if case .string(let b) = other { return order(a, b) }
        case .symbol(let a): if case .symbol(let b) = other { return order(a, b) }
        case .bool(let a): if case .bool(let b) = other { return order(a ? 1 : 0, b ? 1 : 0) }
        case .list(let a):
            if case .list(let b) = other {
                let pair = ObjectPair(a, b)
                if same.contains(pair) { return 0 }
                guard depth < Value.maxNesting, comparing.insert(pair).inserted else { return nil }
                defer { comparing.remove(pair) }
                for (x, y) in zip(a.items, b.items) {
                    guard let c = x.compare(to: y, comparing: &comparing, same: &same, depth: depth + 1) else { return nil }
                    if c != 0 { return c }
                }
                let c = order(a.items.count, b.items.count)
                if c == 0 { same.insert(pair) }
                return c
            }
        case .level(let a):
            let scale = a.scaleObject
            guard scale.isOrdered else { return nil }
            switch other {
            case .level(let b) where b.scale == a.scale: return order(a.rank, b.rank)
            case .symbol(let name): return scale.value(named: name).map { order(a.rank, $0.rank) }
            case .number(let n) where scale.numericRange != nil: return order(a.rank, n)
            case .percent(let p) where scale.numericRange == 0...1: return order(a.rank, p)
            default: return nil
            }
        case .entity(let a): if case .entity(let b) = other { return order(a.name, b.name) }
        case .box(let a): return a.value.compare(to: other, comparing: &comparing, same: &same, depth: depth)
        case .nil, .record, .function, .builtin: return nil
        }
        if case .level = other, let reversed = other.compare(to: self, comparing: &comparing, same: &same, depth: depth) { return -reversed }
        return nil
    }
}

/// Two containers being compared, by identity.
struct ObjectPair: Hashable {
    let a: ObjectIdentifier, b: ObjectIdentifier
    init(_ a: AnyObject, _ b: AnyObject) {
        self.a = ObjectIdentifier(a)
        self.b = ObjectIdentifier(b)
    }
}
