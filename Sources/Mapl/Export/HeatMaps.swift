// Hand-written SVG heat-map tables (no Graphviz needed): the white-space matrix (units ×
// offerings, potential shaded by value) and the ranked portfolio (each criterion's
// contribution shaded, the total score as a bar).

extension PlanExport {
    /// The white-space matrix as an SVG table.
    func whiteSpaceSVG() -> String {
        let matrix = whiteSpace
        let title = "White space" + (singleton("account").map { ": " + $0.name } ?? "")
        var svg = SVG()
        let rowHeader = 170.0, cellWidth = 156.0, cellHeight = 34.0, top = 52.0, left = 16.0
        svg.text(title, left, 24, size: 15, bold: true)
        guard !matrix.rows.isEmpty, !matrix.offerings.isEmpty else {
            svg.text("The plan declares no units or no offerings: there is no white space to show.", left, 48)
            return svg.document(width: 560, height: 70, title: title)
        }
        let maxPotential = matrix.rows.flatMap(\.cells).compactMap { $0.state == "potential" ? $0.value?.amount : nil }.max() ?? 0
        let columns = Double(matrix.offerings.count)
        for (column, offering) in matrix.offerings.enumerated() {
            let x = left + rowHeader + Double(column) * cellWidth
            svg.text(offering.name, x + cellWidth / 2, top - 8, anchor: .middle, bold: true, maxWidth: cellWidth - 6)
        }
        svg.text("Potential", left + rowHeader + columns * cellWidth + 55, top - 8, anchor: .middle, bold: true)
        for (row, line) in matrix.rows.enumerated() {
            let y = top + Double(row) * cellHeight
            svg.text(line.unit.name, left + 4, y + cellHeight / 2 + 4, bold: true, maxWidth: rowHeader - 8)
            for (column, cell) in line.cells.enumerated() {
                let x = left + rowHeader + Double(column) * cellWidth
                let (fill, ink) = PlanExport.colors(of: cell, maxPotential: maxPotential)
                svg.rect(x + 1, y + 1, cellWidth - 2, cellHeight - 2, fill: fill, radius: 3)
                let label = cell.state.isEmpty ? "—" : cell.text
                svg.text(label, x + cellWidth / 2, y + cellHeight / 2 + 4, anchor: .middle, size: 10, color: ink, maxWidth: cellWidth - 8)
            }
            svg.text(line.potential.formatted, left + rowHeader + columns * cellWidth + 100, y + cellHeight / 2 + 4, anchor: .end, bold: line.potential.cents > 0)
        }
        let bottom = top + Double(matrix.rows.count) * cellHeight
        let total = matrix.totalPotential
        svg.text("Total potential", left + rowHeader + columns * cellWidth - 4, bottom + 20, anchor: .end, bold: true)
        svg.text(total.formatted, left + rowHeader + columns * cellWidth + 100, bottom + 20, anchor: .end, bold: true)
        // Legend
        var x = left
        let legendY = bottom + 40
        for (name, cell) in [("current business", WhiteSpace.Cell(state: "current")), ("open opportunity", WhiteSpace.Cell(state: "open")),
                             ("potential (darker: more)", WhiteSpace.Cell(state: "potential", value: Money(cents: 1, currency: .usd))),
                             ("not applicable", WhiteSpace.Cell(state: "na")), ("nothing recorded", WhiteSpace.Cell())] {
            svg.rect(x, legendY, 14, 14, fill: PlanExport.colors(of: cell, maxPotential: 0.01).fill, stroke: "#bdbdbd", radius: 2)
            svg.text(name, x + 19, legendY + 11, size: 10)
            x += 24 + SVG.width(name, size: 10)
        }
        let width = max(left + rowHeader + columns * cellWidth + 116, x + 10)
        return svg.document(width: width, height: legendY + 30, title: title)
    }

    /// Fill and text colour of a white-space cell; potential shades with its value.
    static func colors(of cell: WhiteSpace.Cell, maxPotential: Double) -> (fill: String, ink: String) {
        switch cell.state {
        case "current": return ("#90caf9", "#0d47a1")
        case "open": return ("#ffe082", "#6d4c00")
        case "potential":
            let share = maxPotential > 0 ? (cell.value?.amount ?? 0) / maxPotential : 0
            return (SVG.mix("#e8f5e9", "#43a047", 0.25 + 0.75 * share), share > 0.6 ? "#ffffff" : "#1b5e20")
        case "na": return ("#e0e0e0", "#757575")
        default: return ("#fafafa", "#9e9e9e")
        }
    }

    /// The ranked portfolio as an SVG table.
    func rankingSVG() throws(ExportError) -> String {
        let ranked = try ranking()
        let criteria = self.criteria
        let title = "Ranked opportunities" + (singleton("account").map { ": " + $0.name } ?? "")
        var svg = SVG()
        let left = 16.0, top = 64.0, rowHeight = 28.0
        let numberWidth = 30.0, nameWidth = 210.0, valueWidth = 96.0, partWidth = 92.0, scoreWidth = 150.0
        svg.text(title, left, 24, size: 15, bold: true)
        guard !ranked.isEmpty else {
            let reason = criteria.isEmpty ? "The plan declares no criterion to rank by." : "There are no open opportunities to rank."
            svg.text(reason, left, 48)
            return svg.document(width: 560, height: 70, title: title)
        }
        svg.text("Open opportunities by the plan's weighted criteria; a cell is the criterion's share of the score.", left, 42, size: 10, color: "#616161")
        var x = left + numberWidth
        svg.text("Opportunity", x, top - 8, bold: true)
        x += nameWidth
        svg.text("Value", x + valueWidth - 6, top - 8, anchor: .end, bold: true)
        x += valueWidth
        for criterion in criteria {
            svg.text(criterion.name, x + partWidth / 2, top - 8, anchor: .middle, bold: true, maxWidth: partWidth - 4)
            x += partWidth
        }
        svg.text("Score", x + 6, top - 8, bold: true)
        // Shade each criterion's column by its largest contribution.
        let columnMax = criteria.indices.map { column in ranked.map { $0.parts[column] }.max() ?? 0 }
        for (row, item) in ranked.enumerated() {
            let y = top + Double(row) * rowHeight
            if row % 2 == 1 { svg.rect(left, y, x + scoreWidth - left, rowHeight, fill: "#f7f7f7") }
            svg.text("\(row + 1)", left + numberWidth - 8, y + 18, anchor: .end, color: "#616161")
            var cx = left + numberWidth
            svg.text(item.deal.name, cx, y + 18, maxWidth: nameWidth - 8)
            cx += nameWidth
            svg.text(show(item.deal, "value"), cx + valueWidth - 6, y + 18, anchor: .end)
            cx += valueWidth
            for (column, part) in item.parts.enumerated() {
                let share = columnMax[column] > 0 ? part / columnMax[column] : 0
                svg.rect(cx + 2, y + 2, partWidth - 4, rowHeight - 4, fill: SVG.mix("#fff8e1", "#ef6c00", share), radius: 3)
                svg.text(formatNumber(part), cx + partWidth / 2, y + 18, anchor: .middle, size: 10, color: share > 0.65 ? "#ffffff" : "#212121")
                cx += partWidth
            }
            let bar = max(0, min(1, item.score)) * (scoreWidth - 50)
            svg.rect(cx + 6, y + 7, scoreWidth - 50, rowHeight - 14, fill: "#eeeeee", radius: 2)
            svg.rect(cx + 6, y + 7, bar, rowHeight - 14, fill: "#1e88e5", radius: 2)
            svg.text(formatNumber(item.score), cx + scoreWidth - 4, y + 18, anchor: .end, bold: true)
        }
        return svg.document(width: x + scoreWidth + left, height: top + Double(ranked.count) * rowHeight + 16, title: title)
    }
}
