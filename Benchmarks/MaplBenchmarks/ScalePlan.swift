// A generated account plan at the scale the issue asks for: 100,000 stakeholders,
// 1,000,000 influence lines and 50,000 opportunities (about 60 MB of text), plus 200
// units, 20 offerings, 40 team members and two rules for `check`.
//
// Byte for byte the plan Benchmarks/plan_compare.py writes, so the package-benchmark
// figures and the networkx comparison are about the same input. Both draw from a
// counter-based splitmix64: value number i of stream k is mix((k << 32) | i).
//
//   stream 1  stakeholder i's manager: s(mix % i), for i ≥ 1
//   stream 2  stakeholder i's influence (r % 11), support, last contact date
//   stream 3,4  line j's influencer: the smaller of two uniform draws (senior people,
//              declared first, sway more)
//   stream 5  line j's influenced person (never the influencer)
//   stream 6  line j's strength: 0.001% to 99.999%
//   stream 7  opportunity k's value, stage, probability, close date
//   stream 8,9  opportunity k's economic buyer and coach (every 1000th deal has no
//              economic buyer, so the rule economic_buyer_known warns now and then)
//
// Only the standard library, so that it also compiles on its own (see plan_compare.py).

enum ScalePlan {
    struct Size: Sendable {
        var stakeholders = 100_000
        var lines = 1_000_000
        var opportunities = 50_000
        var units = 200
        var offerings = 20
        var members = 40

        static let full = Size()

        func scaled(_ factor: Double) -> Size {
            Size(stakeholders: Int(Double(stakeholders) * factor), lines: Int(Double(lines) * factor),
                 opportunities: Int(Double(opportunities) * factor))
        }
    }

    static func mix(_ stream: UInt64, _ index: Int) -> UInt64 {
        var z = (stream << 32 | UInt64(index)) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static let support = ["enemy", "non_supporter", "neutral", "supporter", "champion"]
    static let stages = ["prospecting", "qualification", "needs_analysis", "proposal", "negotiation", "won", "lost"]
    static let unitKinds = ["profit_center", "cost_center", "division", "function"]
    static let rules = """

        rule economic_buyer_known for o in opportunities {
          when: o.open
          expect: economic_buyer in o.roles
          message: "{o.name}: no economic buyer identified"
        }
        rule next_step_set for o in opportunities {
          when: o.open and o.stage >= needs_analysis
          expect: o.next_step != nil
          message: "{o.name} has no next step"
        }

        """

    /// The influencer and influenced person of line j.
    static func line(_ j: Int, _ size: Size) -> (from: Int, to: Int, thousandths: Int) {
        let n = UInt64(size.stakeholders)
        let from = min(mix(3, j) % n, mix(4, j) % n)
        var to = mix(5, j) % n
        if to == from { to = (to + 1) % n }
        return (Int(from), Int(to), Int(1 + mix(6, j) % 99_999))
    }

    static func twoDigits(_ value: UInt64) -> String { value < 10 ? "0\(value)" : "\(value)" }

    static func text(_ size: Size = .full) -> String {
        var out = ""
        out.reserveCapacity(size.lines * 34 + size.stakeholders * 140 + size.opportunities * 240 + 100_000)
        let n = UInt64(size.stakeholders)
        out += "# Generated scale plan: \(size.stakeholders) stakeholders, \(size.lines) influence lines, \(size.opportunities) opportunities.\n"
        out += "account acme \"Acme Corp\" { industry: \"Manufacturing\", revenue_goal: $50M, close_ratio: 30% }\n"
        for k in 0..<size.units {
            let parent = k > 0 ? ", parent: u\((k - 1) / 4)" : ""
            out += "unit u\(k) \"Unit \(k)\" { kind: \(unitKinds[k % 4])\(parent) }\n"
        }
        for k in 0..<size.offerings {
            out += "offering f\(k) \"Offering \(k)\" { family: \"Family \(k % 4)\" }\n"
        }
        for k in 0..<size.members {
            out += "member m\(k) \"Member \(k)\" { role: \"Account manager\", capacity: 200 }\n"
        }
        for i in 0..<size.stakeholders {
            let r = mix(2, i)
            let boss = i > 0 ? ", reports_to: s\(mix(1, i) % UInt64(i))" : ""
            out += "stakeholder s\(i) \"Person \(i)\" { title: \"Title \(i % 97)\", unit: u\(i % size.units)\(boss), "
            out += "influence: \(r % 11), support: \(support[Int((r >> 8) % 5)]), "
            out += "last_contact: 2026-\(twoDigits(1 + (r >> 16) % 9))-\(10 + (r >> 24) % 18) }\n"
        }
        for j in 0..<size.lines {
            let (from, to, t) = line(j, size)
            let fraction = t % 1000
            out += "influence s\(from) -> s\(to) \(t / 1000).\(fraction < 10 ? "00" : fraction < 100 ? "0" : "")\(fraction)%\n"
        }
        for k in 0..<size.opportunities {
            let r = mix(7, k)
            let x = mix(8, k) % n
            var y = mix(9, k) % n
            if y == x { y = (y + 1) % n }
            let people = k % 1000 == 999 ? "s\(y): [coach]" : "s\(x): [economic_buyer], s\(y): [coach]"
            out += "opportunity o\(k) \"Deal \(k)\" { value: $\(5000 + r % 2_000_000), stage: \(stages[Int((r >> 24) % 7)]), "
            out += "probability: \(5 + (r >> 32) % 91)%, close: 2027-\(twoDigits(1 + (r >> 40) % 9))-\(10 + (r >> 48) % 18), "
            out += "unit: u\(k % size.units), offering: f\(k % size.offerings), owner: m\(k % size.members), "
            out += "next_step: \"Call \(k)\", involves: {\(people)} }\n"
        }
        out += rules
        return out
    }

    /// People for influencers(s, 3) and pairs for strongest_path (as plan_compare.py).
    static func queries(_ size: Size = .full) -> (targets: [Int], pairs: [(Int, Int)]) {
        let n = size.stakeholders
        return ([n - 1, n / 2, 12_345 % n, 777 % n], [(0, n - 1), (n / 2, 7 % n), (99 % n, 54_321 % n), (31_337 % n, 4_242 % n)])
    }
}
