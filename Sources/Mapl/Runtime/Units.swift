// The unit-carrying values people type in plans: money, calendar days and durations.

/// An amount of money in cents of its currency. Integer cents keep sums exact; products
/// with rates round half away from zero to the cent.
public struct Money: Hashable, Comparable, Sendable {
    public var cents: Int64
    public var currency: Currency

    public init(cents: Int64, currency: Currency) {
        self.cents = cents
        self.currency = currency
    }

    /// Orders amounts by cents; only amounts of one currency are compared (`Value` and
    /// the operators refuse two currencies before they get here).
    public static func < (a: Money, b: Money) -> Bool { a.cents < b.cents }

    /// The amount in whole currency units, as a double (for scoring and ratios).
    public var amount: Double { Double(cents) / 100 }

    /// Rounds a double amount of currency units to cents; nil when it does not fit.
    public init?(amount: Double, currency: Currency) {
        let cents = (amount * 100).rounded(.toNearestOrAwayFromZero)
        guard cents.isFinite, abs(cents) < 9.2e18 else { return nil }
        self.cents = Int64(cents)
        self.currency = currency
    }

    /// The same currency, another number of cents.
    func with(cents: Int64) -> Money { Money(cents: cents, currency: currency) }

    /// The amount times `factor`, rounded half away from zero to the cent; nil when it
    /// does not fit. Exact for every amount money holds: the factor's binary value is
    /// multiplied in 128-bit integers, not through a double of the amount (which loses
    /// cents past 2^53 of them).
    func scaled(by factor: Double) -> Money? {
        guard factor.isFinite else { return nil }
        if factor == 0 || cents == 0 { return with(cents: 0) }
        // factor = ±significand × 2^exponent, significand a 53-bit integer.
        let significand = factor.isNormal ? (factor.significandBitPattern | (1 << 52)) : factor.significandBitPattern
        let exponent = Int(factor.exponent) - 52 + (factor.isNormal ? 0 : 1)
        let magnitude = Int128(cents.magnitude) * Int128(significand)  // < 2^116
        let negative = (cents < 0) != (factor < 0)
        var result: Int128
        if exponent >= 0 {
            // (A larger exponent times a 53-bit significand is past Int64 anyway.)
            guard exponent <= 10 else { return nil }
            result = magnitude << exponent
        } else if -exponent >= 120 {
            result = 0
        } else {
            let shift = -exponent
            result = magnitude >> shift
            if (magnitude >> (shift - 1)) & 1 == 1 { result += 1 }  // half or more: away from zero
        }
        guard result <= Int128(Int64.max) else { return nil }
        return with(cents: negative ? -Int64(result) : Int64(result))
    }

    /// The amount divided by `divisor`: exact (rounded half away from zero) for a whole
    /// divisor, else through its reciprocal; nil for 0 or a result that does not fit.
    func divided(by divisor: Double) -> Money? {
        guard divisor != 0, divisor.isFinite else { return nil }
        if divisor == divisor.rounded(), abs(divisor) < 9.2e18 {
            let whole = Int128(Int64(divisor))
            let magnitude = Int128(cents.magnitude), size = whole.magnitude
            var quotient = magnitude / Int128(size)
            if (magnitude % Int128(size)) * 2 >= Int128(size) { quotient += 1 }
            guard quotient <= Int128(Int64.max) else { return nil }
            return with(cents: (cents < 0) != (whole < 0) ? -Int64(quotient) : Int64(quotient))
        }
        return scaled(by: 1 / divisor)
    }

    /// `$1,200`, `€1,200.50`, `-£35`, `CHF 1,200`.
    public var formatted: String {
        let magnitude = cents.magnitude
        let whole = magnitude / 100, fraction = magnitude % 100
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        grouped = digits + grouped
        let cents = fraction == 0 ? "" : "." + (fraction < 10 ? "0" : "") + String(fraction)
        return (self.cents < 0 ? "-" : "") + currency.prefix + grouped + cents
    }
}

/// A calendar day, counted from 1970-01-01 (proleptic Gregorian).
public struct Day: Hashable, Comparable, Sendable {
    public var ordinal: Int32

    public init(ordinal: Int32) { self.ordinal = ordinal }

    public static func < (a: Day, b: Day) -> Bool { a.ordinal < b.ordinal }

    /// The day for a valid year, month and day; nil when the date does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Day.daysIn(month: month, year: year)).contains(day) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        ordinal = Int32(era * 146097 + dayOfEra - 719468)
    }

    /// Year, month and day (Hinnant's civil_from_days).
    public var civil: (year: Int, month: Int, day: Int) {
        let z = Int(ordinal) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Moves by calendar months, clamping the day to the month's end (Jan 31 + 1mo = Feb 28).
    public func adding(months: Int) -> Day? {
        let (year, month, day) = civil
        let total = year * 12 + (month - 1) + months
        let newYear = total / 12, newMonth = total % 12 + 1
        guard (1...9999).contains(newYear) else { return nil }
        return Day(year: newYear, month: newMonth, day: min(day, Day.daysIn(month: newMonth, year: newYear)))
    }

    /// `2027-03-31`.
    public var formatted: String {
        let (year, month, day) = civil
        func pad(_ n: Int, _ width: Int) -> String {
            let text = String(n)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}

/// A span of time: calendar months (from mo, q, y) plus days (from d, w).
/// Months stay months so that `2027-01-31 + 1mo` lands on the last day of February.
/// Comparing durations that mix the two counts a month as 30 days.
public struct Duration: Hashable, Sendable {
    public var months: Int32
    public var days: Int32

    public init(months: Int32 = 0, days: Int32 = 0) {
        self.months = months
        self.days = days
    }

    /// Approximate length in days, used only to order durations.
    public var approximateDays: Int64 { Int64(months) * 30 + Int64(days) }

    /// `90d`, `3mo`, `1y`, `1y 2mo 3d`.
    public var formatted: String {
        if months == 0 && days == 0 { return "0d" }
        var parts: [String] = []
        let negative = months < 0 || (months == 0 && days < 0)
        let m = abs(Int(months)), d = abs(Int(days))
        if m >= 12, m % 12 == 0 { parts.append("\(m / 12)y") }
        else if m > 12 { parts.append("\(m / 12)y"); parts.append("\(m % 12)mo") }
        else if m > 0 { parts.append("\(m)mo") }
        if d > 0 { parts.append(d % 7 == 0 && d >= 7 && m == 0 ? "\(d / 7)w" : "\(d)d") }
        return (negative ? "-" : "") + parts.joined(separator: " ")
    }
}

/// Appends a whole number's decimal digits (as `formatNumber` writes it).
func appendDigits(_ number: Int64, to bytes: inout [UInt8]) {
    if number < 0 { bytes.append(UInt8(ascii: "-")) }
    var magnitude = number.magnitude
    let start = bytes.count
    repeat {
        bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
        magnitude /= 10
    } while magnitude > 0
    // Written lowest digit first: turned around in place.
    bytes.withUnsafeMutableBufferPointer { buffer in
        var (low, high) = (start, buffer.count - 1)
        while low < high {
            buffer.swapAt(low, high)
            (low, high) = (low + 1, high - 1)
        }
    }
}

/// The number as a whole number, when it is one that prints without a decimal point.
@inline(__always)
func printedWhole(_ value: Double) -> Int64? {
    value == value.rounded() && abs(value) < 1e15 ? Int64(value) : nil
}

/// Formats a double the way people write it: integers without a decimal point.
func formatNumber(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    if let whole = printedWhole(value) { return String(whole) }
    return String(value)
}

/// `40%`, `12.5%`: a fraction shown as a percentage with at most two decimals.
func formatPercent(_ fraction: Double) -> String {
    let scaled = (fraction * 100 * 100).rounded() / 100
    return formatNumber(scaled) + "%"
}
