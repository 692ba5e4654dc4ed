// The account-plan schema: every kind of entity a plan declares, with its typed fields.
// This table is the single source for validation, field access, help and export.

/// The type of one field, used to check declarations and to convert bare words.
public enum FieldType: Sendable {
    case text
    case texts
    case number
    case money
    case percent
    case date
    case duration
    case bool
    /// One value on a scale; bare words are checked against it.
    case level(Scale)
    /// Several values on a scale (a person's buying roles).
    case levels(Scale)
    /// One entity of one of these kinds.
    case ref([String])
    case refs([String])
    /// `{id: value}`: a value per entity (a competitor's presence per unit).
    indirect case refMap([String], FieldType)
    /// `{level: value}`: a value per level of a scale (a plan's probability per stage).
    indirect case levelMap(Scale, FieldType)
    /// A function (a criterion's score), with its parameter count.
    case function(Int)
    /// Money, a number or a percentage (an objective's target).
    case measure

    /// How the type reads in messages: "a date", "a stakeholder".
    public var description: String {
        switch self {
        case .text: return "text"
        case .texts: return "a list of texts"
        case .number: return "a number"
        case .money: return "money"
        case .percent: return "a percentage"
        case .date: return "a date"
        case .duration: return "a duration"
        case .bool: return "true or false"
        case .level(let scale): return article(scale.name) + " level"
        case .levels(let scale): return "a list of \(scale.name)s"
        case .ref(let kinds): return kinds.map(article).joined(separator: " or ")
        case .refs(let kinds): return "a list of " + kinds.map { Schema.kind(named: $0)?.plural ?? $0 }.joined(separator: " or ")
        case .refMap(let kinds, let value): return "a record of \(kinds.joined(separator: "/")) ids to \(value.description)"
        case .levelMap(let scale, let value): return "a record of \(scale.name)s to \(value.description)"
        case .function(let arity): return "a function of \(arity) argument\(arity == 1 ? "" : "s")"
        case .measure: return "money, a number or a percentage"
        }
    }
}

/// One declared field of an entity kind.
public struct FieldSpec: Sendable {
    public let name: String
    public let type: FieldType
    public let doc: String
}

/// A kind of plan entity: `stakeholder`, `opportunity`, …
public final class EntityKind: Sendable {
    /// The declaration keyword.
    public let name: String
    /// The name of the collection of all entities of this kind (`stakeholders`).
    public let plural: String
    public let fields: [FieldSpec]
    let index: [String: Int]
    /// Declared at most once (account, strategy, plan, swot); reachable by its keyword.
    public let isSingleton: Bool
    /// Columns shown when a list of these entities prints as a table.
    public let columns: [String]
    public let doc: String
    let ordinal: Int

    init(_ ordinal: Int, _ name: String, plural: String, singleton: Bool = false, columns: [String], doc: String, _ fields: [FieldSpec]) {
        self.ordinal = ordinal
        self.name = name
        self.plural = plural
        self.isSingleton = singleton
        self.columns = columns
        self.doc = doc
        self.fields = fields
        var index: [String: Int] = [:]
        for (position, field) in fields.enumerated() { index[field.name] = position }
        self.index = index
    }

    public func field(_ name: String) -> FieldSpec? { index[name].map { fields[$0] } }
}

private func f(_ name: String, _ type: FieldType, _ doc: String) -> FieldSpec {
    FieldSpec(name: name, type: type, doc: doc)
}

/// All entity kinds, in the order a plan document presents them.
public enum Schema {
    public static let kinds: [EntityKind] = [
        EntityKind(0, "account", plural: "accounts", singleton: true, columns: ["id", "name", "industry", "revenue_this_year", "revenue_goal"],
                   doc: "the account profile", [
            f("industry", .text, "the industry the account is in"),
            f("hq", .text, "headquarters"),
            f("locations", .texts, "other locations"),
            f("mission", .text, "the account's mission statement"),
            f("vision", .text, "our vision for the account"),
            f("kpis", .texts, "the account's key performance indicators"),
            f("trends", .texts, "industry trends that affect the account"),
            f("currency", .level(Scales.currency), "the plan's currency (USD when not given): amounts are shown in it, and an amount written in another currency is converted at the plan's rates where it is written"),
            f("rates", .levelMap(Scales.currency, .number), "what one unit of each other currency is worth in the plan's currency, written as numbers: rates: { USD: 0.92 } in a plan in EUR"),
            f("revenue_last_year", .money, "our revenue from the account last year"),
            f("revenue_this_year", .money, "our revenue from the account this year so far, as finance reports it (shown as written; pipeline() counts won deals instead)"),
            f("revenue_goal", .money, "our revenue goal for the plan period"),
            f("close_ratio", .percent, "the share of qualified pipeline we usually win"),
            f("booked_outside_deals", .money, "revenue in the plan period booked outside the plan's deals (run-rate orders, small sales): added to won"),
            f("wallet", .money, "what the account spends a year in our category (share_of_wallet() sets our revenue against it)"),
            f("fiscal_year_start", .level(Scales.month), "the month our fiscal year starts in (january when not given): the plan period is the fiscal year containing today unless the plan states one"),
            f("challenges", .texts, "the challenges we face in the account (the one-page plan)"),
            f("questions", .texts, "key questions the team must still answer"),
        ]),
        EntityKind(1, "event", plural: "events", columns: ["date", "name"], doc: "a dated event in the account's history", [
            f("date", .date, "when it happened"),
            f("note", .text, "what it meant"),
        ]),
        EntityKind(2, "unit", plural: "units", columns: ["id", "name", "kind", "parent"], doc: "a business unit, division, profit or cost centre", [
            f("parent", .ref(["unit"]), "the unit this one belongs to"),
            f("kind", .level(Scales.unitKind), "profit_center, cost_center, division or function"),
            f("head", .ref(["stakeholder"]), "who runs it"),
            f("revenue", .money, "the unit's own revenue"),
            f("wallet", .money, "what the unit spends a year in our category"),
            f("note", .text, "anything else"),
        ]),
        EntityKind(3, "offering", plural: "offerings", columns: ["id", "name", "family"], doc: "one of our products or services", [
            f("family", .text, "the product family"),
            f("note", .text, "anything else"),
        ]),
        EntityKind(4, "stakeholder", plural: "stakeholders", columns: ["id", "name", "title", "unit", "roles", "influence", "support", "coverage"],
                   doc: "a person at the account who matters to our business", [
            f("title", .text, "job title"),
            f("unit", .ref(["unit"]), "the unit they work in"),
            f("reports_to", .ref(["stakeholder"]), "their manager (the formal line)"),
            f("roles", .levels(Scales.buyingRole), "buying roles: economic_buyer, user, technical, advisor, coach, champion, approver, evaluator"),
            f("influence", .level(Scales.influence), "low, medium, high, or 0 to 10"),
            f("support", .level(Scales.support), "enemy, non_supporter, neutral, supporter, champion"),
            f("status", .level(Scales.politicalStatus), "outside, political_structure, inner_circle"),
            f("coverage", .level(Scales.coverage), "unknown, none, brief, multiple, in_depth"),
            f("relationship", .level(Scales.relationship), "our relationship now: vendor, credible_source, problem_solver, trusted_advisor"),
            f("desired_relationship", .level(Scales.relationship), "the relationship we aim for"),
            f("criteria", .texts, "what is important to them"),
            f("strategy", .text, "our strategy to meet their criteria"),
            f("last_contact", .date, "when one of us last spoke with them"),
            f("email", .text, "email address"),
            f("note", .text, "anything else"),
            f("crm_id", .text, "the person's record id in the CRM (a Salesforce Contact Id): `mapl import salesforce --update` matches by it"),
        ]),
        EntityKind(5, "influence", plural: "influences", columns: ["from", "to", "strength"], doc: "an informal line of influence: who sways whom", [
            f("from", .ref(["stakeholder"]), "who has the influence"),
            f("to", .ref(["stakeholder"]), "whom they influence"),
            f("strength", .level(Scales.strength), "weak, medium, strong, or a share like 70%"),
            f("note", .text, "anything else"),
        ]),
        EntityKind(6, "conflict", plural: "conflicts", columns: ["from", "to", "note"], doc: "a line of conflict between two people", [
            f("from", .ref(["stakeholder"]), "one side"),
            f("to", .ref(["stakeholder"]), "the other side"),
            f("note", .text, "what the conflict is about"),
        ]),
        EntityKind(7, "member", plural: "team", columns: ["id", "name", "role", "capacity", "covers"], doc: "a member of our account team", [
            f("role", .text, "their role on the account team"),
            f("capacity", .number, "hours they can give the account this period"),
            f("covers", .refs(["stakeholder"]), "the stakeholders they cover"),
            f("email", .text, "email address"),
        ]),
        EntityKind(8, "partner", plural: "partners", columns: ["id", "name", "value_to_us", "value_to_them"], doc: "a partner we work the account with", [
            f("value_to_us", .text, "what the partner brings us"),
            f("value_to_them", .text, "what we bring the partner"),
            f("covers", .refs(["stakeholder"]), "stakeholders the partner covers"),
        ]),
        EntityKind(9, "driver", plural: "drivers", columns: ["id", "name"], doc: "a business driver of the account", [
            f("note", .text, "anything else"),
        ]),
        EntityKind(10, "initiative", plural: "initiatives", columns: ["id", "name", "driver", "sponsor", "budget", "due"], doc: "a business initiative the account runs", [
            f("driver", .ref(["driver"]), "the driver behind it"),
            f("sponsor", .ref(["stakeholder"]), "who sponsors it"),
            f("unit", .ref(["unit"]), "where it runs"),
            f("budget", .money, "its budget"),
            f("due", .date, "when it must deliver"),
            f("note", .text, "anything else"),
        ]),
        EntityKind(11, "pain", plural: "pains", columns: ["id", "name", "initiative", "owner"], doc: "a pain an initiative must relieve", [
            f("initiative", .ref(["initiative"]), "the initiative it belongs to"),
            f("owner", .ref(["stakeholder"]), "who feels it"),
            f("cost", .money, "what it costs the account"),
            f("note", .text, "anything else"),
        ]),
        EntityKind(12, "opportunity", plural: "opportunities", columns: ["id", "name", "stage", "value", "probability", "close", "unit", "offering"],
                   doc: "a sales opportunity", [
            f("value", .money, "the deal's value"),
            f("stage", .level(Scales.stage), "prospecting, qualification, needs_analysis, proposal, negotiation, won, lost"),
            f("probability", .percent, "the chance of winning"),
            f("close", .date, "the expected close date"),
            f("unit", .ref(["unit"]), "the buying unit"),
            f("offering", .ref(["offering"]), "what we sell"),
            f("initiative", .ref(["initiative"]), "the initiative it serves"),
            f("type", .level(Scales.opportunityType), "new, upsell, cross_sell, renewal"),
            f("competitors", .refs(["competitor"]), "who we compete with"),
            f("criteria", .texts, "the customer's decision criteria"),
            f("differentiators", .texts, "why we should win (our strengths in the deal)"),
            f("next_step", .text, "the next step"),
            f("red_flags", .texts, "what could lose the deal: missing information, doubts, threats"),
            f("compelling_event", .text, "why the customer must act by a date"),
            f("decision_process", .text, "how and by whom the decision is made"),
            f("funding", .text, "where the money comes from, and whether it is approved"),
            f("partners", .refs(["partner"]), "partners working the deal with us"),
            f("egp", .money, "expected gross profit"),
            f("hours", .number, "hours our team needs to win it"),
            f("fit", .number, "strategic fit, 0 to 10"),
            f("owner", .ref(["member"]), "who on our team owns it"),
            f("renews", .ref(["contract"]), "the contract a renewal renews"),
            f("involves", .refMap(["stakeholder"], .levels(Scales.buyingRole)), "the people in the deal and their roles in it"),
            f("note", .text, "anything else"),
            f("crm_id", .text, "the deal's record id in the CRM (a Salesforce Opportunity Id): `mapl import salesforce --update` matches by it"),
        ]),
        EntityKind(13, "contract", plural: "contracts", columns: ["id", "name", "unit", "offering", "annual_value", "renewal"], doc: "recurring revenue: an existing contract", [
            f("unit", .ref(["unit"]), "the unit that pays"),
            f("offering", .ref(["offering"]), "what it covers"),
            f("annual_value", .money, "its value per year"),
            f("start", .date, "when it started"),
            f("renewal", .date, "when it renews"),
        ]),
        EntityKind(14, "competitor", plural: "competitors", columns: ["id", "name", "presence"], doc: "a competitor in the account", [
            f("presence", .refMap(["unit"], .level(Scales.presence)), "their presence per unit: absent, weak, moderate, strong"),
            f("strengths", .texts, "their strengths"),
            f("weaknesses", .texts, "their weaknesses"),
        ]),
        EntityKind(15, "swot", plural: "swots", singleton: true, columns: ["strengths", "weaknesses", "opportunities", "threats"], doc: "our SWOT in the account", [
            f("strengths", .texts, "our strengths"),
            f("weaknesses", .texts, "our weaknesses"),
            f("opportunities", .texts, "opportunities for us"),
            f("threats", .texts, "threats to us"),
        ]),
        EntityKind(16, "whitespace", plural: "whitespace", columns: ["unit", "offering", "state", "value"], doc: "a white-space cell: a unit × offering", [
            f("unit", .ref(["unit"]), "the unit"),
            f("offering", .ref(["offering"]), "the offering"),
            f("state", .level(Scales.whitespaceState), "current, open, potential, na"),
            f("value", .money, "estimated value of the potential"),
            f("note", .text, "anything else"),
        ]),
        EntityKind(17, "criterion", plural: "criteria", columns: ["id", "name", "weight"], doc: "a prioritization criterion", [
            f("weight", .measure, "its weight (a percentage or a number)"),
            f("score", .function(1), "fn(o) => a score from 0 to 1 for opportunity o"),
            f("note", .text, "anything else"),
        ]),
        EntityKind(18, "strategy", plural: "strategies", singleton: true, columns: ["primary", "secondary"], doc: "the account strategy", [
            f("primary", .level(Scales.strategy), "one of the seven strategies"),
            f("secondary", .levels(Scales.strategy), "further strategies"),
            f("rationale", .text, "why"),
        ]),
        EntityKind(19, "objective", plural: "objectives", columns: ["id", "name", "target", "due", "owner"], doc: "a SMART objective", [
            f("measure", .text, "what is measured"),
            f("target", .measure, "the measurable target"),
            f("current", .measure, "where we are now"),
            f("due", .date, "the due date"),
            f("owner", .ref(["member"]), "who owns it"),
        ]),
        EntityKind(20, "action", plural: "actions", columns: ["id", "name", "owner", "due", "status"], doc: "an action in the execution plan", [
            f("owner", .ref(["member", "partner"]), "who does it"),
            f("due", .date, "when it is due"),
            f("status", .level(Scales.actionStatus), "open, in_progress, blocked, done, cancelled"),
            f("objective", .ref(["objective"]), "the objective it serves"),
            f("opportunity", .ref(["opportunity"]), "the opportunity it advances"),
            f("stakeholder", .ref(["stakeholder"]), "the person it concerns"),
            f("hours", .number, "hours it takes"),
        ]),
        EntityKind(21, "milestone", plural: "milestones", columns: ["id", "name", "date", "done"], doc: "a milestone of the execution plan", [
            f("date", .date, "when it is due"),
            f("objective", .ref(["objective"]), "the objective it marks"),
            f("done", .bool, "reached yet?"),
        ]),
        EntityKind(22, "plan", plural: "plans", singleton: true, columns: ["status", "owner", "review_every", "last_review"], doc: "the plan's status and review cadence", [
            f("status", .level(Scales.planStatus), "draft, submitted, in_review, rejected, approved"),
            f("owner", .ref(["member"]), "who owns the plan"),
            f("submitted_on", .date, "when it was last submitted for approval"),
            f("approver", .text, "who approves it (the sales manager, by name)"),
            f("decided_on", .date, "when the approver approved or rejected it"),
            f("decision_note", .text, "why it was approved or sent back"),
            f("review_every", .duration, "how often it is reviewed"),
            f("last_review", .date, "when it was last reviewed"),
            f("version", .text, "a version label"),
            f("period_start", .date, "the first day of the period the revenue goal is for (default: the fiscal year containing today)"),
            f("period_end", .date, "the last day of that period (default: a year after period_start, less a day)"),
            f("skip_checks", .levels(Scales.check), "built-in checks this plan switches off, by id (mapl check lists them)"),
            f("stage_probabilities", .levelMap(Scales.stage, .percent), "the chance of winning at each stage, for deals without a probability (any stage not given keeps its default)"),
        ]),
    ]

    static let byName: [String: EntityKind] = Dictionary(uniqueKeysWithValues: kinds.map { ($0.name, $0) })
    static let byPlural: [String: EntityKind] = Dictionary(uniqueKeysWithValues: kinds.filter { !$0.isSingleton }.map { ($0.plural, $0) })

    public static func kind(named name: String) -> EntityKind? { byName[name] }

    /// The kinds by their names' bytes, to find a kind from source bytes without a String.
    private static let spellings = ByteSpellings(kinds.map { ($0.name, $0) })

    /// The kind whose name is spelled by `bytes`, if any.
    static func kind(spelledBy bytes: UnsafeBufferPointer<UInt8>) -> EntityKind? { spellings.meaning(of: bytes) }

    public static func kind(plural: String) -> EntityKind? { byPlural[plural] }

    /// Fields every entity has besides its declared ones.
    public static let commonFields = ["id", "name", "kind"]

    /// Every field name of every kind (declared and derived): in a query clause such a
    /// bare word means the row's field.
    public static let allFieldNames: Set<String> = {
        var names = Set(commonFields)
        for kind in kinds { names.formUnion(kind.fields.map(\.name)) }
        names.formUnion(DerivedFields.names)
        // The keys of the records the plan's built-ins give (pipeline(), unit_figures(), …):
        // `unit_figures() select unit, won` means each row's won.
        names.formUnion(PipelineFigures.names.keys)
        names.formUnion(UnitFigures.keys)
        names.formUnion(RecurringRevenue.keys)
        return names
    }()
}
