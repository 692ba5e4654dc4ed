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
        subcommands: [ImportJSON.self, ImportSalesforce.self]
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

            Exports from Data Loader (API names) and from reports (labels such as \
            "Opportunity Name", "Close Date", "Amount (converted)", "Reports To" with a \
            manager's name) are both read. A stage outside Salesforce's standard list is \
            mapped with --stage-map "Org Stage=mapl_stage" (repeatable, or a file of such \
            lines), else from the row's IsWon, IsClosed, Probability (the stage whose \
            default chance is nearest) or Forecast Category (Commit: negotiation, Best \
            Case: proposal). Amounts are in the plan's currency (--currency, USD by \
            default): a row in another currency (CurrencyIsoCode, or a code before the \
            amount) takes its converted amount. A blank Probability leaves the deal to its \
            stage's chance. A manager outside the export: the person comes in without \
            reports_to, with a warning.

            A row that cannot be imported (no Id or name, a stage nothing maps) and a field \
            that cannot be read (an amount, probability or date; an amount in another \
            currency without its conversion) are reported with their row number (the \
            header is row 1). Then nothing is written and the exit status is 65, unless \
            --skip-bad-rows is given: bad rows are left out, bad fields left off their row.

            Each record keeps its Salesforce Id in its crm_id field. With --update PLAN a \
            fresh export is brought into a plan the team has worked on: records are \
            matched by crm_id (or by name, for one the plan has without an Id); the \
            fields Salesforce owns (name, title, unit, reports_to, email; value, stage, \
            probability, close, type, next_step) are changed where they are written, in \
            whichever file of the plan; new contacts, deals and departments are added \
            beside the plan's own; records gone from the export are reported and kept \
            (--remove-missing removes them, with the lines of influence and conflict to \
            them). Every other field, comment and declaration stays as written. The \
            change is printed as `mapl diff` prints it, and each changed file written \
            atomically; --dry-run writes nothing.

            Example: mapl import salesforce --contacts Contact.csv --opportunities Opportunity.csv --account 001Hs00002abcDE -o acme.mapl
            Later:   mapl import salesforce --contacts Contact.csv --opportunities Opportunity.csv --update acme.mapl
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

    @Flag(help: "Leave out rows that cannot be imported, and fields that cannot be read (each is reported as a warning), instead of writing nothing.")
    var skipBadRows = false

    @Option(name: .customLong("stage-map"), help: ArgumentHelp("An org's stage onto a mapl stage, \"Org Stage=mapl_stage\" (repeatable), or a file of such lines.", valueName: "mapping"))
    var stageMaps: [String] = []

    @Option(help: ArgumentHelp("The plan's currency, e.g. EUR (default USD): amounts in another currency take their converted amount.", valueName: "code"))
    var currency: String?

    @Option(help: ArgumentHelp("Bring the export into this existing plan (and the files it imports) instead of writing a new one.", valueName: "plan.mapl"))
    var update: String?

    @Flag(help: "With --update: print what would change, write nothing.")
    var dryRun = false

    @Flag(help: "With --update: remove the plan's records that the export no longer has (they are kept and reported otherwise).")
    var removeMissing = false

    func validate() throws {
        if contacts == nil && opportunities == nil { throw ValidationError("give --contacts FILE, --opportunities FILE or both") }
        if update != nil && output != nil { throw ValidationError("--update writes the plan's own files: leave out --output") }
        if update == "-" { throw ValidationError("--update takes the plan's file, not standard input") }
        if update == nil && (dryRun || removeMissing) { throw ValidationError("--dry-run and --remove-missing go with --update PLAN") }
    }

    func run() throws {
        let terminal = Terminal()
        var inputs: [ImportInput?] = []
        for path in [contacts, opportunities] {
            guard let path else { inputs.append(nil); continue }
            guard let text = terminal.read(path) else { throw ExitCode(Status.noInput) }
            inputs.append(ImportInput(name: path, text: text))
        }
        if let update {
            try runUpdate(plan: update, inputs: inputs, options: try options(terminal), terminal: terminal)
            return
        }
        let result = SalesforceImport.run(contacts: inputs[0], opportunities: inputs[1], options: try options(terminal))
        try report(result, terminal)
        try writeImportedPlan(result.document, summary: result.counts, to: output, terminal: terminal)
    }

    /// Prints the import's problems; throws the exit status when nothing may be written.
    func report(_ result: ImportResult, _ terminal: Terminal) throws {
        for problem in result.fatal { terminal.writeError(render(problem, severity: "error")) }
        if !result.fatal.isEmpty { throw ExitCode(Status.dataError) }
        for problem in result.warnings { terminal.writeError(render(problem, severity: "warning")) }
        // With --skip-bad-rows a bad field is left off its row, which is imported.
        let dropped = result.droppedFields.map { problem in
            skipBadRows ? ImportProblem(file: problem.file, row: problem.row, message: problem.message + "; the row is imported without it", hint: problem.hint) : problem
        }
        let problems = (result.badRows + dropped).sorted { ($0.file, $0.row ?? 0) < ($1.file, $1.row ?? 0) }
        for problem in problems { terminal.writeError(render(problem, severity: skipBadRows ? "warning" : "error")) }
        let (rows, fields) = (result.badRows.count, result.droppedFields.count)
        func counted(_ n: Int, _ what: String) -> String { "\(n) \(what)\(n == 1 ? "" : "s")" }
        if rows + fields > 0 && !skipBadRows {
            let what = [rows > 0 ? counted(rows, "row") + " cannot be imported" : nil, fields > 0 ? counted(fields, "field") + " cannot be read" : nil]
            terminal.writeError("mapl: \(what.compactMap { $0 }.joined(separator: " and ")); nothing written. Fix them, or import the rest with --skip-bad-rows.\n")
            throw ExitCode(Status.dataError)
        }
        if rows > 0 { terminal.writeError("mapl: skipped \(counted(rows, "row")) that cannot be imported\n") }
        if fields > 0 { terminal.writeError("mapl: left off \(counted(fields, "field")) that cannot be read\n") }
    }

    /// The options as the importer takes them; usage errors for bad mappings or codes.
    private func options(_ terminal: Terminal) throws -> SalesforceImportOptions {
        var options = SalesforceImportOptions(account: account)
        if let currency {
            guard let known = Currency(code: currency.uppercased()) else {
                throw ValidationError("--currency: '\(currency)' is not a currency mapl knows (\(Scales.currency.values.map(\.name).joined(separator: ", ")))")
            }
            options.currency = known
        }
        for mapping in stageMaps {
            // A mapping, or a file of mappings (one a line; # starts a comment).
            var lines = [mapping]
            if !mapping.contains("=") {
                guard let text = terminal.read(mapping) else { throw ExitCode(Status.noInput) }
                lines = text.split(whereSeparator: \.isNewline).map(String.init).filter {
                    let trimmed = $0.trimmingCharacters(in: .whitespaces)
                    return !trimmed.isEmpty && !trimmed.hasPrefix("#")
                }
            }
            for line in lines {
                if let problem = options.addStageMapping(line) { throw ValidationError("--stage-map: \(problem)") }
            }
        }
        return options
    }
}

struct ImportJSON: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "json",
        abstract: "Make a plan from the JSON that `mapl export --format json` writes.",
        discussion: """
            Reads the versioned JSON form of a plan (docs/json-schema.md) and writes it as \
            canonical .mapl source: definitions, then every entity kind in schema order, \
            then the rules. Exporting the written plan gives the same JSON. Problems \
            (invalid JSON, another format or version, unknown kinds or fields, values that \
            do not fit their field, unknown ids) are reported with their JSON path, and \
            nothing is written (exit 65).

            Example: mapl import json globex.json -o globex.mapl
            """
    )

    @Argument(help: "The JSON file (- for standard input).")
    var file: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The plan file to write (default: standard output).", valueName: "plan.mapl"))
    var output: String?

    func run() throws {
        let terminal = Terminal()
        guard let text = terminal.read(file) else { throw ExitCode(Status.noInput) }
        let name = file == "-" ? "<stdin>" : file
        var result = JSONPlanReader.read(text, file: name)
        result.document.header = ["Imported from \(name) by `mapl import json`."]
        for problem in result.fatal { terminal.writeError(render(problem, severity: "error")) }
        if !result.fatal.isEmpty { throw ExitCode(Status.dataError) }
        // The code in the JSON (rules, functions) is the user's: if it does not check,
        // that is bad input, not a bug.
        try writeImportedPlan(result.document, summary: result.counts, to: output, terminal: terminal,
                              checkedAs: "\(name) as .mapl", failure: Status.dataError)
    }
}

/// `contacts.csv: row 7: error: message` and an indented hint.
func render(_ problem: ImportProblem, severity: String) -> String {
    "\(problem.location): \(severity): \(problem.message)\n"
        + (problem.hint.map { "  hint: \($0)\n" } ?? "")
}

/// Writes an imported plan to `path` (atomically) or standard output, after checking it
/// as `mapl check` would: an importer bug must not leave a plan that does not load.
func writeImportedPlan(_ document: PlanDocument, summary: [(kind: String, count: Int)], to path: String?, terminal: Terminal,
                       checkedAs name: String? = nil, failure status: Int32 = Status.software) throws {
    let text = PlanWriter.write(document)
    let problems = withLargeStack {
        let session = Session(output: { _ in })
        let source = session.addSource(name: name ?? path ?? "<import>", text: text)
        let diagnostics = session.check(source).filter { $0.severity == .error }
        return diagnostics.map(terminal.renderer(session.sources).render).joined()
    }
    if !problems.isEmpty {
        let what = status == Status.software ? "internal error: the imported plan" : "the imported plan"
        terminal.writeError(problems + "mapl: \(what) does not pass check; nothing written\n")
        throw ExitCode(status)
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
        throw ExitCode(Status.cannotCreate)
    }
    let counts = summary.map { "\($0.count) \($0.kind)" }.joined(separator: ", ")
    terminal.writeError("mapl: wrote \(path)\(counts.isEmpty ? " (an empty plan)" : ": " + counts)\n")
}
