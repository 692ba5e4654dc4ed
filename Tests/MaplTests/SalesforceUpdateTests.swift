// `mapl import salesforce … --update PLAN` on a hand-enriched plan split over three
// files (Tests/import/update/plan): the CRM's fields change where they are written,
// new records come in beside the plan's own, gone ones are reported (or removed), and
// every line the team wrote stays byte for byte.

import Foundation
import Testing

@Suite("import salesforce --update")
struct SalesforceUpdateTests {
    static let fixture = MaplProcess.root.appendingPathComponent("Tests/import/update")
    static let files = ["initech.mapl", "people.mapl", "deals.mapl"]
    static let later = ["--contacts", fixture.appendingPathComponent("contacts_later.csv").path,
                        "--opportunities", fixture.appendingPathComponent("opportunities_later.csv").path]

    /// A copy of the plan in a fresh folder.
    static func copyOfPlan(_ label: String) throws -> URL {
        let folder = try scratchFolder(label)
        for name in files {
            try FileManager.default.copyItem(at: fixture.appendingPathComponent("plan/" + name), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    static func read(_ folder: URL) throws -> [String: String] {
        var texts: [String: String] = [:]
        for name in files { texts[name] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) }
        return texts
    }

    static func update(_ folder: URL, _ extra: [String] = []) throws -> MaplProcess.Result {
        try MaplProcess.run(["import", "salesforce"] + later + ["--update", "initech.mapl"] + extra, stdin: "", in: folder)
    }

    /// Lines that hold a field the CRM owns, or a record's header (its name is the
    /// CRM's): the only lines an update may change.
    static func isCRMLine(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let owned = ["title:", "unit:", "reports_to:", "email:", "value:", "stage:", "probability:", "close:", "type:", "next_step:", "crm_id:"]
        return owned.contains { trimmed.hasPrefix($0) || line.contains("{ " + $0) || line.contains(", " + $0) }
    }

    @Test func updateChangesOnlyWhatTheCRMOwns() throws {
        let folder = try Self.copyOfPlan("update")
        let before = try Self.read(folder)
        let result = try Self.update(folder)
        #expect(result.status == 0, "\(result.stderr)")
        try expectSnapshot(result.stdout, "Tests/import/update/update.stdout")
        #expect(result.stderr == """
            mapl: matched by name (their Salesforce Id is added as crm_id): stakeholder joanna (Joanna Lopez)
            mapl: 2 records are not in the export, kept (--remove-missing removes them): stakeholder milton_waddams (Milton Waddams), opportunity basement_relocation (Basement Relocation)
            mapl: wrote people.mapl, deals.mapl: 8 changed, 3 new

            """)
        let after = try Self.read(folder)
        #expect(after["initech.mapl"] == before["initech.mapl"], "a file without CRM records is not touched")
        for name in ["people.mapl", "deals.mapl"] {
            try expectSnapshot(after[name] ?? "", "Tests/import/update/expected/" + name)
            // Every hand-written line is still there, in its order, byte for byte.
            let old = (before[name] ?? "").split(separator: "\n", omittingEmptySubsequences: false).filter { !Self.isCRMLine(String($0)) }
            var new = (after[name] ?? "").split(separator: "\n", omittingEmptySubsequences: false)[...]
            var lost: [Substring] = []
            for line in old {
                if let found = new.firstIndex(of: line) { new = new[(found + 1)...] } else { lost.append(line) }
            }
            #expect(lost.isEmpty, "\(name) lost hand-written lines: \(lost)")
        }
        let check = try MaplProcess.run(["check", "initech.mapl"], stdin: "", in: folder)
        #expect(check.status == 0, "\(check.stderr)")
        // The updated plan answers with the export's figures and keeps the team's.
        let answers = try MaplProcess.run(["run", "-"], stdin: """
            import "initech.mapl"
            print(tps_report_automation.stage, tps_report_automation.value, tps_report_automation.probability, tps_report_automation.involves)
            print(peter_gibbons.unit.name, peter_gibbons.support, joanna.crm_id, samir_nagheenanajar.reports_to.name)

            """, in: folder)
        #expect(answers.stderr.isEmpty, "\(answers.stderr)")
        #expect(answers.stdout == """
            negotiation $300,000 nil {bill_lumbergh: [approver], peter_gibbons: [champion]}
            Strategy champion 0035g00000JoLopAAA Peter Gibbons

            """)

        // Again: nothing left to change.
        let again = try Self.update(folder)
        #expect(again.status == 0)
        #expect(again.stdout.hasSuffix("No changes: both versions declare the same plan.\n"))
        #expect(again.stderr.hasSuffix("mapl: the plan already matches the export; nothing to write\n"))
        #expect(try Self.read(folder) == after)
    }

    @Test func dryRunWritesNothing() throws {
        let folder = try Self.copyOfPlan("update-dry")
        let before = try Self.read(folder)
        let result = try Self.update(folder, ["--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("stage: proposal → negotiation (forward)"))
        #expect(result.stderr.hasSuffix("mapl: would write people.mapl, deals.mapl: 8 changed, 3 new\n"))
        #expect(try Self.read(folder) == before)
    }

    @Test func removeMissingTakesTheirLinesToo() throws {
        let folder = try Self.copyOfPlan("update-remove")
        let result = try Self.update(folder, ["--remove-missing"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("2 records are not in the export, removed, with 2 lines of influence or conflict to them"))
        let after = try Self.read(folder)
        for text in after.values {
            #expect(!text.contains("milton_waddams") && !text.contains("basement_relocation"))
            #expect(!text.contains("\n\n\n"), "no double blank lines where declarations went")
        }
        #expect(after["people.mapl"]?.contains("influence peter_gibbons -> bill_lumbergh medium\ninfluence jose_nunez -> dom_portwood strong\n") == true)
        let check = try MaplProcess.run(["check", "initech.mapl"], stdin: "", in: folder)
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test func removalThatBreaksAReferenceWritesNothing() throws {
        let folder = try Self.copyOfPlan("update-remove-ref")
        let people = folder.appendingPathComponent("people.mapl")
        try (String(contentsOf: people, encoding: .utf8) + "stakeholder intern \"Intern\" { reports_to: milton_waddams }\n")
            .write(to: people, atomically: true, encoding: .utf8)
        let before = try Self.read(folder)
        let result = try Self.update(folder, ["--remove-missing"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("people.mapl:"))
        #expect(result.stderr.hasSuffix("mapl: the updated plan does not load (a record removed with --remove-missing is still named elsewhere: change those places first); nothing written\n"))
        #expect(try Self.read(folder) == before)
    }

    @Test func usageAndBadPlans() throws {
        let folder = try Self.copyOfPlan("update-usage")
        let withOutput = try Self.update(folder, ["-o", "x.mapl"])
        #expect(withOutput.status == 64 && withOutput.stderr.contains("--update writes the plan's own files"))
        let dryAlone = try MaplProcess.run(["import", "salesforce"] + Self.later + ["--dry-run"], stdin: "", in: folder)
        #expect(dryAlone.status == 64 && dryAlone.stderr.contains("go with --update PLAN"))
        let currency = try Self.update(folder, ["--currency", "EUR"])
        #expect(currency.status == 64 && currency.stderr.contains("initech.mapl is in USD"))
        let missing = try MaplProcess.run(["import", "salesforce"] + Self.later + ["--update", "nowhere.mapl"], stdin: "", in: folder)
        #expect(missing.status == 66)
        try "stakeholder a \"A\" { support: maybe }\n".write(to: folder.appendingPathComponent("broken.mapl"), atomically: true, encoding: .utf8)
        let broken = try MaplProcess.run(["import", "salesforce"] + Self.later + ["--update", "broken.mapl"], stdin: "", in: folder)
        #expect(broken.status == 65 && broken.stderr.contains("broken.mapl has errors: fix them before updating it; nothing written"))
        #expect(try String(contentsOf: folder.appendingPathComponent("broken.mapl"), encoding: .utf8) == "stakeholder a \"A\" { support: maybe }\n")
    }

    /// Layouts and cases found by review: each plan, updated from a one-person export,
    /// must come out as written here (and still check).
    @Test(arguments: [
        // No field block: one block gets every new field.
        ("stakeholder bob \"Bob Smith\"\n", "",
         "stakeholder bob \"Bob Smith\" { title: \"SVP\", unit: sales, crm_id: \"0035g00000Bob01AAA\" }\n"),
        // An empty block, on one line and with a comment inside.
        ("stakeholder bob \"Bob Smith\" {}\n", "",
         "stakeholder bob \"Bob Smith\" { title: \"SVP\", unit: sales, crm_id: \"0035g00000Bob01AAA\" }\n"),
        ("stakeholder bob \"Bob Smith\" {\n  # after the call\n}\n", "",
         "stakeholder bob \"Bob Smith\" {\n  # after the call\n  title: \"SVP\"\n  unit: sales\n  crm_id: \"0035g00000Bob01AAA\"\n}\n"),
        // A field the export leaves blank goes; the comment after it stays.
        ("stakeholder bob \"Bob Smith\" { email: \"b@x\"\n  # ask Ann first\n  unit: sales\n  crm_id: \"0035g00000Bob01AAA\"\n}\n", "",
         "stakeholder bob \"Bob Smith\" {\n  # ask Ann first\n  unit: sales\n  crm_id: \"0035g00000Bob01AAA\"\n  title: \"SVP\"\n}\n"),
        ("stakeholder bob \"Bob Smith\" {  # keep this\n  email: \"b@x\" }\n", "",
         "stakeholder bob \"Bob Smith\" {  # keep this\n  title: \"SVP\", unit: sales, crm_id: \"0035g00000Bob01AAA\" }\n"),
        // A removed record shares its line with a statement that stays.
        ("stakeholder bob \"Bob Smith\" { title: \"SVP\", unit: sales, crm_id: \"0035g00000Bob01AAA\" }\nstakeholder gone \"Gone\" { crm_id: \"0035g00000Gon01AAA\" }; stakeholder keep \"Keep\"\n",
         "--remove-missing",
         "stakeholder bob \"Bob Smith\" { title: \"SVP\", unit: sales, crm_id: \"0035g00000Bob01AAA\" }\nstakeholder keep \"Keep\"\n"),
        // A removed record was the place for new ones (Ann comes after Bob).
        ("stakeholder bob \"Bob Smith\" { title: \"SVP\", unit: sales, crm_id: \"0035g00000Bob01AAA\" }\n\nstakeholder gone \"Gone\" { crm_id: \"0035g00000Gon01AAA\" }\n\nlet x = 1\n",
         "--remove-missing ann",
         "stakeholder bob \"Bob Smith\" { title: \"SVP\", unit: sales, crm_id: \"0035g00000Bob01AAA\" }\nstakeholder ann_lee \"Ann Lee\" { title: \"CTO\", unit: sales, crm_id: \"0035g00000Ann01AAA\" }\n\nlet x = 1\n"),
        // A comment that mentions Salesforce is not an Id.
        ("# Salesforce Contact IDs: see crm_id.\nstakeholder me \"Our AE\" { title: \"AE\" }\nstakeholder bob \"Bob Smith\" { title: \"SVP\", unit: sales, crm_id: \"0035g00000Bob01AAA\" }\n",
         "--remove-missing",
         "# Salesforce Contact IDs: see crm_id.\nstakeholder me \"Our AE\" { title: \"AE\" }\nstakeholder bob \"Bob Smith\" { title: \"SVP\", unit: sales, crm_id: \"0035g00000Bob01AAA\" }\n"),
    ])
    func targetedEdits(plan: String, options: String, expected: String) throws {
        let folder = try scratchFolder("update-edit")
        var csv = "Id,AccountId,Name,Title,Department,ReportsToId,Email\n0035g00000Bob01AAA,001A,Bob Smith,SVP,Sales,,\n"
        if options.contains("ann") { csv += "0035g00000Ann01AAA,001A,Ann Lee,CTO,Sales,,\n" }
        try csv.write(to: folder.appendingPathComponent("c.csv"), atomically: true, encoding: .utf8)
        try ("unit sales \"Sales\" { kind: function }\n" + plan).write(to: folder.appendingPathComponent("plan.mapl"), atomically: true, encoding: .utf8)
        let extra = options.split(separator: " ").map(String.init).filter { $0.hasPrefix("--") }
        let result = try MaplProcess.run(["import", "salesforce", "--contacts", "c.csv", "--update", "plan.mapl"] + extra, stdin: "", in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("plan.mapl"), encoding: .utf8) == "unit sales \"Sales\" { kind: function }\n" + expected)
        #expect(try MaplProcess.run(["check", "plan.mapl"], stdin: "", in: folder).status == 0)
    }

    @Test func matchingAndSafety() throws {
        let folder = try scratchFolder("update-match")
        func write(_ name: String, _ text: String) throws { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        func update(_ csv: String, _ plan: String, _ extra: [String] = []) throws -> MaplProcess.Result {
            try MaplProcess.run(["import", "salesforce", "--contacts", csv, "--update", plan] + extra, stdin: "", in: folder)
        }
        // Two rows share a name: neither takes the plan's record of that name.
        try write("two.csv", "Id,Name,Title\n0035g00000Mb001AAA,Michael Bolton,Engineer\n0035g00000Mb002AAA,Michael Bolton,Buyer\n")
        try write("mb.mapl", "stakeholder mb \"Michael Bolton\" { title: \"Engineer\" }\n")
        #expect(try update("two.csv", "mb.mapl").status == 0)
        #expect(try String(contentsOf: folder.appendingPathComponent("mb.mapl"), encoding: .utf8).hasPrefix("stakeholder mb \"Michael Bolton\" { title: \"Engineer\" }\n\n"))
        // A manager only the plan has is still in the CRM: not missing, and linked.
        try write("eve.csv", "Id,Name,Title,ReportsToId\n0035g00000Emp01AAA,Eve Emp,Dev,0035g00000Bos01\n")
        try write("boss.mapl", "stakeholder boss \"The Boss\" { crm_id: \"0035g00000Bos01AAA\" }\n")
        let boss = try update("eve.csv", "boss.mapl", ["--remove-missing"])
        #expect(boss.status == 0 && !boss.stderr.contains("not in the export"), "\(boss.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("boss.mapl"), encoding: .utf8).contains("reports_to: boss"))
        // Two records with one Id: the first is updated, the second named in a warning.
        try write("bob.csv", "Id,Name,Title\n0035g00000Bob01AAA,Bob Smith,SVP\n")
        try write("bobs.mapl", "stakeholder bob \"Bob\" { crm_id: \"0035g00000Bob01AAA\" }\nstakeholder bob2 \"Robert\" { crm_id: \"0035g00000Bob01\" }\n")
        let bobs = try update("bob.csv", "bobs.mapl")
        #expect(bobs.stderr.contains("warning: these have the Salesforce Id of an earlier record, which alone is updated: stakeholder bob2 (Robert)"))
        // A folder of the user's called std is not the standard library.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("std"), withIntermediateDirectories: true)
        try write("std/plan.mapl", "stakeholder bob \"Bob\" { crm_id: \"0035g00000Bob01AAA\" }\n")
        #expect(try update("bob.csv", "std/plan.mapl").stderr.hasSuffix("mapl: wrote std/plan.mapl: 1 changed\n"))
        // Standard input is no plan file.
        #expect(try update("bob.csv", "-").status == 64)
    }
}
