// What every export format starts from: a checked plan, the sources it came from (for
// code carried as text and for positions in messages) and the day it is seen on.

/// A plan ready to be exported in any format.
public struct PlanExport {
    let machine: Machine
    public let sources: SourceMap
    /// Free value-stack space for calling the plan's functions (score functions, rules).
    let top: Frame
    /// Where a failure of the plan's own code is reported when it has no better place.
    let span: Span
    /// Ctrl-C during the export (see `ExportInterrupt`).
    var interrupt: ExportInterrupt { ExportInterrupt.of(machine) }

    init(machine: Machine, sources: SourceMap, top: Frame, span: Span) {
        self.machine = machine
        self.sources = sources
        self.top = top
        self.span = span
    }

    public var plan: Plan { machine.plan }
    /// The day derived figures (days to close, days since contact) are counted from.
    public var today: Day { machine.today }

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

    /// Calls a built-in of the language (`pipeline`, `rank`, …), so that exports show
    /// exactly what scripts see. A failure in the plan's own code (a score function)
    /// becomes an export failure with the rendered error.
    func call(_ builtin: String, _ arguments: [Value] = []) throws(ExportError) -> Value {
        guard let index = Builtins.signatures[builtin]?.index else { throw .failed("no built-in '\(builtin)'") }
        do {
            return try machine.call(.builtin(index), arguments, top: top, span: span)
        } catch let error as RuntimeError {
            throw .failed(DiagnosticRenderer(sources: sources).render(error))
        } catch {
            throw .failed("\(error)")
        }
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
        // No statement runs while exporting, so the whole value stack is free.
        PlanExport(machine: machine, sources: sources, top: machine.stack, span: Span(file: 0, start: 0, end: 0))
    }
}

/// Ctrl-C during an export: looked at between the report's sections and between the
/// entities of the JSON and CSV forms (which only write them out, so stopping early
/// leaves nothing inconsistent); the export then fails as interrupted.
struct ExportInterrupt {
    let flag: InterruptFlag

    static func of(_ machine: Machine) -> ExportInterrupt { ExportInterrupt(flag: machine.interruptFlag) }

    /// Whether Ctrl-C has been pressed (the flag stays set for the caller to report).
    func requested() -> Bool { flag.load(ordering: .relaxed) }

    /// Fails the export once Ctrl-C has been pressed.
    func check() throws(ExportError) {
        if requested() { throw .interrupted }
    }
}
