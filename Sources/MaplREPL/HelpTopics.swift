// The texts of `:help TOPIC`: the methodology concepts a plan records (from the
// product brief), the values people type, and the editing keys.

/// One help topic: a name to ask for, other words that find it, and its text.
public struct HelpTopic: Sendable {
    public let name: String
    public let aliases: [String]
    public let title: String
    public let text: String

    public init(name: String, aliases: [String] = [], title: String, text: String) {
        self.name = name
        self.aliases = aliases
        self.title = title
        self.text = text
    }
}

public enum HelpTopics {
    /// Every topic, in the order `:help` lists them.
    public static let all: [HelpTopic] = [
        HelpTopic(name: "support", aliases: ["support scale", "supporter", "champion", "mentor", "blocker", "enemy"],
                  title: "the support scale", text: """
            How much a stakeholder wants us to win, from most to least:
              mentor / champion   sells for us inside the account, shares what we could not know
              supporter           prefers us and says so
              neutral             no preference yet
              non-supporter       prefers another option or the status quo
              enemy / blocker     works against us
            Read support together with influence: a powerful non-supporter is a risk to
            handle; a supporter without influence is a friend, not a sponsor.
            """),
        HelpTopic(name: "roles", aliases: ["buying roles", "buying role", "role", "economic buyer", "coach"],
                  title: "buying roles", text: """
            The part each person plays in a buying decision:
              economic buyer      final authority: releases the money, can say yes when others say no
              user                will use what we sell and judges its effect on their work
              technical           judges the fit against specifications; can say no, rarely yes
              advisor             an outside or inside expert whose opinion is asked
              coach               guides us through the sale: tells us how the decision is made
              champion            drives our solution inside the account
              approver            signs off (legal, procurement, a board)
              evaluator           scores the options against the decision criteria
            An opportunity without an identified economic buyer or coach is at risk.
            """),
        HelpTopic(name: "influence", aliases: ["power", "lines of influence", "influence lines"],
                  title: "influence and lines of influence", text: """
            Influence (or power) is how much a person's view weighs in decisions: high,
            medium or low, or a score from 0 to 10. It is not the same as rank.
            Lines of influence record who sways whom, and how strongly. They are
            informal and separate from the formal reporting line (reports_to), and are
            often where a sale is won: the path from our coach to the economic buyer.
            Conflict lines record people who pull against each other.
            """),
        HelpTopic(name: "status", aliases: ["political status", "politics", "inner circle"],
                  title: "political status", text: """
            Where a person stands in the account's politics:
              inner circle          shapes decisions with the people who make them
              political structure   part of the formal decision process
              outside               neither: their view is heard, not decisive
            """),
        HelpTopic(name: "coverage", aliases: ["contact", "contacts"],
                  title: "coverage", text: """
            How well our team knows a stakeholder: unknown, none, brief, multiple, in depth.
            Record who on our team covers whom and when we last spoke with them. Key
            players with no coverage, or no supportive key player at all, are the usual
            gaps a review looks for; so are stakeholders not contacted for a long time.
            """),
        HelpTopic(name: "relationship", aliases: ["relationship level", "trusted advisor"],
                  title: "relationship levels", text: """
            How a stakeholder sees us, from lowest to highest:
              vendor              sells products at a price
              credible source     knows the product and the market
              problem solver      solves the customer's problems
              trusted advisor     consulted on the customer's business, before a need is a project
            Plans record the current level and the desired one for each key person.
            """),
        HelpTopic(name: "strategies", aliases: ["strategy", "seven strategies", "account strategy"],
                  title: "the seven account strategies", text: """
            Each account plan picks one primary strategy (and optionally secondary ones):
              defend and grow       protect a strong position and widen it
              land and expand       win a first foothold, then spread through the account
              direct attack         take on the incumbent head-on where we are clearly better
              niche                 win a well-chosen part of the account others do not serve
              change the game       reframe the need so the decision is made on our strengths
              maintain and support  serve an account well without investing to grow it
              develop over time     build relationships now for business that comes later
            import "std/strategy" for when to use each and suggest_strategies() from the plan.
            """),
        HelpTopic(name: "whitespace", aliases: ["white space", "white-space", "grid"],
                  title: "white space", text: """
            The white space is the business we do not have yet. Draw it as a grid of the
            account's units (rows) by our offerings (columns); each cell is one of:
              current business      they buy it from us today
              open opportunity      a deal is in the pipeline
              potential             they could buy it: record an estimated value
              not applicable        no fit
            The total of the potential cells is the account's untapped value; empty
            cells are questions to ask. In mapl whitespace_matrix() fills the grid from
            the facts: current where an active contract or a won deal is, open with the
            open deals' value (beside current: an upsell), and the declared whitespace
            cells' potential or n/a; whitespace_cells() says where each state comes from.
            """),
        HelpTopic(name: "roti", aliases: ["return on time invested", "egp", "gross profit"],
                  title: "ROTI: return on time invested", text: """
            ROTI = expected gross profit (EGP) ÷ hours our team must invest to win the deal.
            It ranks opportunities by how well they repay the team's time, which is
            scarcer than pipeline. In mapl give each opportunity egp and hours:
              opportunity mes "MES rollout" { value: $1.1M, egp: $420k, hours: 260 }
            then o.roti (or roti(o)) is egp ÷ hours as money per hour, e.g. $1,615.38, and
              opportunities where open sort by roti desc
            ranks the open deals by it. A criterion can score it (see :help prioritization).
            """),
        HelpTopic(name: "pipeline", aliases: ["goal", "gap", "close ratio", "weighted", "period", "won", "later", "overdue"],
                  title: "goals and pipeline", text: """
            pipeline() compares the revenue goal with what is won and what is open, for
            the plan period: plan { period_start: 2026-07-01 } (a year from then, or give
            period_end too); without one, the fiscal year containing today, starting in
            the account's fiscal_year_start month (january when not given).
              won          = value of deals won with a close date in the period (or
                             none) + the account's booked_outside_deals
              open         = value of open deals closing in the period (or undated)
              weighted     = sum of open value × chance (the probability; without
                             one the stage's, from plan { stage_probabilities:
                             {proposal: 50%} } or the defaults: prospecting 10%,
                             qualification 20%, needs_analysis 40%, proposal 60%,
                             negotiation 80%)
              later        = value of open deals closing after the period
              overdue      = value of open deals whose close date has passed
                             (overdue_deals counts them)
              gap          = goal − won − weighted           (never below $0)
              needed       = (goal − won) ÷ close ratio      (pipeline needed)
              pipeline_gap = needed − open                   (never below $0)
              coverage     = open ÷ (goal − won)
            A deal is in at most one of won, open and later. revenue_this_year is
            shown as finance wrote it and never counted as won. "needed" is how much
            qualified pipeline must be open to reach the goal at the close ratio you
            usually achieve. In mapl money ÷ percentage is money: (goal - won) / close_ratio
            Every figure is in the plan's currency (:help currency).
            """),
        HelpTopic(name: "currency", aliases: ["currencies", "rates", "exchange rate", "convert", "euro", "eur"],
                  title: "currency", text: """
            A plan has one currency, the account's currency (USD when not given), and
            shows every amount in it. Write amounts with a sign ($ is US dollars only;
            € £ ¥ ₹ ₩ ₪), a code and a space (CHF 1.2M, CAD 250k), or bare with a suffix
            (250k: the plan's currency). An amount in another currency is converted where
            it is written, at the account's rates: what one unit is worth in the plan's
            currency:
              account kessler "Kessler" { currency: EUR, rates: { USD: 0.92, GBP: 1.17 } }
              opportunity us "US roll-out" { value: $100k }      # €92,000
            Without a rate the amount is an error. Amounts in two currencies (from two
            plans, or money(12, "GBP")) are never added or compared; convert them:
              convert(p.pipeline.won, "EUR")
            """),
        HelpTopic(name: "prioritization", aliases: ["priority", "scoring", "score", "ranking", "criteria", "criterion", "rank"],
                  title: "prioritization", text: """
            Rank opportunities by named, weighted criteria — value, probability,
            strategic fit, relationship strength, ROTI … — each scoring a deal from 0 to
            1, with weights that add up to 100%. In mapl declare the criteria:
              criterion size "Deal size" { weight: 40%, score: fn(o) => min(1, o.value / $3M) }
              criterion odds "Probability" { weight: 35%, score: fn(o) => o.chance }
              criterion time "Return on time" { weight: 25%, score: fn(o) => min(1, o.roti / $5,000) }
            then rank() scores the open deals, best first, with each criterion's share:
              rank() take 5
            mapl check warns when the weights do not add up to 100% (criteria_weights) or
            a score leaves 0–1 (score_range).
            """),
        HelpTopic(name: "review", aliases: ["approval", "approve", "cadence", "plan status"],
                  title: "reviewing and approving the plan", text: """
            A plan is managed, not written once: the team reviews it on a cadence (every
            quarter, say) against the goal, and the sales manager approves it. In mapl:
              plan { status: submitted, owner: alex, submitted_on: 2026-11-02,
                     approver: "Kim Lee", review_every: 90d, last_review: 2026-09-01 }
            status moves draft → submitted → in_review → approved, or rejected (with
            decided_on and decision_note saying why) and back to draft. mapl check warns
            when last_review + review_every is before today (review_overdue); pipeline()
            and plan_changes(old) are the review's agenda: the money against the goal,
            and what moved since the last version.
            """),
        HelpTopic(name: "execution", aliases: ["smart", "objectives", "actions", "90 days", "next 90 days"],
                  title: "the execution plan", text: """
            Turn the strategy into work: SMART objectives (specific, measurable,
            achievable, relevant, time-bound: a target and a due date), actions (owner,
            due date, status, linked to an objective, opportunity or stakeholder), and
            milestones. The next-90-days plan is the part reviewed every week.
            """),
        HelpTopic(name: "values", aliases: ["literals", "types", "syntax"],
                  title: "values you can type", text: """
              number      42  3.5  1_000
              money       $1,200  $99.95  $1.2M  250k  3bn
              percentage  40%  12.5%            (the fraction 0.4)
              date        2027-03-31
              duration    90d  6w  3mo  2q  1y
              string      "text {expr} more"
              symbol      .champion
              list        [1, 2, 3]   [x * 2 for x in xs if x > 1]
              record      {name: "Acme", value: 250k}
              function    fn roti(o) => o.egp / o.hours
            Money + money and money × percentage are money; date − date is a duration.
            """),
        HelpTopic(name: "keys", aliases: ["editing", "keyboard", "history", "completion"],
                  title: "editing keys", text: """
              Tab          complete a name, a field after '.', a command after ':'
              Ctrl-R       search the history (type to narrow, Enter to accept)
              Up / Down    previous / next line from the history
              Ctrl-A / E   start / end of the line;  Ctrl-K  delete to the end
              Ctrl-C       clear the line; stop a running evaluation
              Ctrl-D       leave (on an empty line)
            An unfinished block, bracket or string continues on '...' lines; two
            empty lines submit it as it is. History is kept in $MAPL_HISTORY, else
            $XDG_STATE_HOME/mapl/history, else ~/.mapl_history (MAPL_HISTORY=/dev/null
            keeps none).
            """),
    ]

    /// The topic a user asked for: by name, alias, or the start of either, ignoring
    /// case, spaces, hyphens and underscores.
    /// - Parameter allowPrefix: also accept the start of a name (`:help supp`).
    public static func find(_ query: String, allowPrefix: Bool = true) -> HelpTopic? {
        let key = normalize(query)
        guard !key.isEmpty else { return nil }
        func keys(_ topic: HelpTopic) -> [String] { ([topic.name] + topic.aliases).map(normalize) }
        if let exact = all.first(where: { keys($0).contains(key) }) { return exact }
        guard allowPrefix else { return nil }
        let prefixed = all.filter { keys($0).contains { $0.hasPrefix(key) } }
        return prefixed.count == 1 ? prefixed[0] : nil
    }

    static func normalize(_ text: String) -> String {
        String(text.lowercased().filter { $0 != " " && $0 != "-" && $0 != "_" })
    }
}
