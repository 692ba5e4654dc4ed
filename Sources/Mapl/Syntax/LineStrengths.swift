// The strengths of a batch of shorthand lines (LineBatch.swift) in five bytes a line.
// A strength is written as a decimal (`63.5%`, `7`) or a word (`strong`); once filled in
// it is a level whose rank is that decimal's value or the word's rank. A Double and a
// form took nine bytes a line, 9 MB for a large plan's million lines. Here a decimal is
// kept as its digits and its number of decimals, which give back exactly the Double the
// lexer made (the lexer divides the same integer by the same power of ten); anything
// else goes to a side table.

/// A strength per line: as written until the line is filled in, then as a level.
struct LineStrengths {
    /// Per line: a word's symbol, a decimal's digits, or an index in `table`.
    private var payloads: [UInt32] = []
    /// Per line: the form in the low three bits (`Form`), whether the payload indexes
    /// `table` (bit 3), whether the decimal is a percentage (bit 4: divided by 100), and
    /// its number of decimals (bits 5–7).
    private var forms: [UInt8] = []
    /// Values no decimal of up to 7 decimals and 32-bit digits gives exactly.
    private var table: [Double] = []
    /// Where a named level's rank already is in `table` (there are few).
    private var tabledRanks: [UInt64: UInt32] = [:]

    private enum Form: UInt8 {
        case none, word, number, percent
        case named, numeric
    }

    private static let tabled: UInt8 = 1 << 3, percentage: UInt8 = 1 << 4
    private static let powersOfTen: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000]

    var count: Int { forms.count }

    mutating func append(_ strength: LineStrength) {
        switch strength {
        case .none: append(.none, payload: 0, bits: 0)
        case .word(let symbol): append(.word, payload: UInt32(bitPattern: symbol), bits: 0)
        case .number(let number): append(.number, encoding: encode(number))
        case .percent(let share): append(.percent, encoding: encode(share))
        }
    }

    /// The strength as written on line `index`, until the line is filled in.
    func written(_ index: Int) -> LineStrength {
        switch Form(rawValue: forms[index] & 7) {
        case .word: return .word(Int32(bitPattern: payloads[index]))
        case .number: return .number(value(index))
        case .percent: return .percent(value(index))
        case .none?, .named?, .numeric?, nil: return .none
        }
    }

    /// Fills line `index` in with its level (nil: none).
    mutating func fill(_ index: Int, with level: Level?) {
        guard let level else { return set(index, .none, payload: 0, bits: 0) }
        let written = Form(rawValue: forms[index] & 7)
        if level.isNumeric, written == .number || written == .percent, value(index).bitPattern == level.rank.bitPattern {
            // (The usual case: the written decimal is the rank.)
            return set(index, .numeric, payload: payloads[index], bits: forms[index] & ~7)
        }
        if level.isNumeric {
            let (payload, bits) = encode(level.rank)
            return set(index, .numeric, payload: payload, bits: bits)
        }
        let key = level.rank.bitPattern
        let position = tabledRanks[key] ?? {
            table.append(level.rank)
            tabledRanks[key] = UInt32(table.count - 1)
            return UInt32(table.count - 1)
        }()
        set(index, .named, payload: position, bits: LineStrengths.tabled)
    }

    /// The level of a filled line, on the strength field's scale.
    func level(_ index: Int, scale: UInt8) -> Level? {
        switch Form(rawValue: forms[index] & 7) {
        case .named: return Level(scale: scale, rank: value(index))
        case .numeric: return Level(scale: scale, rank: value(index), isNumeric: true)
        case .none?, .word?, .number?, .percent?, nil: return nil
        }
    }

    mutating func trimCapacity() {
        payloads.trimCapacity()
        forms.trimCapacity()
    }

    /// The number line `index` holds (a decimal, or from the table).
    private func value(_ index: Int) -> Double {
        let bits = forms[index], payload = payloads[index]
        if bits & LineStrengths.tabled != 0 { return Int(payload) < table.count ? table[Int(payload)] : 0 }
        return LineStrengths.decode(payload, bits: bits)
    }

    private static func decode(_ digits: UInt32, bits: UInt8) -> Double {
        let decimals = Int(bits >> 5)
        let plain = decimals > 0 ? Double(digits) / powersOfTen[decimals] : Double(digits)
        return bits & percentage != 0 ? plain / 100 : plain
    }

    /// The digits and bits of a decimal that gives exactly `value`, else a new table entry.
    private mutating func encode(_ value: Double) -> (payload: UInt32, bits: UInt8) {
        if value >= 0, value.isFinite {
            for isPercentage in [true, false] {
                let bits: UInt8 = isPercentage ? LineStrengths.percentage : 0
                let scaled = isPercentage ? value * 100 : value
                for decimals in 0..<LineStrengths.powersOfTen.count {
                    let digits = (scaled * LineStrengths.powersOfTen[decimals]).rounded()
                    guard digits <= Double(UInt32.max) else { break }
                    let candidate = bits | UInt8(decimals) << 5
                    if LineStrengths.decode(UInt32(digits), bits: candidate).bitPattern == value.bitPattern {
                        return (UInt32(digits), candidate)
                    }
                }
            }
        }
        table.append(value)
        return (UInt32(table.count - 1), LineStrengths.tabled)
    }

    private mutating func append(_ form: Form, encoding: (payload: UInt32, bits: UInt8)) {
        append(form, payload: encoding.payload, bits: encoding.bits)
    }

    private mutating func append(_ form: Form, payload: UInt32, bits: UInt8) {
        payloads.append(payload)
        forms.append(bits & ~7 | form.rawValue)
    }

    private mutating func set(_ index: Int, _ form: Form, payload: UInt32, bits: UInt8) {
        payloads[index] = payload
        forms[index] = bits & ~7 | form.rawValue
    }
}
