// `mapl diff`: the structured comparison on small plans, and the command's handling of
// standard input, errors and usage. The full reports are golden files in Tests/golden/diff/.

import Foundation
import Testing
@testable import Mapl

/// Compares two plan texts the way `mapl diff` does.
private func diff(_ old: String, _ new: String) -> PlanDiff {
    withLargeStack {
        var versions: [PlanVersion] = []
        for (name, text) in [("old", old), ("new", new)] {
            // A fixed today: the pipeline figures depend on the plan period around it.
            let session = Session(output: { _ in }, today: Day(year: 2026, month: 11, day: 22) ?? Day(ordinal: 0))
            let errors = session.loadPlan(session.addSource(name: "<\(name)>", text: text))
            #expect(errors.isEmpty, "\(errors.map(\.message))")
            versions.append(PlanVersion(name: name, session: session))
        }
        return PlanDiff(old: versions[0], new: versions[1])
    }
}

@Suite("plan diff")
struct PlanDiffTests {
    static let base = """
        account acme "Acme" { revenue_goal: $1M, close_ratio: 50% }
        unit ops "Operations"
        stakeholder dana "Dana" { unit: ops, influence: 5, support: supporter, coverage: multiple }
        stakeholder sam "Sam" { unit: ops, reports_to: dana }
        influence sam -> dana medium
        member alex "Alex" { covers: [dana] }
        opportunity big "Big deal" { value: 400k, stage: proposal, probability: 50%, close: 2027-03-01, involves: {dana: [economic_buyer]} }
        opportunity small "Small deal" { value: 50k, stage: qualification, probability: 20% }

        """

    @Test func sameTextHasNoChanges() {
        let result = diff(Self.base, Self.base)
        #expect(result.isEmpty)
        #expect(result.changes.isEmpty)
        #expect(result.report == "Acme: changes from old to new\n\nNo changes: both versions declare the same plan.\n")
    }

    @Test func movesHaveDirections() throws {
        let later = Self.base
            .replacingOccurrences(of: "influence: 5, support: supporter, coverage: multiple", with: "influence: 3, support: non_supporter, coverage: multiple")
            .replacingOccurrences(of: "value: 400k, stage: proposal, probability: 50%, close: 2027-03-01, involves: {dana: [economic_buyer]}",
                                  with: "value: 350k, stage: qualification, probability: 50%, close: 2027-02-20, involves: {dana: [economic_buyer, approver], sam: [coach]}")
            .replacingOccurrences(of: "influence sam -> dana medium", with: "influence sam -> dana weak")
        let result = diff(Self.base, later)
        let dana = try #require(result.changes.first { $0.label == "Dana (dana)" })
        #expect(dana.status == .changed)
        #expect(dana.details == ["influence: 5 → 3 (down)", "support: supporter → non_supporter (down)"])
        let big = try #require(result.changes.first { $0.label == "Big deal (big)" })
        #expect(big.details == [
            "value: $400,000 → $350,000 (-$50,000)",
            "stage: proposal → qualification (back)",
            "close: 2027-03-01 → 2027-02-20 (pulled in 9 days)",
            "involves: Dana [economic_buyer] → [economic_buyer, approver], + Sam [coach]",
        ])
        let line = try #require(result.changes.first { $0.kind.name == "influence" })
        #expect(line.label == "Sam → Dana")
        #expect(line.details == ["strength: medium → weak (down)"])
        // The big deal closes after the plan period (the calendar year of 2026-11-22).
        let closingLater = try #require(result.pipeline.first { $0.name == "later" })
        #expect(closingLater.before.isEqual(to: .money(Money(cents: 40_000_000, currency: .usd))))
        #expect(closingLater.after.isEqual(to: .money(Money(cents: 35_000_000, currency: .usd))))
        let open = try #require(result.pipeline.first { $0.name == "open" })
        #expect(open.before.isEqual(to: open.after))
    }

    @Test func addedRemovedWonAndLost() throws {
        let later = Self.base
            .replacingOccurrences(of: "stage: proposal, probability: 50%", with: "stage: won, probability: 100%")
            .replacingOccurrences(of: "stakeholder sam \"Sam\" { unit: ops, reports_to: dana }\ninfluence sam -> dana medium\n", with: "stakeholder kim \"Kim\" { title: \"CIO\", support: champion }\n")
            .replacingOccurrences(of: "member alex \"Alex\" { covers: [dana] }", with: "member alex \"Alex\" { covers: [kim] }")
            + "opportunity next \"Next deal\" { value: 90k, stage: prospecting }\n"
        let result = diff(Self.base, later)
        let statuses = result.changes.map { "\($0.status.rawValue) \($0.label)" }
        #expect(statuses == [
            "new Kim (kim)", "removed Sam (sam)", "changed Dana (dana)",
            "removed Sam → Dana",
            "changed Alex (alex)",
            "new Next deal (next)", "won Big deal (big)",
        ])
        #expect(result.changes.first { $0.label == "Kim (kim)" }?.summary == "title \"CIO\", support champion")
        #expect(result.changes.first { $0.label == "Dana (dana)" }?.details == ["covered by: − Alex"])
        #expect(result.changes.first { $0.label == "Big deal (big)" }?.summary == "$400,000, closed 2027-03-01")
        #expect(result.report.contains("Opportunities: 1 new, 1 won\n"))
    }

    @Test func everyKindHasASection() {
        let covered = Set(PlanDiff.sections.flatMap(\.kinds))
        #expect(Schema.kinds.allSatisfy { covered.contains($0.name) })
    }

    // MARK: - The command

    @Test func oldVersionFromStandardInput() throws {
        let old = try String(contentsOf: MaplProcess.root.appendingPathComponent("Tests/import/initech/expected.mapl"), encoding: .utf8)
        let result = try MaplProcess.run(["diff", "-", "Tests/golden/diff/initech_later.mapl"], stdin: old)
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
        let golden = try String(contentsOf: MaplProcess.root.appendingPathComponent("Tests/golden/diff/initech_later.stdout"), encoding: .utf8)
        #expect(result.stdout == golden.replacingOccurrences(of: "Tests/import/initech/expected.mapl", with: "standard input"))
    }

    @Test func standardInputImportsFromTheCurrentDirectory() throws {
        let result = try MaplProcess.run(["diff", "examples/globex/plan.mapl", "-"], stdin: "import \"examples/globex/plan.mapl\"\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("No changes: both versions declare the same plan.\n"))
    }

    @Test func errorsUsageAndMissingFiles() throws {
        let broken = try MaplProcess.run(["diff", "-", "examples/globex/plan.mapl"], stdin: "stakeholder x { influence: 11 }\n")
        #expect(broken.status == 65)
        #expect(broken.stdout.isEmpty)
        #expect(broken.stderr.hasPrefix("<stdin>:1:28: error: 'influence' is 11, outside 0 to 10"))
        #expect(try MaplProcess.run(["diff", "-", "-"], stdin: "").status == 64)
        #expect(try MaplProcess.run(["diff", "examples/globex/plan.mapl"], stdin: "").status == 64)
        #expect(try MaplProcess.run(["diff", "examples/globex/plan.mapl", "no/such/plan.mapl"], stdin: "").status == 66)
        let help = try MaplProcess.run(["diff", "--help"], stdin: "")
        #expect(help.status == 0 && help.stdout.contains("git show"))
    }
}
