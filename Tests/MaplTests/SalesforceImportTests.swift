// `mapl import salesforce` on the realistic exports in Tests/import/: the written plan
// matches its snapshot and passes `mapl check`; bad rows stop the import (nothing is
// written) or are skipped with --skip-bad-rows.

import Foundation
import Testing
@testable import Mapl

/// A fresh empty folder for files a test writes.
func scratchFolder(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Compares `actual` with a snapshot file under the repository root, or records it
/// when UPDATE_SNAPSHOTS=1.
func expectSnapshot(_ actual: String, _ relativePath: String) throws {
    let url = MaplProcess.root.appendingPathComponent(relativePath)
    if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" {
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let recorded = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == recorded, "snapshot \(relativePath)")
}

@Suite("import salesforce")
struct SalesforceImportTests {
    static let contacts = "Tests/import/initech/contacts.csv"
    static let opportunities = "Tests/import/initech/opportunities.csv"

    @Test func initechPlanMatchesSnapshotAndChecks() throws {
        let folder = try scratchFolder("import")
        let plan = folder.appendingPathComponent("initech.mapl").path
        let result = try MaplProcess.run(["import", "salesforce", "--contacts", Self.contacts, "--opportunities", Self.opportunities,
                                          "--account", "0015g00000InTcH", "-o", plan], stdin: "")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "mapl: wrote \(plan): 5 units, 8 stakeholders, 6 opportunities\n")
        let written = try String(contentsOfFile: plan, encoding: .utf8)
        try expectSnapshot(written, "Tests/import/initech/expected.mapl")
        let check = try MaplProcess.run(["check", plan], stdin: "")
        #expect(check.status == 0 && check.stderr.isEmpty, "\(check.stderr)")

        // Standard output gets the same text when there is no -o.
        let piped = try MaplProcess.run(["import", "salesforce", "--contacts", Self.contacts, "--opportunities", Self.opportunities,
                                         "--account", "0015g00000InTcH"], stdin: "")
        #expect(piped.status == 0 && piped.stderr.isEmpty)
        #expect(piped.stdout == written)
    }

    @Test func importedPlanAnswersQuestions() throws {
        let result = try MaplProcess.run(["import", "salesforce", "--contacts", Self.contacts, "--opportunities", Self.opportunities,
                                          "--account", "0015g00000InTcH"], stdin: "")
        let script = result.stdout + """
            print(chain_of_command(michael_bolton).name)
            print(milton_waddams.unit.name, jose_nunez.reports_to.name)
            print(len(opportunities where open), sum((opportunities where open).value))
            print(basement_relocation.stage, basement_relocation.close, basement_relocation.next_step)
            print(printer_fleet_renewal.value, y2k_remediation_phase_2.value, y2k_remediation_phase_2.type)

            """
        let run = try MaplProcess.run(["run", "-"], stdin: script)
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        #expect(run.stdout == """
            ["Peter Gibbons", "Bill Lumbergh", "Dom Portwood"]
            Facilities Dom Portwood
            4 $1,575,000
            needs_analysis 2027-03-31 Call Milton
            Bring cake
            $48,000.50 nil upsell

            """)
    }

    @Test func badRowsStopTheImport() throws {
        let folder = try scratchFolder("import-bad")
        let plan = folder.appendingPathComponent("plan.mapl")
        try "# the plan before\n".write(to: plan, atomically: true, encoding: .utf8)
        let result = try MaplProcess.run(["import", "salesforce", "--contacts", "Tests/import/bad/contacts.csv",
                                          "--opportunities", "Tests/import/bad/opportunities.csv", "-o", plan.path], stdin: "")
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        try expectSnapshot(result.stderr, "Tests/import/bad/errors.stderr")
        #expect(try String(contentsOf: plan, encoding: .utf8) == "# the plan before\n", "nothing is written")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(leftovers == ["plan.mapl"], "no temporary files are left")
    }

    @Test func badRowsCanBeSkipped() throws {
        let folder = try scratchFolder("import-skip")
        let plan = folder.appendingPathComponent("plan.mapl").path
        let result = try MaplProcess.run(["import", "salesforce", "--contacts", "Tests/import/bad/contacts.csv",
                                          "--opportunities", "Tests/import/bad/opportunities.csv", "-o", plan, "--skip-bad-rows"], stdin: "")
        #expect(result.status == 0)
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains(": warning: ") }
        // Managers outside the export and a custom stage are warnings; of the rest, four
        // rows cannot be imported and four fields cannot be read (their rows come in).
        #expect(warnings.count == 11)
        #expect(result.stderr.contains("mapl: skipped 4 rows that cannot be imported\n"))
        #expect(result.stderr.contains("mapl: left off 4 fields that cannot be read\n"))
        #expect(result.stderr.contains("'Bad amount': Amount 'lots' is not an amount of money; the row is imported without it"))
        let written = try String(contentsOfFile: plan, encoding: .utf8)
        let check = try MaplProcess.run(["check", plan], stdin: "")
        #expect(check.status == 0 && check.stderr.isEmpty, "\(check.stderr)")
        let loaded = loadDocument(written)
        #expect(loaded.document.entries.compactMap(\.id) == ["executive", "finance", "it_unit", "ann_boss", "ulla_under", "gus_ghost", "sam_self",
                                                             "fay_fine", "good_deal", "strange_stage", "bad_amount", "bad_date", "bad_probability"])
        let badAmount = loaded.document.entries.first { $0.id == "bad_amount" }
        #expect(badAmount?["value"] == nil && badAmount?["probability"] == .percent(0.1), "only the bad field is left off")
    }

    /// Exports from Salesforce reports, as real orgs have them: column labels instead of
    /// API names, managers by name (one outside the export), the org's own stages, rows
    /// in three currencies with converted amounts, a blank probability.
    @Test func reportExportsOfARealOrg() throws {
        let arguments = ["import", "salesforce", "--contacts", "Tests/import/reports/contacts.csv",
                         "--opportunities", "Tests/import/reports/opportunities.csv", "--currency", "EUR"]
        // Without a mapping: the stage nothing explains and the pound row without its
        // conversion stop the import, each named with its fix.
        let refused = try MaplProcess.run(arguments, stdin: "")
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("opportunities.csv: row 3: error: 'Scheduling pilot, Kessler USA': unknown stage 'Technical Validation'"))
        #expect(refused.stderr.contains("hint: map it: --stage-map \"Technical Validation=needs_analysis\""))
        #expect(refused.stderr.contains("row 4: error: 'UK depots': Amount is in GBP, the plan in EUR, and the row has no converted amount"))
        #expect(refused.stdout.isEmpty)
        // With the org's mapping file, skipping the one unreadable amount.
        let imported = try MaplProcess.run(arguments + ["--stage-map", "Tests/import/reports/stages.txt", "--skip-bad-rows"], stdin: "")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("contacts.csv: row 5: warning: Mia Roth is imported without reports_to: their manager (Werner Vogt) is not a contact"))
        #expect(imported.stderr.contains("row 2: warning: stage 'Verbal Commit' is not one of Salesforce's standard stages: taken as negotiation"))
        #expect(imported.stderr.contains("mapl: left off 1 field that cannot be read\n"))
        let document = loadDocument(imported.stdout).document
        func entry(_ id: String) -> PlanEntry? { document.entries.first { $0.id == id } }
        let euro = try #require(Currency(code: "EUR"))
        #expect(entry("account")?["currency"] == .word("EUR"))
        #expect(entry("felix_brandt")?["reports_to"] == .word("greta_kessler"), "a manager named in a report")
        #expect(entry("dan_ortiz")?["reports_to"] == .word("felix_brandt"))
        #expect(entry("mia_roth")?["reports_to"] == nil)
        #expect(entry("scheduling_for_60_depots")?["stage"] == .word("negotiation"), "90% nearest negotiation's 80%")
        #expect(entry("scheduling_for_60_depots")?["value"] == .money(Money(cents: 65_000_000, currency: euro)))
        #expect(entry("scheduling_pilot_kessler_usa")?["stage"] == .word("needs_analysis"), "from the mapping file")
        #expect(entry("scheduling_pilot_kessler_usa")?["value"] == .money(Money(cents: 23_000_000, currency: euro)), "the converted amount")
        #expect(entry("scheduling_pilot_kessler_usa")?["probability"] == nil, "a blank probability leaves the stage's chance")
        #expect(entry("uk_depots")?["value"] == nil && entry("uk_depots")?["stage"] == .word("qualification"))
        #expect(entry("training_2025")?["stage"] == .word("won"))
        #expect(entry("analytics_trial")?["stage"] == .word("lost"))
        // The plan checks, and its pipeline is in euros.
        let folder = try scratchFolder("import-reports")
        let plan = folder.appendingPathComponent("kessler.mapl")
        try (imported.stdout + "print(pipeline().open, pipeline().later, scheduling_pilot_kessler_usa.chance)\n").write(to: plan, atomically: true, encoding: .utf8)
        let run = try MaplProcess.run(["run", plan.path], stdin: "")
        #expect(run.stdout == "€650,000 €230,000 40%\n", "\(run.stderr)")
        // A mapping that names no mapl stage is a usage error.
        let wrong = try MaplProcess.run(arguments + ["--stage-map", "Technical Validation=validating"], stdin: "")
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("'validating' is not a mapl stage"))
    }

    @Test func missingColumnsAreNamed() throws {
        let result = try MaplProcess.run(["import", "salesforce", "--opportunities", "Tests/import/bad/no_stage_column.csv", "--account", "001"], stdin: "")
        #expect(result.status == 65)
        #expect(result.stderr == """
            Tests/import/bad/no_stage_column.csv: row 1: error: missing required columns 'StageName', 'AccountId'
              hint: the header has: Id, Name, Amount, CloseDate

            """)
    }

    /// A closing quote followed by more text is an error at its row (the reader would
    /// otherwise run rows together); a line break inside quotes stays in its row.
    @Test func malformedQuotingIsAnError() {
        func problem(_ text: String) -> String {
            guard case .failure(let problem) = CSVTable.read(text, file: "c.csv") else { return "read" }
            return problem.description
        }
        #expect(problem("Id,Name\n1,\"Ann\"x,2\n3,Bo\n") == "c.csv: row 2: a quoted field's closing quote is followed by 'x'")
        #expect(problem("Id,Name\n1,\"Ann\nSmith\"\n2,\"Bo\"z\n") == "c.csv: row 3: a quoted field's closing quote is followed by 'z'")
        #expect(problem("Id,Name\r\n1,\"A \"\"B\"\"\"\r\n") == "read")
    }

    @Test func usageAndMissingFiles() throws {
        #expect(try MaplProcess.run(["import", "salesforce"], stdin: "").status == 64)
        #expect(try MaplProcess.run(["import", "salesforce", "--contacts", "no/such.csv"], stdin: "").status == 66)
        let unknown = try MaplProcess.run(["import", "salesforce", "--contacts", Self.contacts, "--account", "001X"], stdin: "")
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("error: no row has AccountId 001X"))
        let help = try MaplProcess.run(["import", "salesforce", "--help"], stdin: "")
        #expect(help.status == 0 && help.stdout.contains("--skip-bad-rows"))
    }

    @Test func valueParsing() throws {
        #expect(SalesforceMapping.stage("Id. Decision Makers") == "needs_analysis")
        #expect(SalesforceMapping.stage("Proposal/Price Quote") == "proposal")
        #expect(SalesforceMapping.stage("closed won") == "won")
        #expect(SalesforceMapping.stage("Discovery") == "needs_analysis")
        #expect(SalesforceMapping.stage("Closed Maybe") == nil)
        #expect(SalesforceMapping.type("Existing Customer - Upgrade") == "upsell")
        #expect(SalesforceMapping.type("Partner Referral") == nil)
        #expect(SalesforceMapping.amount("1,200,000.50") == Money(cents: 120_000_050, currency: .unstated))
        #expect(SalesforceMapping.amount("USD 75,000") == Money(cents: 7_500_000, currency: .unstated))
        #expect(SalesforceMapping.amount("$12") == Money(cents: 1200, currency: .unstated))
        #expect(SalesforceMapping.amount("lots") == nil)
        #expect(SalesforceMapping.amount("-5") == nil)
        #expect(SalesforceMapping.amount("1.2.3") == nil)
        #expect(SalesforceMapping.probability("55") == 0.55)
        #expect(SalesforceMapping.probability("12.5%") == 0.125)
        #expect(SalesforceMapping.probability("150") == nil)
        #expect(SalesforceMapping.date("2027-02-26") == Day(year: 2027, month: 2, day: 26))
        #expect(SalesforceMapping.date("2027-02-26T00:00:00.000Z") == Day(year: 2027, month: 2, day: 26))
        #expect(SalesforceMapping.date("2/26/2027") == Day(year: 2027, month: 2, day: 26))
        #expect(SalesforceMapping.date("26/2/2027") == Day(year: 2027, month: 2, day: 26))
        #expect(SalesforceMapping.date("2027-02-30") == nil)
        #expect(SalesforceMapping.date("soon") == nil)
        #expect(SalesforceMapping.recordKey("0035g00000DomPwAAA") == "0035g00000DomPw")
    }

    /// Column order, quoting, line breaks in fields, BOM and CRLF, straight from text.
    @Test func toleratesCSVShapes() throws {
        let text = "\u{FEFF}\"Name\",\"Extra\",\"Id\",\"Title\"\r\n\"Smith, Jane\",\"x\",\"003A\",\"Head of \"\"Ops\"\"\r\nEMEA\"\r\n\r\n"
        let result = SalesforceImport.run(contacts: ImportInput(name: "c.csv", text: text), opportunities: nil, account: nil)
        #expect(result.badRows.isEmpty && result.fatal.isEmpty)
        let person = try #require(result.document.entries.first { $0.kind == "stakeholder" })
        #expect(person.id == "smith_jane")
        #expect(person.title == "Smith, Jane")
        #expect(person["title"] == .text("Head of \"Ops\"\nEMEA"))
        #expect(person["crm_id"] == .text("003A"))
    }
}
