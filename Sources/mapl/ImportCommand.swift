// `mapl import salesforce|json`: make a plan file from CRM exports or from mapl's JSON.
// Every imported plan is checked like `mapl check` before it is written, and written
// atomically; on any error nothing is written.

import ArgumentParser
import Foundation
import Mapl

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Make a plan file from Salesforce CSV exports or from mapl JSON.",
        subcommands: [ImportSalesforce.self]
    )
}

struct ImportSalesforce: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "salesforce",
        abstract: "Make a plan from Salesforce Contact and Opportunity CSV exports.",
        discussion: """
            Contacts become stakeholders (Title, Department as units, ReportsToId as \
            reports_to, Email, Phone in a note); opportunities keep Name, Amount, \
            Probability, CloseDate, Type, NextStep, with StageName mapped to mapl's stages \
            (Value Proposition, Id. Decision Makers and Perception Analysis count as \
            needs_analysis). Ids are made from names; each declaration's comment keeps \
            the Salesforce Id. Columns may come in any order, with extra columns, quoted \
            fields, line breaks in fields, a byte-order mark and CRLF line ends.

            A row that cannot be imported (no Id or name, an unknown stage, a bad amount, \
            probability or date, a ReportsToId that matches no contact) is reported with \
            its row number (the header is row 1). Then nothing is written and the exit \
            status is 65, unless --skip-bad-rows is given.

            Example: mapl import salesforce --contacts Contact.csv --opportunities Opportunity.csv --account 001Hs00002abcDE -o acme.mapl
            """
    )

    @Option(help: ArgumentHelp("The Contact export (CSV).", valueName: "file"))
    var contacts: String?

    @Option(help: ArgumentHelp("The Opportunity export (CSV).", valueName: "file"))
    var opportunities: String?

    @Option(help: ArgumentHelp("Import only rows whose AccountId is this id (15 or 18 characters).", valueName: "id"))
    var account: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The plan file to write (default: standard output).", valueName: "plan.mapl"))
    var output: String?

    @Flag(help: "Leave out rows that cannot be imported (each is reported as a warning) instead of writing nothing.")
    var skipBadRows = false

    func validate() throws {
        if contacts == nil && opportunities == nil { throw ValidationError("give --contacts FILE, --opportunities FILE or both") }
    }

    func run() throws {
        let terminal = Terminal()
        var inputs: [ImportInput?] = []
        for path in [contacts, opportunities] {
            guard let path else { inputs.append(nil); continue }
            guard let text = terminal.read(path) else { throw ExitCode(Status.noInput) }
            inputs.append(ImportInput(name: path, text: text))
        }
        let result = SalesforceImport.run(contacts: inputs[0], opportunities: inputs[1], account: account)
        for problem in result.fatal { terminal.writeError(render(problem, severity: "error")) }
        if !result.fatal.isEmpty { throw ExitCode(Status.dataError) }
        for problem in result.warnings { terminal.writeError(render(problem, severity: "warning")) }
        for problem in result.badRows { terminal.writeError(render(problem, severity: skipBadRows ? "warning" : "error")) }
        let count = result.badRows.count
        if count > 0 && !skipBadRows {
            terminal.writeError("mapl: \(count) row\(count == 1 ? "" : "s") cannot be imported; nothing written. Fix \(count == 1 ? "it" : "them"), or import the other rows with --skip-bad-rows.\n")
            throw ExitCode(Status.dataError)
        }
        if count > 0 { terminal.writeError("mapl: skipped \(count) row\(count == 1 ? "" : "s") that cannot be imported\n") }
        try writeImportedPlan(result.document, summary: result.counts, to: output, terminal: terminal)
    }
}

/// `contacts.csv: row 7: error: message` and an indented hint.
func render(_ problem: ImportProblem, severity: String) -> String {
    "\(problem.file): " + (problem.row.map { "row \($0): " } ?? "") + "\(severity): \(problem.message)\n"
        + (problem.hint.map { "  hint: \($0)\n" } ?? "")
}

/// Writes an imported plan to `path` (atomically) or standard output, after checking it
/// as `mapl check` would: an importer bug must not leave a plan that does not load.
func writeImportedPlan(_ document: PlanDocument, summary: [(kind: String, count: Int)], to path: String?, terminal: Terminal) throws {
    let text = PlanWriter.write(document)
    let problems = withLargeStack {
        let session = Session(output: { _ in })
        let source = session.addSource(name: path ?? "<import>", text: text)
        let diagnostics = session.check(source).filter { $0.severity == .error }
        return diagnostics.map(terminal.renderer(session.sources).render).joined()
    }
    if !problems.isEmpty {
        terminal.writeError("mapl: internal error: the imported plan does not pass check; nothing written\n" + problems)
        throw ExitCode(Status.software)
    }
    guard let path else {
        terminal.writeOutput(text)
        terminal.flushOutput()
        return
    }
    do {
        try AtomicFile.write(text, to: path)
    } catch {
        terminal.writeError("mapl: \(error)\n")
        throw ExitCode(Status.software)
    }
    let counts = summary.map { "\($0.count) \($0.kind)" }.joined(separator: ", ")
    terminal.writeError("mapl: wrote \(path)\(counts.isEmpty ? " (an empty plan)" : ": " + counts)\n")
}
