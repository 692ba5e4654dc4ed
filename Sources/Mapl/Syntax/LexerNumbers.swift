// The lexer's numeric literals: numbers, money (`$1.2M`, `250k`), percentages, dates and
// durations, each decoded once into the literal table, straight from the bytes.

extension Lexer {
    /// The digits of a numeric literal, valued as they are read (separators skipped).
    struct DecimalDigits {
        /// Every digit, as an integer: exact while `count` is at most 15 (wraps past 18).
        var mantissa: Int64 = 0
        var count = 0
        /// The digits before the point, and whether they overflowed an Int64.
        var whole: Int64 = 0
        var wholeOverflows = false
        /// The digits after the point; money counts only the first 15 of them, in
        /// `fraction` over `fractionScale` (10 to the number of them).
        var fractionCount = 0
        var fraction: Int64 = 0
        var fractionScale: Int64 = 1

        @inline(__always)
        mutating func append(_ digit: UInt8, afterPoint: Bool) {
            let value = Int64(digit &- 48)
            mantissa = mantissa &* 10 &+ value
            count += 1
            if afterPoint {
                fractionCount += 1
                if fractionCount <= 15 {
                    fraction = fraction * 10 + value
                    fractionScale *= 10
                }
            } else {
                let (tens, overflowsTens) = whole.multipliedReportingOverflow(by: 10)
                let (sum, overflowsSum) = tens.addingReportingOverflow(value)
                whole = sum
                wholeOverflows = wholeOverflows || overflowsTens || overflowsSum
            }
        }

        /// The value when there are at most 15 digits, else nil. Exact: the digits form
        /// an integer below 2^53 and the power of ten is exact, so the one division
        /// rounds as `Double(text)` would.
        var double: Double? {
            guard count <= 15 else { return nil }
            return fractionCount > 0 ? Double(mantissa) / Double(fractionScale) : Double(mantissa)
        }

        /// The amount these digits times `scale` make, in cents; nil when too large.
        func money(scale: Int64, currency: Currency) -> Money? {
            wholeOverflows ? nil : Lexer.money(whole: whole, fraction: fraction, fractionScale: fractionScale, scale: scale, currency: currency)
        }
    }

    /// Reads the digits at `position` into `digits`, skipping the separators allowed:
    /// `_` before a digit, and with `commas` a `,` before exactly three digits.
    @inline(__always)
    mutating func readDigits(_ text: Bytes, into digits: inout DecimalDigits, afterPoint: Bool, underscores: Bool, commas: Bool) {
        var at = position
        while at < text.count {
            let byte = text[at]
            if Lexer.isDigit(byte) {
                digits.append(byte, afterPoint: afterPoint)
            } else if underscores, byte == UInt8(ascii: "_"), Lexer.isDigit(Lexer.at(text, at + 1)) {
                // skipped
            } else if commas, byte == UInt8(ascii: ","), Lexer.isDigit(Lexer.at(text, at + 1)), Lexer.isDigit(Lexer.at(text, at + 2)),
                      Lexer.isDigit(Lexer.at(text, at + 3)), !Lexer.isDigit(Lexer.at(text, at + 4)) {
                // a thousands separator: exactly three digits follow
            } else {
                break
            }
            at += 1
        }
        position = at
    }

    /// Whether `.` and a digit follow `position` (a decimal point, not `..` or a field).
    func decimalPointFollows(_ text: Bytes) -> Bool {
        Lexer.at(text, position) == UInt8(ascii: ".") && Lexer.isDigit(Lexer.at(text, position + 1))
    }

    /// Moves `position` past the letters, digits and `_` of a suffix.
    mutating func skipSuffix(_ text: Bytes) {
        while position < text.count, Lexer.isIdentPart(text[position]) { position += 1 }
    }

    func looksLikeDate(_ text: Bytes, at start: Int) -> Bool {
        // dddd-dd-dd not followed by another digit or letter (most numbers fail at the
        // first dash, tested first)
        guard start + 10 <= text.count, text[start + 4] == UInt8(ascii: "-") else { return false }
        for offset in 0..<10 {
            let byte = text[start + offset]
            if offset == 4 || offset == 7 ? byte != UInt8(ascii: "-") : !Lexer.isDigit(byte) { return false }
        }
        return !Lexer.isIdentPart(Lexer.at(text, start + 10))
    }

    mutating func scanNumber(_ text: Bytes) -> Token {
        let start = position
        if looksLikeDate(text, at: start) { return scanDate(text, start) }
        var digits = DecimalDigits()
        readDigits(text, into: &digits, afterPoint: false, underscores: true, commas: false)
        if decimalPointFollows(text) {
            position += 1
            readDigits(text, into: &digits, afterPoint: true, underscores: true, commas: false)
        }
        let numberEnd = position
        let next = Lexer.at(text, position)
        if next == UInt8(ascii: "%") {
            position += 1
            let value = digits.double ?? Double(digitText(start, numberEnd)) ?? 0
            return token(.percent, start, position, literal: .percent(value / 100))
        }
        if Lexer.isIdentStart(next) {
            skipSuffix(text)
            return finishSuffixed(text, digits, start: start, suffixStart: numberEnd)
        }
        guard let value = digits.double ?? Double(digitText(start, numberEnd)), value.isFinite else {
            report(.numberTooLarge(self.text(start, position)), start, position)
            return Token(.invalid, start, position)
        }
        return token(.number, start, position, literal: .number(value))
    }

    /// The digits between start and end without `_` (for numbers too long to value exactly
    /// from their digits).
    func digitText(_ start: Int, _ end: Int) -> String {
        String(text(start, end).filter { $0 != "_" })
    }

    /// A number with a suffix: money (`250k`), a duration (`90d`), or an error.
    mutating func finishSuffixed(_ text: Bytes, _ digits: DecimalDigits, start: Int, suffixStart: Int) -> Token {
        let suffix = Bytes(rebasing: text[suffixStart..<position])
        if let scale = Lexer.moneyScale(suffix) {
            guard let money = digits.money(scale: scale, currency: .unstated) else {
                report(.numberTooLarge(self.text(start, position)), start, position)
                return Token(.invalid, start, position)
            }
            return token(.money, start, position, literal: .money(money))
        }
        if let unit = Lexer.durationUnit(suffix) {
            guard digits.fractionCount == 0 else {
                report(.malformedNumber(self.text(start, position)), start, position)
                return Token(.invalid, start, position)
            }
            guard !digits.wholeOverflows, let count = Int32(exactly: digits.whole), let scaled = Int32(exactly: Int64(count) * Int64(unit.count)) else {
                report(.numberTooLarge(self.text(start, position)), start, position)
                return Token(.invalid, start, position)
            }
            let duration = unit.months ? Duration(months: scaled) : Duration(days: scaled)
            return token(.duration, start, position, literal: .duration(duration))
        }
        return reportSuffix(text, start: start, suffixStart: suffixStart)
    }

    /// Reports a suffix that makes no money or duration (`5m` is ambiguous).
    mutating func reportSuffix(_ text: Bytes, start: Int, suffixStart: Int) -> Token {
        let literalText = self.text(start, position)
        if position - suffixStart == 1, text[suffixStart] == UInt8(ascii: "m") {
            report(.ambiguousSuffix(literal: literalText), start, position)
        } else {
            report(.unknownSuffix(literal: literalText, suffix: self.text(suffixStart, position)), start, position)
        }
        return Token(.invalid, start, position)
    }

    /// How much a money suffix multiplies by: none, `k`/`K`, `M`, `B`/`bn`.
    static func moneyScale(_ suffix: Bytes) -> Int64? {
        switch suffix.count {
        case 0: return 1
        case 1:
            switch suffix[0] {
            case UInt8(ascii: "k"), UInt8(ascii: "K"): return 1_000
            case UInt8(ascii: "M"): return 1_000_000
            case UInt8(ascii: "B"): return 1_000_000_000
            default: return nil
            }
        case 2: return suffix[0] == UInt8(ascii: "b") && suffix[1] == UInt8(ascii: "n") ? 1_000_000_000 : nil
        default: return nil
        }
    }

    /// The unit a duration suffix counts in: `d`, `w`, `mo`, `q`, `y`.
    static func durationUnit(_ suffix: Bytes) -> (months: Bool, count: Int32)? {
        switch suffix.count {
        case 1:
            switch suffix[0] {
            case UInt8(ascii: "d"): return (false, 1)
            case UInt8(ascii: "w"): return (false, 7)
            case UInt8(ascii: "q"): return (true, 3)
            case UInt8(ascii: "y"): return (true, 12)
            default: return nil
            }
        case 2: return suffix[0] == UInt8(ascii: "m") && suffix[1] == UInt8(ascii: "o") ? (true, 1) : nil
        default: return nil
        }
    }

    /// Exact conversion of a decimal digit string (digits and at most one `.`) times a
    /// scale to cents, as the lexer reads an amount; nil for other text or too large.
    static func money(digits text: String, scale: Int64, currency: Currency) -> Money? {
        var digits = DecimalDigits(), afterPoint = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "."), !afterPoint {
                afterPoint = true
            } else if isDigit(byte) {
                digits.append(byte, afterPoint: afterPoint)
            } else {
                return nil
            }
        }
        return digits.money(scale: scale, currency: currency)
    }

    /// `whole` and `fraction / fractionScale` (below 1, at most 15 digits) times `scale`,
    /// in cents, rounded half up; nil when too large.
    static func money(whole: Int64, fraction: Int64, fractionScale: Int64, scale: Int64, currency: Currency) -> Money? {
        var (cents, overflow) = whole.multipliedReportingOverflow(by: scale * 100)
        if overflow { return nil }
        // Each fraction digit contributes scale*100 / 10^k cents, rounded at the end.
        if fraction > 0 {
            // In 128-bit integers: 15 digits times a billion dollars in cents is ~10^26.
            let product = Int128(fraction) * Int128(scale * 100)
            var quotient = product / Int128(fractionScale)
            if (product % Int128(fractionScale)) * 2 >= Int128(fractionScale) { quotient += 1 }
            (cents, overflow) = cents.addingReportingOverflow(Int64(quotient))
            if overflow { return nil }
        }
        return Money(cents: cents, currency: currency)
    }

    /// An amount after its currency sign: `$1,200`, `€1.2M`, `CHF 250k` (`position` is past
    /// the sign or the code and its space).
    mutating func scanMoney(_ text: Bytes, _ start: Int, currency: Currency) -> Token {
        // sign digits (',' ddd)* ('.' digits)? suffix?
        guard Lexer.isDigit(Lexer.at(text, position)) else {
            report(.malformedMoney(self.text(start, position)), start, position)
            return Token(.invalid, start, position)
        }
        var digits = DecimalDigits()
        readDigits(text, into: &digits, afterPoint: false, underscores: true, commas: true)
        if decimalPointFollows(text) {
            position += 1
            readDigits(text, into: &digits, afterPoint: true, underscores: false, commas: false)
        }
        let suffixStart = position
        if Lexer.isIdentStart(Lexer.at(text, position)) { skipSuffix(text) }
        guard let scale = Lexer.moneyScale(Bytes(rebasing: text[suffixStart..<position])) else {
            return reportSuffix(text, start: start, suffixStart: suffixStart)
        }
        guard let money = digits.money(scale: scale, currency: currency) else {
            report(.numberTooLarge(self.text(start, position)), start, position)
            return Token(.invalid, start, position)
        }
        return token(.money, start, position, literal: .money(money))
    }

    /// The two digits at start and start + 1 as a number (the caller has checked they are digits).
    func twoDigits(_ text: Bytes, _ start: Int) -> Int { Int(text[start] &- 48) * 10 + Int(text[start + 1] &- 48) }

    mutating func scanDate(_ text: Bytes, _ start: Int) -> Token {
        position = start + 10
        let year = twoDigits(text, start) * 100 + twoDigits(text, start + 2)
        let month = twoDigits(text, start + 5)
        let day = twoDigits(text, start + 8)
        guard let date = Day(year: year, month: month, day: day) else {
            let literalText = self.text(start, position)
            let reason: String
            if !(1...12).contains(month) { reason = "there is no month \(month)" }
            else if year < 1 { reason = "there is no year 0" }
            else { reason = "\(Lexer.monthNames[month - 1]) \(year) has \(Day.daysIn(month: month, year: year)) days" }
            report(.invalidDate(literal: literalText, reason: reason), start, position)
            return Token(.invalid, start, position)
        }
        return token(.date, start, position, literal: .date(date))
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]
}
