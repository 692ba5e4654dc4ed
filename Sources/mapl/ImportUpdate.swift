// `mapl import salesforce … --update PLAN`: a fresh export brought into a plan the team
// has worked on (see SalesforceUpdate.swift for what changes and what stays). The
// updated plan must load before anything is written; the change is printed as
// `mapl diff` prints it; each changed file is replaced atomically.

import ArgumentParser
import Mapl

extension ImportSalesforce {
    func runUpdate(plan path: String, inputs: [ImportInput?], options: SalesforceImportOptions, terminal: Terminal) throws {
        guard let text = terminal.read(path) else { throw ExitCode(Status.noInput) }
        let status: Int32 = withLargeStack { updatePlan(path, text: text, inputs: inputs, options: options, terminal: terminal) }
        if status != 0 { throw ExitCode(status) }
    }

    /// The whole update, on one large stack (the plan's code runs); the exit status.
    private func updatePlan(_ path: String, text: String, inputs: [ImportInput?], options: SalesforceImportOptions, terminal: Terminal) -> Int32 {
        let session = Session(output: { _ in })
        let source = session.addSource(name: path, text: text)
        let errors = session.loadPlan(source)
        if !errors.isEmpty {
            terminal.writeError(errors.map(terminal.renderer(session.sources).render).joined()
                                + "mapl: \(path) has errors: fix them before updating it; nothing written\n")
            return Status.dataError
        }
        var options = options
        let planCurrency = session.machine.plan.currency
        if currency != nil, options.currency != planCurrency {
            terminal.writeError("mapl: \(path) is in \(planCurrency.code): leave out --currency, or give --currency \(planCurrency.code)\n")
            return Status.usage
        }
        options.currency = planCurrency
        let updater = SalesforcePlanUpdater(session: session, main: source)
        options.existing = updater.existingRecords
        let result = SalesforceImport.run(contacts: inputs[0], opportunities: inputs[1], options: options)
        do {
            try report(result, terminal)
        } catch {
            return (error as? ExitCode)?.rawValue ?? Status.dataError
        }
        let kinds = Set([inputs[0].map { _ in "stakeholder" }, inputs[1].map { _ in "opportunity" }].compactMap { $0 })
        let update = updater.update(with: result, kinds: kinds, removeMissing: removeMissing)

        // The plan as it will be: it must load, and the change is what `mapl diff` shows.
        let later = Session(output: { _ in })
        for file in update.files where file.path != path { later.unsavedFiles[Session.canonicalPath(file.path)] = file.after }
        let laterSource = later.addSource(name: path, text: update.files.first { $0.path == path }?.after ?? text)
        let laterErrors = later.loadPlan(laterSource)
        if !laterErrors.isEmpty {
            let why = update.removedMissing ? " (a record removed with --remove-missing is still named elsewhere: change those places first)" : ""
            terminal.writeError(laterErrors.map(terminal.renderer(later.sources).render).joined()
                                + "mapl: the updated plan does not load\(why); nothing written\n")
            return Status.dataError
        }
        let diff = PlanDiff(old: PlanVersion(name: path, session: session), new: PlanVersion(name: "the export", session: later))
        terminal.writeOutput(diff.report)
        terminal.flushOutput()
        summarize(update, terminal)
        if dryRun { return 0 }
        for file in update.files {
            do {
                try AtomicFile.write(file.after, to: file.path)
            } catch {
                terminal.writeError("mapl: \(error)\n")
                return Status.cannotCreate
            }
        }
        return 0
    }

    /// What was matched, added, changed and missed, on standard error.
    private func summarize(_ update: PlanUpdate, _ terminal: Terminal) {
        func list(_ records: [PlanUpdate.Record]) -> String {
            records.map { "\($0.kind) \($0.id)" + ($0.name == $0.id ? "" : " (\($0.name))") }.joined(separator: ", ")
        }
        if !update.sharedIDs.isEmpty {
            terminal.writeError("mapl: warning: these have the Salesforce Id of an earlier record, which alone is updated: \(list(update.sharedIDs))\n")
        }
        if !update.matchedByName.isEmpty {
            terminal.writeError("mapl: matched by name (their Salesforce Id is added as crm_id): \(list(update.matchedByName))\n")
        }
        if !update.missing.isEmpty {
            let what = update.missing.count == 1 ? "1 record is" : "\(update.missing.count) records are"
            let fate: String
            if update.removedMissing {
                fate = "removed" + (update.removedLines > 0 ? ", with \(update.removedLines) line\(update.removedLines == 1 ? "" : "s") of influence or conflict to them" : "")
            } else if update.removalWithheld {
                fate = "kept: rows of the export could not be read, so they may still be in it"
            } else {
                fate = "kept (--remove-missing removes them)"
            }
            terminal.writeError("mapl: \(what) not in the export, \(fate): \(list(update.missing))\n")
        }
        let removed = update.removedMissing ? update.missing.count : 0
        let counts = [(update.changed.count, "changed"), (update.added.count, "new"), (removed, "removed")]
            .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        let files = update.files.map(\.path).joined(separator: ", ")
        if update.files.isEmpty {
            terminal.writeError("mapl: the plan already matches the export; nothing to write\n")
        } else {
            let verb = dryRun ? "would write" : "wrote"
            terminal.writeError("mapl: \(verb) \(files)" + (counts.isEmpty ? "" : ": " + counts.joined(separator: ", ")) + "\n")
        }
    }
}
