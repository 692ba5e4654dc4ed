// `plan_changes(old, new?)`: `mapl diff` for scripts, so a portfolio script can list
// what changed in each account since the last snapshot. Plans are opened as
// `open_plan` opens them; without `new`, the running plan is the later version.

extension Builtins {
    static let planDiffEntries: [Entry] = [
        Entry(name: "plan_changes", arity: Arity(min: 1, max: 2), doc: "plan_changes(old, new?): what changed from the plan file old to the plan file new (default: this plan), as {kind, item, status, details}; status is new, removed, won, lost or changed") { args, context in
            guard let session = context.machine.session else { throw context.fail("plan_changes", "no session to open plans in") }
            let oldPath = try string("plan_changes", args[0], context)
            let old = PlanVersion(name: oldPath, session: try session.openedSession(oldPath, at: context.span, top: context.top), top: context.top)
            let new: PlanVersion
            if args.count > 1 {
                let newPath = try string("plan_changes", args[1], context)
                new = PlanVersion(name: newPath, session: try session.openedSession(newPath, at: context.span, top: context.top), top: context.top)
            } else {
                new = PlanVersion(name: "this plan", session: session, top: context.top)
            }
            // (Every version runs its code, if any, in frames from the caller's top: opened
            // plans share this session's value stack.)
            // Rules are not run here: the changes returned do not include warnings.
            let diff = PlanDiff(old: old, new: new, checks: false)
            return .list(ListObject(ContiguousArray(diff.changes.map { change in
                .record(RecordObject([
                    ("kind", .string(change.kind.name)), ("item", .string(change.label)), ("status", .string(change.status.rawValue)),
                    ("details", .string(([change.summary].compactMap { $0 } + change.details).joined(separator: "; "))),
                ]))
            })))
        },
    ]
}
