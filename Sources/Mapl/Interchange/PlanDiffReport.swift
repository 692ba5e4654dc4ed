// `mapl diff` as a sales manager reads it: the pipeline before and after, then what
// moved in the deals, the people and the lines between them, then everything else,
// and the methodology warnings fixed and new.

extension PlanDiff {
    /// Report sections and the kinds each gathers, in reading order.
    static let sections: [(title: String, kinds: [String])] = [
        ("Opportunities", ["opportunity"]),
        ("Stakeholders", ["stakeholder"]),
        ("Influence and conflict", ["influence", "conflict"]),
        ("Our team and partners", ["member", "partner"]),
        ("Account", ["account", "plan", "strategy", "swot", "event"]),
        ("Organisation and offerings", ["unit", "offering"]),
        ("Drivers, initiatives and pains", ["driver", "initiative", "pain"]),
        ("Contracts and competition", ["contract", "competitor"]),
        ("White space", ["whitespace"]),
        ("Prioritisation", ["criterion"]),
        ("Execution plan", ["objective", "action", "milestone"]),
    ]

    /// The whole report, ending in a line break.
    public var report: String {
        var out = (account.map { "\($0): " } ?? "") + "changes from \(oldName) to \(newName)\n"
        guard !isEmpty else { return out + "\nNo changes: both versions declare the same plan.\n" }
        out += pipelineSection
        for section in PlanDiff.sections {
            let found = changes.filter { section.kinds.contains($0.kind.name) }
            if !found.isEmpty { out += "\n" + PlanDiff.render(section.title, found) }
        }
        out += checksSection
        return out
    }

    private var pipelineSection: String {
        let moved = pipeline.filter { !$0.before.isEqual(to: $0.after) }
        if moved.isEmpty {
            let gap = pipeline.first { $0.name == "gap" }.map { " (gap to goal \($0.after.display))" } ?? ""
            return pipeline.isEmpty ? "" : "\nPipeline: unchanged\(gap)\n"
        }
        var rows: [[String]] = [["Pipeline", "before", "after", ""]]
        for figure in pipeline {
            var change = ""
            if case .money(let a) = figure.before, case .money(let b) = figure.after, a != b, a.currency == b.currency {
                let delta = b.with(cents: b.cents &- a.cents)
                change = delta.cents > 0 ? "+" + delta.formatted : delta.formatted
            }
            rows.append(["  " + (PipelineFigures.names[figure.name]?.short ?? figure.name), show(figure.before), show(figure.after), change])
        }
        return "\n" + PlanDiff.table(rows)
    }

    private func show(_ value: Value) -> String {
        if case .nil = value { return "-" }
        return value.display
    }

    /// Left-aligned first column, the others right-aligned; no trailing spaces.
    static func table(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = Array(repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                line += index == 0 ? cell + padding : "   " + padding + cell
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line + "\n"
        }.joined()
    }

    private static func render(_ title: String, _ found: [EntityChange]) -> String {
        let order: [Status] = [.added, .removed, .won, .lost, .changed]
        let counts = order.compactMap { status -> String? in
            let count = found.filter { $0.status == status }.count
            return count > 0 ? "\(count) \(status.rawValue)" : nil
        }
        var out = "\(title): \(counts.joined(separator: ", "))\n"
        for change in found {
            let word = change.status.rawValue
            out += "  \(word)" + String(repeating: " ", count: 9 - word.count) + change.label + (change.summary.map { ": \($0)" } ?? "") + "\n"
            for detail in change.details { out += "             \(detail)\n" }
        }
        return out
    }

    /// Warnings fixed (their rule no longer fires for that entity) and new ones; a
    /// warning still there under other words is neither.
    private var checksSection: String {
        var remaining = warningsBefore
        var added: [Warning] = []
        for warning in warningsAfter {
            if let index = remaining.firstIndex(where: { $0.key == warning.key }) { remaining.remove(at: index) } else { added.append(warning) }
        }
        let (before, after) = (warningsBefore.count, warningsAfter.count)
        if remaining.isEmpty && added.isEmpty {
            return after == 0 ? "" : "\nMethodology checks: the same \(after) warning\(after == 1 ? "" : "s")\n"
        }
        var out = "\nMethodology checks: \(before) warning\(before == 1 ? "" : "s") before, \(after) after\n"
        for warning in remaining { out += "  fixed    \(warning.message)\n" }
        for warning in added { out += "  new      \(warning.message)\n" }
        return out
    }
}
