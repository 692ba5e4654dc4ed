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
        #expect(warnings.count == 11)
        #expect(result.stderr.contains("mapl: skipped 11 rows that cannot be imported\n"))
        let written = try String(contentsOfFile: plan, encoding: .utf8)
        let check = try MaplProcess.run(["check", plan], stdin: "")
        #expect(check.status == 0 && check.stderr.isEmpty, "\(check.stderr)")
        let loaded = loadDocument(written)
        #expect(loaded.document.entries.compactMap(\.id) == ["executive", "it_unit", "ann_boss", "fay_fine", "good_deal"])
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
        #expect(SalesforceMapping.amount("1,200,000.50") == Money(cents: 120_000_050, currency: .usd))
        #expect(SalesforceMapping.amount("USD 75,000") == Money(cents: 7_500_000, currency: .usd))
        #expect(SalesforceMapping.amount("$12") == Money(cents: 1200, currency: .usd))
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
        #expect(person.comments == ["Salesforce Contact 003A"])
    }
}
