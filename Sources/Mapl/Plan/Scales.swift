// The methodology's typed scales: support, influence, coverage, political status,
// relationship level, buying roles, stages and the rest. Each value has a rank, so
// `support < neutral` and `stage >= proposal` mean what account teams mean.

/// One named value of a scale.
public struct ScaleValue: Sendable {
    public let name: String
    public let rank: Double
    public let aliases: [String]
    public let meaning: String
}

/// An enumerated scale. Ordered scales compare by rank; sets (like buying roles) only
/// test membership.
public final class Scale: Sendable {
    public let id: UInt8
    public let name: String
    public let values: [ScaleValue]
    public let isOrdered: Bool
    /// A numeric scale also takes plain numbers in this range (influence 0–10).
    public let numericRange: ClosedRange<Double>?
    /// Each name and alias, with its value's place in `values`.
    private let positions: [String: Int]

    init(id: UInt8, name: String, ordered: Bool, numeric: ClosedRange<Double>? = nil, _ values: [(String, Double, [String], String)]) {
        self.id = id
        self.name = name
        self.isOrdered = ordered
        self.numericRange = numeric
        self.values = values.map { ScaleValue(name: $0.0, rank: $0.1, aliases: $0.2, meaning: $0.3) }
        var positions: [String: Int] = [:]
        // (The first value with a name or alias keeps it, as a search in order would.)
        for (position, value) in self.values.enumerated() {
            for spelling in [value.name] + value.aliases where positions[spelling] == nil { positions[spelling] = position }
        }
        self.positions = positions
    }

    /// The value called `name` (or one of its aliases).
    public func value(named name: String) -> ScaleValue? {
        position(named: name).map { values[$0] }
    }

    /// Where the value called `name` (or one of its aliases) is in `values`.
    func position(named name: String) -> Int? { positions[name] }

    /// The canonical name for a rank, if a value has exactly that rank.
    public func name(forRank rank: Double) -> String? {
        values.first { $0.rank == rank }?.name
    }

    public var allNames: [String] { values.flatMap { [$0.name] + $0.aliases } }
}

/// A value on a scale, as stored in entity fields: `support: champion`, `influence: 7`.
public struct Level: Sendable, Equatable {
    public let scale: UInt8
    public let rank: Double
    /// Given as a number (`influence: 8`): shown as one, even where a name has that rank.
    public let isNumeric: Bool

    public init(scale: UInt8, rank: Double, isNumeric: Bool = false) {
        self.scale = scale
        self.rank = rank
        self.isNumeric = isNumeric
    }

    public static func == (a: Level, b: Level) -> Bool { a.scale == b.scale && a.rank == b.rank }

    public var scaleObject: Scale { Scales.all[Int(scale)] }

    /// `champion`, `high`, or the number for a level given as a number.
    public var name: String {
        if isNumeric {
            return scaleObject.numericRange == 0...1 ? formatPercent(rank) : formatNumber(rank)
        }
        return scaleObject.name(forRank: rank) ?? formatNumber(rank)
    }
}

/// Every scale mapl knows, by id.
public enum Scales {
    public static let support = Scale(id: 0, name: "support", ordered: true, [
        ("enemy", -2, ["blocker"], "works against us and our proposal"),
        ("non_supporter", -1, [], "prefers another outcome; will not help us"),
        ("neutral", 0, [], "no preference yet"),
        ("supporter", 1, [], "favours us when asked"),
        ("champion", 2, ["mentor"], "sells for us when we are not in the room"),
    ])
    public static let influence = Scale(id: 1, name: "influence", ordered: true, numeric: 0...10, [
        ("low", 3, [], "little say in decisions"),
        ("medium", 6, [], "is heard; can shape a decision"),
        ("high", 9, [], "decides or sways the decision"),
    ])
    public static let politicalStatus = Scale(id: 2, name: "political status", ordered: true, [
        ("outside", 0, [], "outside the political structure"),
        ("political_structure", 1, [], "part of the political structure"),
        ("inner_circle", 2, [], "in the inner circle of power"),
    ])
    public static let coverage = Scale(id: 3, name: "coverage", ordered: true, [
        ("unknown", 0, [], "we do not know how well we cover this person"),
        ("none", 1, [], "nobody on our team has met them"),
        ("brief", 2, [], "one short contact"),
        ("multiple", 3, [], "several contacts"),
        ("in_depth", 4, [], "regular, in-depth contact"),
    ])
    public static let relationship = Scale(id: 4, name: "relationship", ordered: true, [
        ("vendor", 1, [], "seen as one supplier among many"),
        ("credible_source", 2, [], "trusted for information"),
        ("problem_solver", 3, [], "brought in to solve problems"),
        ("trusted_advisor", 4, [], "consulted on strategy before decisions"),
    ])
    public static let buyingRole = Scale(id: 5, name: "buying role", ordered: false, [
        ("economic_buyer", 1, ["final_authority"], "gives final approval and controls the money"),
        ("user", 2, [], "uses or manages what we sell; judges its effect on the job"),
        ("technical", 3, [], "screens on specifications; can say no, not yes"),
        ("advisor", 4, [], "advises the decision makers"),
        ("coach", 5, [], "guides us through the sale"),
        ("champion", 6, [], "actively promotes our solution inside"),
        ("approver", 7, [], "must sign off"),
        ("evaluator", 8, [], "evaluates the options"),
    ])
    public static let stage = Scale(id: 6, name: "stage", ordered: true, [
        ("lost", 0, ["closed_lost"], "closed, not won"),
        ("prospecting", 1, ["lead"], "identified, not yet qualified"),
        ("qualification", 2, ["qualify"], "qualifying need, budget, authority, timing"),
        ("needs_analysis", 3, ["discovery", "develop"], "understanding needs and decision criteria"),
        ("proposal", 4, ["propose"], "proposal or quote presented"),
        ("negotiation", 5, ["negotiate"], "terms being negotiated"),
        ("won", 6, ["closed_won"], "closed and won"),
    ])
    public static let opportunityType = Scale(id: 7, name: "opportunity type", ordered: false, [
        ("new", 1, ["new_business"], "new business"),
        ("upsell", 2, [], "more of what they already buy"),
        ("cross_sell", 3, [], "another of our offerings"),
        ("renewal", 4, [], "renewal of an existing contract"),
    ])
    public static let actionStatus = Scale(id: 8, name: "action status", ordered: true, [
        ("open", 1, ["planned", "todo"], "not started"),
        ("in_progress", 2, ["started"], "under way"),
        ("blocked", 3, [], "cannot go on"),
        ("done", 4, ["complete"], "finished"),
        ("cancelled", 5, ["dropped"], "no longer needed"),
    ])
    public static let planStatus = Scale(id: 9, name: "plan status", ordered: true, [
        ("draft", 1, [], "being written"),
        ("submitted", 2, [], "submitted for approval"),
        ("in_review", 3, ["review"], "under review"),
        ("rejected", 4, [], "sent back: to be reworked and submitted again"),
        ("approved", 5, [], "approved and in force"),
    ])
    public static let unitKind = Scale(id: 10, name: "unit kind", ordered: false, [
        ("profit_center", 1, [], "earns revenue"),
        ("cost_center", 2, [], "spends budget"),
        ("division", 3, ["business_unit"], "a division or business unit"),
        ("function", 4, ["department"], "a function or department"),
    ])
    public static let presence = Scale(id: 11, name: "presence", ordered: true, [
        ("absent", 0, ["none"], "not present"),
        ("weak", 1, [], "small footprint"),
        ("moderate", 2, [], "established"),
        ("strong", 3, ["dominant"], "the incumbent"),
    ])
    public static let strength = Scale(id: 12, name: "strength", ordered: true, numeric: 0...1, [
        ("weak", 0.3, [], "sometimes listened to"),
        ("medium", 0.6, [], "usually listened to"),
        ("strong", 0.9, [], "almost always followed"),
    ])
    public static let strategy = Scale(id: 13, name: "strategy", ordered: false, [
        ("defend_and_grow", 1, [], "established with a strong position and growth: protect the base and expand"),
        ("land_and_expand", 2, [], "no foothold yet: win a first, small deal and grow from it"),
        ("direct_attack", 3, [], "we are clearly better: take business from the incumbent head on"),
        ("niche", 4, [], "focus on a segment where we can win"),
        ("change_the_game", 5, [], "change the buying criteria to ones we meet best"),
        ("maintain_and_support", 6, [], "low growth: keep the account healthy at low cost"),
        ("develop_over_time", 7, [], "no compelling event: build relationships and wait"),
    ])
    public static let whitespaceState = Scale(id: 14, name: "white space", ordered: false, [
        ("current", 1, ["installed"], "they buy this from us today"),
        ("open", 2, ["pipeline"], "an open opportunity"),
        ("potential", 3, [], "no deal yet, but a need we could meet"),
        ("na", 4, ["not_applicable"], "does not apply"),
    ])
    public static let swotKind = Scale(id: 15, name: "SWOT", ordered: false, [
        ("strength", 1, [], "our strength in this account"),
        ("weakness", 2, [], "our weakness in this account"),
        ("opportunity", 3, [], "an opportunity for us"),
        ("threat", 4, [], "a threat to us"),
    ])
    public static let month = Scale(id: 16, name: "month", ordered: true, [
        ("january", 1, ["jan"], "January"), ("february", 2, ["feb"], "February"), ("march", 3, ["mar"], "March"),
        ("april", 4, ["apr"], "April"), ("may", 5, [], "May"), ("june", 6, ["jun"], "June"),
        ("july", 7, ["jul"], "July"), ("august", 8, ["aug"], "August"), ("september", 9, ["sep"], "September"),
        ("october", 10, ["oct"], "October"), ("november", 11, ["nov"], "November"), ("december", 12, ["dec"], "December"),
    ])

    /// The built-in checks, by id (a plan's `skip_checks`).
    static let check = Scale(id: 17, name: "check", ordered: false,
                             PlanChecks.all.enumerated().map { ($0.element.id, Double($0.offset + 1), [], $0.element.summary) })

    /// The currencies a plan may be in, by ISO code (the rank is `Currency.index`).
    public static let currency = Scale(id: 18, name: "currency", ordered: false,
        Currency.known.enumerated().dropFirst().map { index, info in (info.code, Double(index), [], info.name) })

    public static let all: [Scale] = [
        support, influence, politicalStatus, coverage, relationship, buyingRole, stage, opportunityType,
        actionStatus, planStatus, unitKind, presence, strength, strategy, whitespaceState, swotKind, month, check, currency,
    ]

    /// Every value name on any scale: bare words that mean a scale value where no
    /// variable has that name (`support < neutral`).
    public static let valueNames: Set<String> = Set(all.flatMap(\.allNames))
}
