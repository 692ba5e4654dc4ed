// An entity's field values, stored sparsely. A stakeholder has 15 fields and an
// opportunity 18, but a plan gives five or ten of them: a value per field took most of
// a large plan's entity memory (24 bytes each, a hundred thousand entities).

/// Field values by the kind's field index, `.nil` where not given. Only the values
/// given take room: a bit per field says which are there, and they are kept in field
/// order. Kinds have fewer than 64 fields (a test checks the schema); an index beyond
/// reads as `.nil` and is not stored.
public struct FieldValues {
    private var present: UInt64 = 0
    private var values: ContiguousArray<Value> = []

    public init() {}

    /// How many fields have a value.
    public var count: Int { values.count }

    public subscript(index: Int) -> Value {
        get {
            guard let bit = FieldValues.bit(index), present & bit != 0 else { return .nil }
            return values[position(below: bit)]
        }
        set {
            guard let bit = FieldValues.bit(index) else { return }
            let position = position(below: bit)
            if present & bit != 0 {
                if case .nil = newValue {
                    values.remove(at: position)
                    present &= ~bit
                } else {
                    values[position] = newValue
                }
            } else if case .nil = newValue {
                return
            } else {
                values.insert(newValue, at: position)
                present |= bit
            }
        }
    }

    /// Makes room for `count` values at once (the fields a declaration gives).
    mutating func reserve(_ count: Int) { values.reserveCapacity(count) }

    private static func bit(_ index: Int) -> UInt64? { index >= 0 && index < 64 ? 1 << UInt64(index) : nil }

    /// Where the value of the field with this bit is (or goes): the values of lower fields come first.
    private func position(below bit: UInt64) -> Int { (present & (bit &- 1)).nonzeroBitCount }
}
