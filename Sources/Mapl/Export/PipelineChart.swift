// The pipeline-vs-goal figure of the HTML report: one bar each for the revenue goal,
// what is won, the open and weighted pipeline, the gap and the pipeline needed, all on
// one scale, with the amounts `pipeline()` gives.

extension PlanReport {
    /// The pipeline figures as an SVG bar chart; nil when there is nothing to draw.
    func pipelineSVG() -> String? {
        let labels = [("goal", "Revenue goal", "#455a64"), ("won", "Won", "#2e7d32"), ("open", "Open pipeline", "#90caf9"),
                      ("weighted", "Weighted pipeline", "#1e88e5"), ("gap", "Gap after weighted", "#e53935"),
                      ("needed", "Needed at close ratio", "#fb8c00")]
        let bars: [(label: String, amount: Money, color: String)] = labels.compactMap { key, label, color in
            guard case .money(let amount)? = pipeline.first(where: { $0.name == key })?.value else { return nil }
            return (label, amount, color)
        }
        guard let largest = bars.map(\.amount.cents).max(), largest > 0 else { return nil }
        var svg = SVG()
        let left = 160.0, barArea = 420.0, rowHeight = 30.0, top = 12.0
        for (row, bar) in bars.enumerated() {
            let y = top + Double(row) * rowHeight
            svg.text(bar.label, left - 10, y + 15, anchor: .end)
            let width = max(0, Double(bar.amount.cents) / Double(largest) * barArea)
            svg.rect(left, y + 3, width, rowHeight - 10, fill: bar.color, radius: 2)
            svg.text(bar.amount.formatted, left + width + 6, y + 15, bold: true)
        }
        return svg.document(width: left + barArea + 120, height: top + Double(bars.count) * rowHeight + 8, title: "Pipeline against the revenue goal")
    }
}
