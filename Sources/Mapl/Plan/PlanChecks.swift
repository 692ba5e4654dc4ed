// The built-in methodology checks `mapl check` and `:check` run on every plan: data
// problems account teams live with (a reporting line that loops, a line declared twice,
// a deal past its close date, stage and probability that disagree, weights that do not
// add up, an overdue review, …). Each has an id a plan can switch off with
// `plan { skip_checks: [overdue_deal] }`.

/// One built-in check.
struct PlanCheck: Sendable {
    /// How a plan names it (`skip_checks`), and how findings are tagged.
    let id: String
    let summary: String
    /// Errors where the plan cannot be computed; warnings otherwise.
    let isError: Bool
}

/// What a check found: where, what, and what to do about it.
struct CheckFinding {
    let check: PlanCheck
    let span: Span
    let message: String
    let hint: String
    var notes: [Diagnostic.Note] = []

    var diagnostic: Diagnostic {
        Diagnostic(.checkFinding(check: check.id, message: message, hint: hint), at: span,
                   severity: check.isError ? .error : .warning, notes: notes)
    }
}

enum PlanChecks {
    static let reportsToCycle = PlanCheck(id: "reports_to_cycle", summary: "a reporting line that loops (a reports to b, b to a; or to oneself)", isError: true)
    static let unitParentCycle = PlanCheck(id: "unit_parent_cycle", summary: "units whose parent chain loops", isError: true)
    static let selfInfluence = PlanCheck(id: "self_influence", summary: "a person influencing themselves", isError: false)
    static let duplicateLine = PlanCheck(id: "duplicate_line", summary: "the same influence line declared twice", isError: false)
    static let overdueDeal = PlanCheck(id: "overdue_deal", summary: "an open deal whose close date has passed", isError: false)
    static let stageProbability = PlanCheck(id: "stage_probability", summary: "stage and probability that disagree (won below 100%, lost above 0%, an early stage above a later stage's chance)", isError: false)
    static let criteriaWeights = PlanCheck(id: "criteria_weights", summary: "criteria weights (percentages) that do not add up to 100%", isError: false)
    static let scoreRange = PlanCheck(id: "score_range", summary: "a criterion's score outside 0 to 1 for an open deal", isError: false)
    static let reviewOverdue = PlanCheck(id: "review_overdue", summary: "a plan review overdue (last_review + review_every before today)", isError: false)
    static let keyPlayerNeverContacted = PlanCheck(id: "key_player_never_contacted", summary: "a key player nobody has contacted (no last_contact)", isError: false)

    /// Every check, in the order their findings are gathered.
    static let all = [reportsToCycle, unitParentCycle, selfInfluence, duplicateLine, overdueDeal, stageProbability,
                      criteriaWeights, scoreRange, reviewOverdue, keyPlayerNeverContacted]

    /// The findings of every check the plan has not switched off.
    static func run(on machine: Machine, top: Frame) -> [CheckFinding] {
        let plan = machine.plan
        let skipped = skippedChecks(plan)
        var found: [CheckFinding] = []
        func add(_ finding: CheckFinding) { if !skipped.contains(finding.check.id) { found.append(finding) } }
        cycles(plan, kind: "stakeholder", field: "reports_to", check: reportsToCycle).forEach(add)
        cycles(plan, kind: "unit", field: "parent", check: unitParentCycle).forEach(add)
        lines(plan).forEach(add)
        deals(plan, today: machine.today).forEach(add)
        criteria(machine, top: top).forEach(add)
        people(plan, today: machine.today).forEach(add)
        return found
    }

    /// The ids a plan switched off with `plan { skip_checks: [...] }`.
    private static func skippedChecks(_ plan: Plan) -> Set<String> {
        guard let settings = Schema.kind(named: "plan").flatMap(plan.singleton), case .list(let list)? = settings["skip_checks"] else { return [] }
        return Set(list.items.compactMap { if case .level(let level) = $0 { return level.name } else { return nil } })
    }

    static func entities(_ plan: Plan, _ kind: String) -> [Entity] { Schema.kind(named: kind).map(plan.entities) ?? [] }

    /// Loops in a chain of references (`reports_to`, `parent`), each reported once, at
    /// the member of the loop declared first. Each entity is walked once (by position, so
    /// a plan of thousands of people costs a few array reads each).
    private static func cycles(_ plan: Plan, kind kindName: String, field: String, check: PlanCheck) -> [CheckFinding] {
        guard let kind = Schema.kind(named: kindName), let slot = kind.index[field] else { return [] }
        let members = plan.entities(of: kind)
        guard let first = members.first else { return [] }
        // Each member's place by its row (members are in row order; -1: removed), so that
        // no entity is hashed.
        var position = [Int](repeating: -1, count: (members.last?.row ?? 0) + 1)
        for (index, member) in members.enumerated() { position[member.row] = index }
        let next = members.map { member -> Int in
            guard case .entity(let target) = member.field(slot), target.sharesTable(with: first), target.row < position.count else { return -1 }
            return position[target.row]
        }
        // 0: not visited; 1: on the walk under way; 2: done.
        var state = [UInt8](repeating: 0, count: members.count)
        var loops: [[Int]] = []
        for start in members.indices where state[start] == 0 {
            var walk: [Int] = [], at = start
            while at >= 0, state[at] == 0 {
                state[at] = 1
                walk.append(at)
                at = next[at]
            }
            if at >= 0, state[at] == 1, let first = walk.firstIndex(of: at) { loops.append(Array(walk[first...])) }
            for index in walk { state[index] = 2 }
        }
        return loops.map { loop in
            // Told from the member declared first, along the chain.
            let lead = loop.firstIndex(of: loop.min() ?? loop[0]) ?? 0
            let chain = (loop[lead...] + loop[..<lead]).map { members[$0] }
            let start = chain[0]
            let names = (chain + [start]).map(\.name).joined(separator: " → ")
            let message = chain.count == 1 ? "\(start.name)'s \(field) is \(kindName == "unit" ? "itself" : "themselves")" : "\(field) loops: \(names)"
            return CheckFinding(check: check, span: start.span, message: message, hint: "a chain of \(field) must end; change one \(field) in the loop")
        }.sorted { $0.span.start < $1.span.start }
    }

    /// Self-influence, and lines declared twice. A line is compared by its ends' rows (no
    /// end is hashed: a plan has up to a million lines; see `repeatedLines`).
    private static func lines(_ plan: Plan) -> [CheckFinding] {
        guard let kind = Schema.kind(named: "influence"), let fromSlot = kind.index["from"], let toSlot = kind.index["to"] else { return [] }
        var found: [CheckFinding] = []
        let lines = plan.entities(of: kind)
        // Per line (by its place in `lines`, which is row order), its ends' rows; -1 for
        // a line not compared.
        var fromRows = [Int32](repeating: -1, count: lines.count), toRows = fromRows
        var rowLimit = 0
        // The table of the first line's people (its identity: ends are read as table and
        // row, nothing retained).
        var people: ObjectIdentifier?
        for (position, line) in lines.enumerated() {
            guard let from = line.reference(fromSlot), let to = line.reference(toSlot) else { continue }
            if from == to {
                if case .entity(let person) = line.field(fromSlot) {
                    found.append(CheckFinding(check: selfInfluence, span: line.span, message: "\(person.name) influences themselves",
                                              hint: "a line of influence runs from one person to another"))
                }
                continue
            }
            let table = people ?? from.table
            people = table
            // (Ends outside the plan's own people, possible only through code, are not compared.)
            guard from.table == table, to.table == table else { continue }
            fromRows[position] = from.row
            toRows[position] = to.row
            rowLimit = max(rowLimit, Int(from.row) + 1, Int(to.row) + 1)
        }
        for (first, position) in repeatedLines(from: fromRows, to: toRows, rows: rowLimit) {
            let earlier = lines[first], line = lines[position]
            guard case .entity(let from) = line.field(fromSlot), case .entity(let to) = line.field(toSlot) else { continue }
            let strengths = [earlier, line].map { ($0["strength"] ?? .nil).display }
            found.append(CheckFinding(check: duplicateLine, span: line.span,
                                      message: "\(from.name) → \(to.name) is declared twice (\(strengths.joined(separator: ", then ")))",
                                      hint: "keep one line with the strength you believe", notes: [.init(span: earlier.span, message: "first declared here")]))
        }
        return found
    }

    /// The lines whose ends (`from[i]`, `to[i]`: rows below `rows`, or -1 for a line not
    /// compared) repeat an earlier line's, each with the first line of those ends; in the
    /// order of their ends (from, then to), then of their places. Linear in the lines: a
    /// counting sort groups them by `from` (places ascending within a group), and within
    /// a group a line repeats one when its `to` was met already in that group.
    static func repeatedLines(from: [Int32], to: [Int32], rows: Int) -> [(first: Int, line: Int)] {
        guard rows > 0 else { return [] }
        var groupStart = [Int](repeating: 0, count: rows + 1)
        for row in from where row >= 0 { groupStart[Int(row) + 1] += 1 }
        for row in 0..<rows { groupStart[row + 1] += groupStart[row] }
        var next = groupStart
        var byFrom = [Int32](repeating: 0, count: groupStart[rows])
        for (place, row) in from.enumerated() where row >= 0 {
            byFrom[next[Int(row)]] = Int32(truncatingIfNeeded: place)
            next[Int(row)] += 1
        }
        // For each `to`, the group (from's row + 1) it was last met in, and its first line there.
        var metIn = [Int](repeating: 0, count: rows), firstLine = [Int32](repeating: 0, count: rows)
        var repeats: [(key: Int, first: Int, line: Int)] = []
        for group in 0..<rows {
            for index in groupStart[group]..<groupStart[group + 1] {
                let place = Int(byFrom[index]), end = Int(to[place])
                if metIn[end] == group + 1 {
                    repeats.append((group << 32 | end, Int(firstLine[end]), place))
                } else {
                    metIn[end] = group + 1
                    firstLine[end] = Int32(truncatingIfNeeded: place)
                }
            }
        }
        repeats.sort { $0.key != $1.key ? $0.key < $1.key : $0.line < $1.line }
        return repeats.map { ($0.first, $0.line) }
    }

    /// Open deals past their close date, and stage and probability that disagree.
    private static func deals(_ plan: Plan, today: Day) -> [CheckFinding] {
        var found: [CheckFinding] = []
        for deal in entities(plan, "opportunity") {
            let stage = DerivedFields.rank(deal[DerivedFields.Known.stage])
            if DerivedFields.isOpen(deal), case .date(let close)? = deal[DerivedFields.Known.close], close < today {
                found.append(CheckFinding(check: overdueDeal, span: deal.span,
                                          message: "\(deal.name) was due to close on \(Value.date(close).display) and is still open",
                                          hint: "move the close date, or mark the deal won or lost"))
            }
            guard case .percent(let probability)? = deal[DerivedFields.Known.probability], let stage else { continue }
            let shown = Value.percent(probability).display
            if stage == 6, probability < 1 {
                found.append(CheckFinding(check: stageProbability, span: deal.span, message: "\(deal.name) is won at \(shown)",
                                          hint: "a won deal is 100%: drop the probability or set it to 100%"))
            } else if stage == 0, probability > 0 {
                found.append(CheckFinding(check: stageProbability, span: deal.span, message: "\(deal.name) is lost at \(shown)",
                                          hint: "a lost deal is 0%: drop the probability or set it to 0%"))
            } else if stage >= 1, stage <= 3, let later = Scales.stage.name(forRank: stage + 2) {
                let laterChance = WinChance.chance(ofStage: stage + 2, in: plan)
                if probability > laterChance {
                    found.append(CheckFinding(check: stageProbability, span: deal.span,
                                              message: "\(deal.name) is at \(Scales.stage.name(forRank: stage) ?? "its stage") with \(shown), above \(later)'s \(Value.percent(laterChance).display)",
                                              hint: "move the deal to the stage its chance shows, or lower the probability"))
                }
            }
        }
        return found
    }

    /// Criteria weights that do not add up to 100%, and scores outside 0–1.
    private static func criteria(_ machine: Machine, top: Frame) -> [CheckFinding] {
        let criteria = entities(machine.plan, "criterion")
        guard let first = criteria.first else { return [] }
        var found: [CheckFinding] = []
        let shares = criteria.compactMap { criterion -> Double? in if case .percent(let share)? = criterion["weight"] { share } else { nil } }
        if shares.count == criteria.count, abs(shares.reduce(0, +) - 1) > 1e-9 {
            found.append(CheckFinding(check: criteriaWeights, span: first.span,
                                      message: "the criteria's weights add up to \(Value.percent(shares.reduce(0, +)).display), not 100%",
                                      hint: "rank() scales them to 100%; make them add up so each weight means what it says"))
        }
        for criterion in criteria {
            guard let score = criterion["score"], !score.isEqual(to: .nil) else { continue }
            for deal in Builtins.openDeals(machine.plan) {
                guard let value = try? machine.call(score, [.entity(deal)], top: top, span: criterion.span) else { continue }
                var number: Double?
                switch value {
                case .number(let n): number = n
                case .percent(let p): number = p
                default: break
                }
                guard let number, number < 0 || number > 1 else { continue }
                found.append(CheckFinding(check: scoreRange, span: criterion.span,
                                          message: "criterion '\(criterion.id)' scores \(deal.name) \(value.display), outside 0 to 1",
                                          hint: "a score is a share from 0 to 1: cap it, e.g. min(1, …)"))
                break
            }
        }
        return found
    }

    /// An overdue review, and key players never contacted.
    private static func people(_ plan: Plan, today: Day) -> [CheckFinding] {
        var found: [CheckFinding] = []
        if let settings = Schema.kind(named: "plan").flatMap(plan.singleton), case .date(let last)? = settings["last_review"],
           case .duration(let every)? = settings["review_every"], let shifted = last.adding(months: Int(every.months)),
           let dueOrdinal = Int32(exactly: Int(shifted.ordinal) + Int(every.days)), Day(ordinal: dueOrdinal) < today {
            let due = Day(ordinal: dueOrdinal)
            found.append(CheckFinding(check: reviewOverdue, span: settings.span,
                                      message: "the plan's review was due on \(Value.date(due).display) (last review \(Value.date(last).display), every \(Value.duration(every).display))",
                                      hint: "review the plan with the team and set last_review"))
        }
        for person in entities(plan, "stakeholder") where DerivedFields.isKeyPlayer(person) {
            if case .date? = person[DerivedFields.Known.lastContact] { continue }
            found.append(CheckFinding(check: keyPlayerNeverContacted, span: person.span, message: "key player \(person.name) has never been contacted",
                                      hint: "plan who meets them, and record last_contact"))
        }
        return found
    }
}

extension Machine {
    /// Everything `mapl check` reports about the plan once it is set up: the built-in
    /// checks' findings and the violations of the plan's rules, in reading order (by
    /// file, then place; findings at one place keep their order). Code runs in frames
    /// from `top`, as `Plan.checkRules` says.
    func checkPlan(top: Frame) -> [Diagnostic] {
        let found = Session.inSourceOrder(PlanChecks.run(on: self, top: top).map(\.diagnostic) + plan.checkRules(top: top))
        // Ctrl-C stopped a rule: not a finding to go on after. The code that asked for
        // the checks (a loop calling export()) is stopped too.
        if found.contains(where: { $0.kind == .interrupted }) { interruptAtNextPoll() }
        return found
    }
}
