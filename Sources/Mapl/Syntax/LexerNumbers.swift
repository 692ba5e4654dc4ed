// The lexer's numeric literals: numbers, money (`$1.2M`, `250k`), percentages, dates and
// durations, each decoded once into the literal table.

extension Lexer {
    mutating func scanDigits(allowUnderscore: Bool = true) {
        while position < bytes.count {
            let b = bytes[position]
            if Lexer.isDigit(b) || (allowUnderscore && b == 95 && Lexer.isDigit(peek(1))) { position += 1 } else { break }
        }
    }

    func looksLikeDate(at start: Int) -> Bool {
        // dddd-dd-dd not followed by another digit or letter
        guard start + 10 <= bytes.count else { return false }
        for (offset, byte) in bytes[start..<start + 10].enumerated() {
            let wantDash = offset == 4 || offset == 7
            if wantDash ? byte != 45 : !Lexer.isDigit(byte) { return false }
        }
        return start + 10 == bytes.count || !Lexer.isIdentPart(bytes[start + 10])
    }

    mutating func scanNumber() {
        let start = position
        if looksLikeDate(at: start) { return scanDate(start) }
        scanDigits()
        var isInteger = true
        if peek() == UInt8(ascii: "."), Lexer.isDigit(peek(1)) {
            isInteger = false
            position += 1
            scanDigits()
        }
        let numberEnd = position
        // Most numbers in a plan are short plain digit runs: value them straight from the
        // bytes, without a String.
        let plain = plainDecimal(start, numberEnd)
        if let plain, !Lexer.isIdentStart(peek()) {
            if peek() == UInt8(ascii: "%") {
                position += 1
                add(.percent, start, position, literal: .percent(plain / 100))
            } else {
                add(.number, start, position, literal: .number(plain))
            }
            return
        }
        let digits = text(start, numberEnd).replacingOccurrences(of: "_", with: "")
        if peek() == UInt8(ascii: "%") {
            position += 1
            let value = Double(digits) ?? 0
            add(.percent, start, position, literal: .percent(value / 100))
            return
        }
        if Lexer.isIdentStart(peek()) {
            let suffixStart = position
            while position < bytes.count, Lexer.isIdentPart(bytes[position]) { position += 1 }
            let suffix = text(suffixStart, position)
            return finishSuffixed(digits: digits, isInteger: isInteger, suffix: suffix, start: start)
        }
        guard let value = Double(digits), value.isFinite else {
            report(.numberTooLarge(text(start, position)), start, position)
            add(.invalid, start, position)
            return
        }
        add(.number, start, position, literal: .number(value))
    }

    /// The value of `digits[.digits]` between start and end when it has at most 15
    /// digits and no underscores, else nil. Exact: the digits form an integer below 2^53
    /// and the power of ten is exact, so the one division rounds as `Double(text)` would.
    func plainDecimal(_ start: Int, _ end: Int) -> Double? {
        var mantissa: Int64 = 0
        var digitCount = 0
        var fractionDigits = -1
        for index in start..<end {
            let byte = bytes[index]
            if Lexer.isDigit(byte) {
                mantissa = mantissa &* 10 &+ Int64(byte &- 48)
                digitCount += 1
                if fractionDigits >= 0 { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), fractionDigits < 0 {
                fractionDigits = 0
            } else {
                return nil
            }
        }
        guard digitCount > 0, digitCount <= 15 else { return nil }
        return fractionDigits > 0 ? Double(mantissa) / Lexer.powersOfTen[fractionDigits] : Double(mantissa)
    }

    static let powersOfTen: [Double] = (0...15).map { power in (0..<power).reduce(1.0) { value, _ in value * 10 } }

    /// The two digits at start and start + 1 as a number (the caller has checked they are digits).
    func twoDigits(_ start: Int) -> Int { Int(bytes[start] &- 48) * 10 + Int(bytes[start + 1] &- 48) }

    mutating func finishSuffixed(digits: String, isInteger: Bool, suffix: String, start: Int) {
        let literalText = text(start, position)
        if let scale = Lexer.moneyScale[suffix] {
            guard let money = Lexer.money(digits: digits, scale: scale, currency: .unstated) else {
                report(.numberTooLarge(literalText), start, position)
                add(.invalid, start, position)
                return
            }
            add(.money, start, position, literal: .money(money))
            return
        }
        if let unit = Lexer.durationUnits[suffix] {
            guard isInteger else {
                report(.malformedNumber(literalText), start, position)
                add(.invalid, start, position)
                return
            }
            guard let count = Int32(digits), let scaled = Int32(exactly: Int64(count) * Int64(unit.count)) else {
                report(.numberTooLarge(literalText), start, position)
                add(.invalid, start, position)
                return
            }
            let duration = unit.months ? Duration(months: scaled) : Duration(days: scaled)
            add(.duration, start, position, literal: .duration(duration))
            return
        }
        report(suffix == "m" ? .ambiguousSuffix(literal: literalText) : .unknownSuffix(literal: literalText, suffix: suffix), start, position)
        add(.invalid, start, position)
    }

    static let moneyScale: [String: Int64] = ["": 1, "k": 1_000, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000, "bn": 1_000_000_000]
    static let durationUnits: [String: (months: Bool, count: Int32)] = [
        "d": (false, 1), "w": (false, 7), "mo": (true, 1), "q": (true, 3), "y": (true, 12),
    ]

    /// Exact conversion of a decimal digit string times a scale to cents.
    static func money(digits: String, scale: Int64, currency: Currency) -> Money? {
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        let whole = parts.first.map(String.init) ?? "0"
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        guard let wholeValue = Int64(whole.isEmpty ? "0" : whole) else { return nil }
        var (cents, overflow) = wholeValue.multipliedReportingOverflow(by: scale * 100)
        if overflow { return nil }
        // Fraction digits: each contributes scale*100 / 10^k cents, rounded at the end.
        var numerator: Int64 = 0, denominator: Int64 = 1
        for digit in fraction.prefix(15) {
            numerator = numerator * 10 + Int64(digit.wholeNumberValue ?? 0)
            denominator *= 10
        }
        if numerator > 0 {
            // In 128-bit integers: 15 digits times a billion dollars in cents is ~10^26.
            let product = Int128(numerator) * Int128(scale * 100)
            var quotient = product / Int128(denominator)
            if (product % Int128(denominator)) * 2 >= Int128(denominator) { quotient += 1 }
            let add = Int64(quotient)
            (cents, overflow) = cents.addingReportingOverflow(add)
            if overflow { return nil }
        }
        return Money(cents: cents, currency: currency)
    }

    /// An amount after its currency sign: `$1,200`, `€1.2M`, `CHF 250k` (`position` is past
    /// the sign or the code and its space).
    mutating func scanMoney(_ start: Int, currency: Currency) {
        // sign digits (',' ddd)* ('.' digits)? suffix?
        guard Lexer.isDigit(peek()) else {
            report(.malformedMoney(text(start, position)), start, position)
            add(.invalid, start, position)
            return
        }
        var digitBytes: [UInt8] = []
        digitBytes.reserveCapacity(16)
        while position < bytes.count {
            let b = bytes[position]
            if Lexer.isDigit(b) { digitBytes.append(b); position += 1 }
            else if b == UInt8(ascii: "_"), Lexer.isDigit(peek(1)) { position += 1 }
            else if b == UInt8(ascii: ","), Lexer.isDigit(peek(1)), Lexer.isDigit(peek(2)), Lexer.isDigit(peek(3)), !Lexer.isDigit(peek(4)) {
                position += 1  // a thousands separator: exactly three digits follow
            } else { break }
        }
        if peek() == UInt8(ascii: "."), Lexer.isDigit(peek(1)) {
            position += 1
            digitBytes.append(UInt8(ascii: "."))
            while position < bytes.count, Lexer.isDigit(bytes[position]) {
                digitBytes.append(bytes[position])
                position += 1
            }
        }
        let digits = String(decoding: digitBytes, as: UTF8.self)
        var suffix = ""
        if Lexer.isIdentStart(peek()) {
            let suffixStart = position
            while position < bytes.count, Lexer.isIdentPart(bytes[position]) { position += 1 }
            suffix = text(suffixStart, position)
        }
        guard let scale = Lexer.moneyScale[suffix] else {
            let literalText = text(start, position)
            if suffix == "m" { report(.ambiguousSuffix(literal: literalText), start, position) }
            else { report(.unknownSuffix(literal: literalText, suffix: suffix), start, position) }
            add(.invalid, start, position)
            return
        }
        guard let money = Lexer.money(digits: digits, scale: scale, currency: currency) else {
            report(.numberTooLarge(text(start, position)), start, position)
            add(.invalid, start, position)
            return
        }
        add(.money, start, position, literal: .money(money))
    }

    mutating func scanDate(_ start: Int) {
        position = start + 10
        let year = twoDigits(start) * 100 + twoDigits(start + 2)
        let month = twoDigits(start + 5)
        let day = twoDigits(start + 8)
        guard let date = Day(year: year, month: month, day: day) else {
            let literalText = text(start, position)
            let reason: String
            if !(1...12).contains(month) { reason = "there is no month \(month)" }
            else if year < 1 { reason = "there is no year 0" }
            else { reason = "\(Lexer.monthNames[month - 1]) \(year) has \(Day.daysIn(month: month, year: year)) days" }
            report(.invalidDate(literal: literalText, reason: reason), start, position)
            add(.invalid, start, position)
            return
        }
        add(.date, start, position, literal: .date(date))
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]
}
