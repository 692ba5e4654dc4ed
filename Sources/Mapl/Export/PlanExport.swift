// What every export format starts from: a checked plan, the sources it came from (for
// code carried as text and for positions in messages) and the day it is seen on.

/// A plan ready to be exported in any format.
public struct PlanExport {
    public let plan: Plan
    public let sources: SourceMap
    /// The day derived figures (days to close, days since contact) are counted from.
    public let today: Day

    public init(plan: Plan, sources: SourceMap, today: Day) {
        self.plan = plan
        self.sources = sources
        self.today = today
    }

    /// The entities of a kind, by its keyword.
    func entities(_ kind: String) -> [Entity] {
        Schema.kind(named: kind).map(plan.entities) ?? []
    }

    /// The singleton entity of a kind (the account, the strategy), if declared.
    func singleton(_ kind: String) -> Entity? { entities(kind).first }

    /// A derived field (`weighted`, `covered_by`, …) as the language computes it.
    func derived(_ entity: Entity, _ field: String) -> Value? {
        DerivedFields.value(entity, field, plan: plan, today: today)
    }

    /// The source text of a span.
    func text(of span: Span) -> String? {
        sources.file(span.file)?.text(of: span)
    }

    /// `file:line:col` of a span, as diagnostics show it.
    func location(of span: Span) -> String {
        DiagnosticRenderer(sources: sources).location(span)
    }
}

extension Session {
    /// Sets up the plan a source declares (with its imports) without running its
    /// statements, as `mapl check` does; returns the errors that stopped it, if any.
    /// On success `export` gives the plan to export.
    public func declarePlan(_ source: SourceFile) -> [Diagnostic] {
        switch prepare(source) {
        case .failure(let diagnostics): return diagnostics.list
        case .success: return []
        }
    }

    /// This session's plan, ready to export.
    public var export: PlanExport {
        PlanExport(plan: machine.plan, sources: sources, today: machine.today)
    }
}
