// `mapl diff OLD NEW`: what changed between two versions of a plan, in account terms.

import ArgumentParser
import Foundation
import Mapl

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two versions of a plan, in account terms.",
        discussion: """
            Reports the pipeline before and after (goal, won, open, weighted, gap, pipeline \
            needed), new, won, lost and changed opportunities (stage moves, value, \
            probability, close dates), new and removed stakeholders and how their support, \
            influence, coverage and relationship moved, changed lines of influence, every \
            other declaration that changed, and the rule warnings fixed and new. \
            Statements are not run.

            Either file may be - for standard input, e.g. an earlier version from git:
              git show HEAD~3:plan.mapl | mapl diff - plan.mapl
            A plan read from standard input resolves its imports from the current \
            directory (so a split plan's other files come from the working tree).

            Exit status: 0 (whether or not anything changed), 65 when either plan has \
            errors, 66 when a file cannot be read.
            """
    )

    @Argument(help: "The earlier version (- for standard input).")
    var old: String

    @Argument(help: "The later version (- for standard input).")
    var new: String

    func validate() throws {
        if old == "-" && new == "-" { throw ValidationError("only one of the two plans can come from standard input") }
    }

    func run() throws {
        let terminal = Terminal()
        guard let oldText = terminal.read(old), let newText = terminal.read(new) else { throw ExitCode(Status.noInput) }
        let report: String? = withLargeStack {
            var versions: [PlanVersion] = []
            var failed = false
            for (path, text) in [(old, oldText), (new, newText)] {
                let session = Session(output: { _ in })
                let source = session.addSource(name: path == "-" ? "<stdin>" : path, text: text)
                let errors = session.loadPlan(source)
                if !errors.isEmpty {
                    terminal.writeError(errors.map(terminal.renderer(session.sources).render).joined())
                    failed = true
                }
                versions.append(PlanVersion(name: path == "-" ? "standard input" : path, session: session))
            }
            return failed ? nil : PlanDiff(old: versions[0], new: versions[1]).report
        }
        guard let report else { throw ExitCode(Status.dataError) }
        terminal.writeOutput(report)
        terminal.flushOutput()
    }
}
