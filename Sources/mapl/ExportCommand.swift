// `mapl export`: the plan as JSON, CSV, Markdown, HTML, or a picture (DOT, Mermaid,
// SVG, PNG). Loads the plan as `mapl check` does (without running statements); a plan
// with errors is reported and nothing is written.

import ArgumentParser
import Foundation
import Mapl

extension ExportFormat: ExpressibleByArgument {}
extension ExportView: ExpressibleByArgument {}
extension MapLayout: ExpressibleByArgument {}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a plan as JSON, CSV, Markdown, HTML, a picture, or into a SQL database.",
        discussion: """
            PLAN is the plan's entry file (one that imports the rest, like \
            examples/globex/plan.mapl), or - for standard input; several files are read \
            as one plan. Statements are not run.

            Formats: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")). \
            Without --format, the extension of -o chooses it. --format sqlite -o team.db \
            adds the plan to a SQLite database (created when missing), replacing that \
            account's rows; --format sql writes the same as SQL text for PostgreSQL \
            (docs/sql-schema.md).

            Exit status: 0 ok, 64 usage, 65 the plan has errors (nothing is written), \
            66 a plan file is missing, 69 a needed program (Graphviz) is not installed, \
            70 it failed, 73 the output file cannot be written.
            """
    )

    @Option(name: .shortAndLong, help: "The output format.")
    var format: ExportFormat?

    @Option(help: ArgumentHelp("For --format csv: the entity kind to write, e.g. stakeholder or opportunity.", valueName: "kind"))
    var table: String?

    @Option(help: "For pictures: what to draw: stakeholders (the map, default), whitespace or ranking (SVG heat maps).")
    var view: ExportView?

    @Option(help: "For the stakeholder map as svg or png: graphviz (default; needs Graphviz installed) or builtin (mapl's own SVG layout).")
    var layout: MapLayout?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @Argument(help: "The plan's entry file (or several files that form one plan), or - for standard input.")
    var plans: [String] = []

    func validate() throws {
        if plans.isEmpty { throw ValidationError("give the plan file to export, e.g. mapl export --format json plan.mapl") }
        if plans.count > 1, plans.contains("-") { throw ValidationError("'-' (standard input) cannot be combined with other plan files") }
        if format == nil, output.flatMap(ExportFormat.implied) == nil {
            throw ValidationError("give --format (\(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))), or -o with one of their extensions")
        }
    }

    func run() throws {
        let terminal = Terminal()
        guard let format = format ?? output.flatMap(ExportFormat.implied) else { throw ExitCode(Status.usage) }
        if format == .sqlite, output == nil {
            terminal.writeError("mapl export: --format sqlite writes into a database file: give -o FILE.db (created when missing)\n")
            throw ExitCode(Status.usage)
        }
        if format == .png, output == nil, isatty(STDOUT_FILENO) != 0 {
            terminal.writeError("mapl export: PNG is binary: give -o FILE.png, or redirect standard output to a file\n")
            throw ExitCode(Status.usage)
        }
        let options = ExportOptions(table: table, view: view, layout: layout)
        do throws(ExportError) {
            try PlanExport.check(options, for: format)
        } catch {
            terminal.writeError("mapl export: \(error.message)\n")
            throw ExitCode(Status.usage)
        }
        var texts: [String] = []
        for plan in plans {
            guard let text = terminal.read(plan) else { throw ExitCode(Status.noInput) }
            texts.append(text)
        }
        let (exported, status): (ExportOutput?, Int32) = withLargeStack {
            let session = Session(output: { _ in })
            let source: SourceFile
            if plans.count == 1 {
                source = session.addSource(name: plans[0] == "-" ? "<stdin>" : plans[0], text: texts[0])
            } else {
                // Several files: one entry that imports them all, so they form one plan.
                source = session.addSource(name: "<export>", text: plans.map { "import \(quoted($0))\n" }.joined())
            }
            let problems = session.declarePlan(source)
            if !problems.isEmpty {
                let renderer = terminal.renderer(session.sources)
                terminal.writeError(problems.map(renderer.render).joined())
                return (nil, Status.dataError)
            }
            do throws(ExportError) {
                return (try session.export.render(format, options), 0)
            } catch {
                terminal.writeError("mapl export: \(error.message)\n")
                switch error {
                case .usage: return (nil, Status.usage)
                case .unavailable: return (nil, Status.unavailable)
                case .failed, .interrupted: return (nil, Status.software)
                }
            }
        }
        guard let exported else { throw ExitCode(status) }
        let data: Data
        switch exported {
        case .text(let text): data = Data(text.utf8)
        case .bytes(let bytes): data = Data(bytes)
        case .database(let sql):
            // A database is changed in place (this account's rows replaced), not rewritten.
            do {
                try SQLiteDatabase.execute(sql, in: output ?? "")
            } catch {
                terminal.writeError("mapl export: \(error.description)\n")
                throw ExitCode(Status.cannotCreate)
            }
            return
        }
        guard let output else {
            terminal.writeOutput(bytes: [UInt8](data))
            terminal.flushOutput()
            return
        }
        do {
            try AtomicFile.write(data, to: output)
        } catch {
            terminal.writeError("mapl export: \(error.description)\n")
            throw ExitCode(Status.cannotCreate)
        }
    }

    /// A file name as a mapl string literal.
    private func quoted(_ path: String) -> String {
        var out = "\""
        for character in path {
            switch character {
            case "\"", "\\", "{", "}": out += "\\" + String(character)
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}

extension Status {
    static let unavailable: Int32 = 69   // a program the command needs is not installed
    static let cannotCreate: Int32 = 73  // the output file cannot be written
}
