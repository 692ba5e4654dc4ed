// Currencies: which ones a plan may be in, how their amounts are written and read, and
// how an amount in one reaches another through the plan's declared rates.

/// A currency, as an index into `Currency.known` (one byte, so money stays small).
/// Index 0 is the plan's currency before it is known: what an amount written without a
/// symbol or code (`250k`) means. It is settled when the amount enters a plan, so no
/// running program or stored field holds it.
public struct Currency: Hashable, Sendable {
    public let index: UInt8

    init(index: UInt8) { self.index = index }

    /// An amount written without a symbol or code: the plan's currency.
    public static let unstated = Currency(index: 0)
    /// US dollars: a plan's currency unless its account says otherwise, and what `$` means.
    public static let usd = Currency(index: 1)

    struct Info {
        let code: String
        /// The sign written before amounts (`€1.2M`); nil for a code-only currency,
        /// whose amounts are written `CHF 1.2M`.
        let symbol: String?
        let name: String
    }

    /// The currencies mapl knows. `$` is only ever US dollars: other dollars are written
    /// with their code (`CAD 250k`), so an amount never changes currency by accident.
    static let known: [Info] = [
        Info(code: "", symbol: nil, name: "the plan's currency"),
        Info(code: "USD", symbol: "$", name: "US dollar"),
        Info(code: "EUR", symbol: "€", name: "euro"),
        Info(code: "GBP", symbol: "£", name: "pound sterling"),
        Info(code: "JPY", symbol: "¥", name: "Japanese yen"),
        Info(code: "INR", symbol: "₹", name: "Indian rupee"),
        Info(code: "KRW", symbol: "₩", name: "South Korean won"),
        Info(code: "ILS", symbol: "₪", name: "Israeli shekel"),
        Info(code: "CHF", symbol: nil, name: "Swiss franc"),
        Info(code: "CAD", symbol: nil, name: "Canadian dollar"),
        Info(code: "AUD", symbol: nil, name: "Australian dollar"),
        Info(code: "NZD", symbol: nil, name: "New Zealand dollar"),
        Info(code: "SEK", symbol: nil, name: "Swedish krona"),
        Info(code: "NOK", symbol: nil, name: "Norwegian krone"),
        Info(code: "DKK", symbol: nil, name: "Danish krone"),
        Info(code: "PLN", symbol: nil, name: "Polish złoty"),
        Info(code: "CZK", symbol: nil, name: "Czech koruna"),
        Info(code: "HUF", symbol: nil, name: "Hungarian forint"),
        Info(code: "CNY", symbol: nil, name: "Chinese yuan"),
        Info(code: "HKD", symbol: nil, name: "Hong Kong dollar"),
        Info(code: "SGD", symbol: nil, name: "Singapore dollar"),
        Info(code: "BRL", symbol: nil, name: "Brazilian real"),
        Info(code: "MXN", symbol: nil, name: "Mexican peso"),
        Info(code: "ZAR", symbol: nil, name: "South African rand"),
        Info(code: "AED", symbol: nil, name: "UAE dirham"),
        Info(code: "SAR", symbol: nil, name: "Saudi riyal"),
        Info(code: "TRY", symbol: nil, name: "Turkish lira"),
    ]

    private static let byCode: [String: Currency] = {
        var table: [String: Currency] = [:]
        for (index, info) in known.enumerated() where index > 0 { table[info.code] = Currency(index: UInt8(index)) }
        return table
    }()

    /// The currency with this ISO 4217 code, if mapl knows it.
    public init?(code: String) {
        guard let found = Currency.byCode[code] else { return nil }
        self = found
    }

    /// The currency a level of `Scales.currency` names.
    init?(_ level: Level) {
        guard level.scale == Scales.currency.id, level.rank >= 1, level.rank < Double(Currency.known.count) else { return nil }
        self.init(index: UInt8(level.rank))
    }

    var info: Currency.Info { Currency.known[Int(index)] }

    /// `EUR`; empty for the unstated currency.
    public var code: String { info.code }

    /// What an amount is written after: `€`, or `CHF ` for a code-only currency.
    var prefix: String { info.symbol ?? (index == 0 ? "" : info.code + " ") }

    /// The currency whose symbol the UTF-8 bytes at `offset` spell, and the symbol's
    /// length (the lexer's test for `€`, `£`, `¥`, `₹`, `₩`, `₪`; `$` it tests itself).
    static func symbol(in bytes: SourceBytes, at offset: Int) -> (Currency, length: Int)? {
        let lead = bytes[offset]
        guard lead == 0xC2 || lead == 0xE2 else { return nil }
        for (index, info) in known.enumerated() {
            guard let symbol = info.symbol, symbol != "$" else { continue }
            let utf8 = symbol.utf8
            guard offset + utf8.count <= bytes.count else { continue }
            if zip(utf8, offset..<offset + utf8.count).allSatisfy({ $0 == bytes[$1] }) {
                return (Currency(index: UInt8(index)), utf8.count)
            }
        }
        return nil
    }
}

/// The currency a plan is in and what other currencies are worth in it. Amounts written
/// in another currency are converted where they enter the plan (a field, a literal in
/// code); amounts from two currencies meeting in arithmetic are an error.
public struct CurrencyRates: Sendable {
    /// The plan's currency (the account's `currency`; US dollars when not given).
    public var currency: Currency = .usd
    /// What one unit of each other currency is worth in the plan's currency.
    var rates: [Currency: Double] = [:]

    public init() {}

    /// `amount` in `target` (the unstated currency is the plan's): unchanged when already
    /// there, else through the rates; the problem when a rate is not declared or the
    /// result is too large for money.
    func convert(_ amount: Money, to target: Currency) -> Result<Money, DiagnosticKind> {
        let from = amount.currency == .unstated ? currency : amount.currency
        let to = target == .unstated ? currency : target
        if from == to { return .success(Money(cents: amount.cents, currency: to)) }
        guard let fromRate = from == currency ? 1 : rates[from] else { return .failure(.noExchangeRate(from: from.code, to: currency.code)) }
        guard let toRate = to == currency ? 1 : rates[to] else { return .failure(.noExchangeRate(from: to.code, to: currency.code)) }
        guard let converted = amount.with(cents: amount.cents).scaled(by: fromRate / toRate).map({ Money(cents: $0.cents, currency: to) }) else {
            return .failure(.overflow("money amount"))
        }
        return .success(converted)
    }

    /// An amount in the plan's currency, or why it cannot be.
    func inPlanCurrency(_ amount: Money) -> Result<Money, DiagnosticKind> { convert(amount, to: currency) }
}
