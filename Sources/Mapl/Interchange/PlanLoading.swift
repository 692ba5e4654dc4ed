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

    /// The plan this session has declared, as data (see `PlanDocument`).
    public var planDocument: PlanDocument { PlanDocument(plan: machine.plan, sources: sources) }
}
