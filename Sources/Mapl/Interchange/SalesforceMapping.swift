// How Salesforce values become mapl values: stages and opportunity types onto mapl's
// scales, amounts, probabilities and close dates as exported by Data Loader or reports.
// Each parser returns nil for a value it cannot read; the importer reports the row.

import Foundation

enum SalesforceMapping {
    /// The standard Salesforce sales process onto mapl's seven stages. Salesforce has
    /// four stages between qualification and proposal; mapl counts them all as needs
    /// analysis (the deal is still being shaped). Keys are normalized (see `key`).
    static let stages: [String: String] = [
        "prospecting": "prospecting",
        "qualification": "qualification",
        "needs_analysis": "needs_analysis",
        "value_proposition": "needs_analysis",
        "id_decision_makers": "needs_analysis",
        "perception_analysis": "needs_analysis",
        "proposal_price_quote": "proposal",
        "negotiation_review": "negotiation",
        "closed_won": "won",
        "closed_lost": "lost",
    ]

    /// The Salesforce stage names, for the hint on an unknown one.
    static let stageNames = "Prospecting, Qualification, Needs Analysis, Value Proposition, Id. Decision Makers, Perception Analysis, Proposal/Price Quote, Negotiation/Review, Closed Won, Closed Lost"

    /// The mapl stage for a Salesforce StageName: a standard Salesforce stage, or a
    /// mapl stage name or alias (`Discovery`, `Negotiation`), in any case and spacing.
    static func stage(_ name: String) -> String? {
        let normalized = key(name)
        if let stage = stages[normalized] { return stage }
        return Scales.stage.value(named: normalized)?.name
    }

    /// Salesforce's default Type picklist, common custom values, and mapl's own names.
    static let types: [String: String] = [
        "new_customer": "new", "new_business": "new", "new_logo": "new", "new": "new",
        "existing_customer_upgrade": "upsell", "upgrade": "upsell", "upsell": "upsell", "up_sell": "upsell",
        "add_on": "upsell", "existing_business": "upsell", "expansion": "upsell",
        "existing_customer_replacement": "renewal", "existing_customer_downgrade": "renewal", "renewal": "renewal",
        "cross_sell": "cross_sell", "crosssell": "cross_sell",
    ]

    static func type(_ name: String) -> String? { types[key(name)] }

    /// `Id. Decision Makers` → `id_decision_makers`: lower case, runs of other
    /// characters as one underscore.
    static func key(_ text: String) -> String {
        var out = ""
        var pending = false
        for scalar in text.lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                if pending && !out.isEmpty { out += "_" }
                pending = false
                out.unicodeScalars.append(scalar)
            } else {
                pending = true
            }
        }
        return out
    }

    /// The stage a custom stage name's row implies, from the row's own columns: won or
    /// lost when the row is closed; else the stage whose default chance is nearest its
    /// probability; else what its forecast category says (Commit: negotiation, Best Case:
    /// proposal). nil when they do not say enough.
    static func inferredStage(isWon: String?, isClosed: String?, probability: Double?, forecast: String?) -> String? {
        let won = isWon.map(truth), closed = isClosed.map(truth)
        if won == true { return "won" }
        if closed == true { return "lost" }
        if let probability {
            if probability >= 1 { return "won" }
            let open = ["prospecting", "qualification", "needs_analysis", "proposal", "negotiation"]
            return open.min { abs(chance(of: $0) - probability) < abs(chance(of: $1) - probability) }
        }
        switch forecast.map(key) {
        case "closed": return "won"
        case "commit": return "negotiation"
        case "best_case": return "proposal"
        default: return nil
        }
    }

    /// A stage's default chance of winning (as `WinChance` gives it).
    private static func chance(of stage: String) -> Double {
        Scales.stage.value(named: stage).flatMap { WinChance.defaults[$0.rank] } ?? 0
    }

    /// `true`, `1`, `yes` (any case): a checkbox column's value.
    static func truth(_ text: String) -> Bool {
        ["true", "1", "yes", "y", "x"].contains(text.lowercased())
    }

    /// The currency a report writes before an amount (`USD 1,200`, `€1.200`, `£1,200`).
    static func currency(before text: String) -> Currency? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let code = String(trimmed.prefix(3))
        if code.count == 3, code.allSatisfy({ $0.isUppercase && $0.isASCII }), let currency = Currency(code: code) { return currency }
        for (index, info) in Currency.known.enumerated() {
            if let symbol = info.symbol, trimmed.hasPrefix(symbol) { return Currency(index: UInt8(index)) }
        }
        return nil
    }

    /// `1200000`, `1,200,000.50`, `$1200000`, `USD 1200000`: a non-negative amount, its
    /// currency the plan's (the caller works out which currency it was in).
    static func amount(_ text: String) -> Money? {
        var text = text.trimmingCharacters(in: .whitespaces)
        // A currency code or symbol in front (report exports add one).
        while let first = text.unicodeScalars.first, !CharacterSet.decimalDigits.contains(first) && first != "-" && first != "." {
            text.unicodeScalars.removeFirst()
        }
        text = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !text.isEmpty,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              !(parts[0].isEmpty && parts.count == 1) else { return nil }
        return Lexer.money(digits: text, scale: 1, currency: .unstated)
    }

    /// `55`, `55.5`, `55%`: a percentage from 0 to 100, as a fraction.
    static func probability(_ text: String) -> Double? {
        var text = text.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("%") { text.removeLast() }
        guard let number = Double(text.trimmingCharacters(in: .whitespaces)), (0...100).contains(number) else { return nil }
        return number / 100
    }

    /// `2027-02-26` (also with a time after it) or `2/26/2027` (month first, as US
    /// exports write it; day first when the first number cannot be a month).
    static func date(_ text: String) -> Day? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.count >= 10, text.dropFirst(4).first == "-" {
            let parts = text.prefix(10).split(separator: "-").compactMap { Int($0) }
            let rest = text.dropFirst(10)
            guard parts.count == 3, rest.isEmpty || rest.first == "T" || rest.first == " " else { return nil }
            return Day(year: parts[0], month: parts[1], day: parts[2])
        }
        let parts = text.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 3, text.split(separator: "/").count == 3, parts[2] >= 1000 else { return nil }
        let (month, day) = parts[0] > 12 ? (parts[1], parts[0]) : (parts[0], parts[1])
        return Day(year: parts[2], month: month, day: day)
    }

    /// A Salesforce record id for lookups: an 18-character id and its 15-character
    /// form name the same record.
    static func recordKey(_ id: String) -> String {
        id.count == 18 ? String(id.prefix(15)) : id
    }
}
