// Loading a plan to look at it rather than run it: its declarations (and imports) are
// created and checked, its top-level statements do not run. `mapl diff` and the
// imports' self-check use it.

extension Session {
    /// Declares the entities and rules of `source` and the files it imports, without
    /// running its statements (as `mapl check` does). Returns the errors; when there
    /// are none, `machine.plan` holds the plan.
    public func loadPlan(_ source: SourceFile) -> [Diagnostic] { loadPlan(source, from: nil) }

    /// `loadPlan`, with the plan's code run in frames from `base` (see `prepare`).
    func loadPlan(_ source: SourceFile, from base: Frame?) -> [Diagnostic] {
        switch prepare(source, from: base) {
        case .failure(let diagnostics): return diagnostics.list.filter { $0.severity == .error }
        case .success: return []
        }
    }

    /// Everything `check` reports (syntax, names, schema, the built-in checks, the
    /// plan's rules), with the plan declared in this session rather than a scratch one,
    /// so that it can be asked afterwards (an editor's completion and hover). Statements
    /// do not run; with errors, the session's plan is left as it was.
    public func checkAndKeep(_ source: SourceFile) -> [Diagnostic] {
        MemoryBudget.startEvaluation()
        switch prepare(source) {
        case .failure(let diagnostics): return diagnostics.list
        case .success: return Session.inSourceOrder(warnings + machine.checkPlan(top: machine.stack))
        }
    }

    /// The plan this session has declared, as data (see `PlanDocument`).
    public var planDocument: PlanDocument { PlanDocument(plan: machine.plan, sources: sources) }
}
