// mapl's own SVG layout of the stakeholder map, so the HTML report (and `--layout
// builtin`) need no Graphviz: a column band per unit (nested units inside their
// parent's band), a row per level of the formal line, nodes coloured by support with
// an influence bar, and curved influence and conflict lines. Deterministic.

extension StakeholderMap {
    private static let nodeWidth = 156.0, nodeHeight = 66.0, columnGap = 12.0, rowGap = 44.0
    private static let groupPad = 10.0, labelBand = 20.0, margin = 16.0

    /// Where everything goes: each person's box, each group's band and the grid's extent.
    private struct Layout {
        /// Left edge and top edge of each person's box.
        let x: [Double]
        let y: [Double]
        /// Each group's band, left to right.
        let band: [(start: Double, end: Double)]
        /// How deep each group is nested (0 for a root).
        let nesting: [Int]
        let deepestNesting: Double
        let gridBottom: Double
        /// Where the people with no unit start.
        let ungroupedStart: Double
        /// The width the columns take, with margins (at least 640).
        let width: Double
    }

    /// The map as a standalone SVG document.
    func svg(title: String) -> String {
        var svg = SVG()
        let layout = computeLayout()
        svg.raw("<defs>" + [("influence", "#1565c0"), ("conflict", "#d32f2f")].map { name, color in
            "<marker id=\"arrow-\(name)\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"\(color)\"/></marker>"
        }.joined() + "</defs>")
        svg.text(title, Self.margin, 26, size: 15, bold: true)
        drawGroups(&svg, layout)
        // Lines under the nodes; their labels go on top of everything.
        var labels = SVG()
        drawLines(&svg, labels: &labels, layout)
        drawPeople(&svg, layout)
        svg.raw(labels.body, newline: false)
        let legendY = layout.gridBottom + Self.groupPad + layout.deepestNesting * 8 + 24
        let legendEnd = Self.drawLegend(&svg, at: legendY)
        return svg.document(width: max(layout.width, legendEnd + 90), height: legendY + 30, title: title)
    }

    /// Columns: each group's own people take as many slots as its busiest row, nested
    /// groups inside their parent's band; rows: a level of the formal line each.
    private func computeLayout() -> Layout {
        typealias M = StakeholderMap
        var nesting = [Int](repeating: 0, count: groups.count)
        for group in groupOrder { if let parent = groups[group].parent { nesting[group] = nesting[parent] + 1 } }
        let deepestNesting = Double(nesting.max() ?? 0)
        let maxDepth = people.map(\.depth).max() ?? 0
        let gridTop = 44.0 + (groups.isEmpty ? 0 : (deepestNesting + 1) * M.labelBand)

        var slot = [Int](repeating: 0, count: people.count)
        var x = [Double](repeating: 0, count: people.count)
        var span = [(start: Double, end: Double)](repeating: (0, 0), count: groups.count)
        var cursor = M.margin
        func place(_ members: [Int]) {
            var used = [Int: Int]()
            for member in members {
                slot[member] = used[people[member].depth, default: 0]
                used[people[member].depth, default: 0] += 1
            }
            let columns = used.values.max() ?? 0
            for member in members { x[member] = cursor + Double(slot[member]) * (M.nodeWidth + M.columnGap) }
            cursor += Double(columns) * (M.nodeWidth + M.columnGap)
        }
        func layout(_ group: Int) {
            let start = cursor
            cursor += M.groupPad
            place(groups[group].members)
            for child in groups[group].children { layout(child) }
            cursor += M.groupPad
            span[group] = (start, cursor)
            cursor += M.columnGap
        }
        roots.forEach(layout)
        let ungroupedStart = cursor
        place(ungrouped)
        return Layout(x: x, y: people.map { gridTop + Double($0.depth) * (M.nodeHeight + M.rowGap) }, band: span,
                      nesting: nesting, deepestNesting: deepestNesting,
                      gridBottom: gridTop + Double(maxDepth + 1) * (M.nodeHeight + M.rowGap) - M.rowGap,
                      ungroupedStart: ungroupedStart, width: max(cursor + M.margin, 640))
    }

    /// A band per group with its unit's name on top; "No unit" over the people without one.
    private func drawGroups(_ svg: inout SVG, _ layout: Layout) {
        typealias M = StakeholderMap
        for group in groupOrder {
            let level = Double(layout.nesting[group])
            let top = 44 + level * M.labelBand
            let bottom = layout.gridBottom + M.groupPad + (layout.deepestNesting - level) * 8
            let band = layout.band[group]
            svg.rect(band.start, top, band.end - band.start, bottom - top,
                     fill: level == 0 ? "#f4f7f9" : "#ffffff", stroke: "#90a4ae", radius: 6)
            svg.text(groups[group].unit.name, band.start + 8, top + 14, bold: true, color: "#37474f",
                     maxWidth: band.end - band.start - 12)
        }
        if !ungrouped.isEmpty, !groups.isEmpty {
            svg.text("No unit", layout.ungroupedStart, 44 + 14, bold: true, color: "#757575")
        }
    }

    /// Formal lines straight, influence and conflict curved; the labels of the curved
    /// lines go to `labels`, with a white halo.
    private func drawLines(_ svg: inout SVG, labels: inout SVG, _ layout: Layout) {
        typealias M = StakeholderMap
        let (x, y) = (layout.x, layout.y)
        for line in lines {
            let (ax, ay) = (x[line.from] + M.nodeWidth / 2, y[line.from] + M.nodeHeight / 2)
            let (bx, by) = (x[line.to] + M.nodeWidth / 2, y[line.to] + M.nodeHeight / 2)
            switch line.kind {
            case .reportsTo:
                let fromY = y[line.from] + M.nodeHeight, toY = y[line.to]
                svg.raw("<path d=\"M\(SVG.n(ax)),\(SVG.n(fromY)) C\(SVG.n(ax)),\(SVG.n((fromY + toY) / 2)) \(SVG.n(bx)),\(SVG.n((fromY + toY) / 2)) \(SVG.n(bx)),\(SVG.n(toY))\" fill=\"none\" stroke=\"#455a64\" stroke-width=\"1.4\"/>")
            case .influence(let strength, let label):
                let curve = M.curve(ax, ay, bx, by)
                let width = 1 + (strength ?? 0.5) * 3
                svg.raw("<path d=\"\(curve.path)\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"\(SVG.n(width))\" stroke-dasharray=\"6 4\" marker-end=\"url(#arrow-influence)\" opacity=\"0.85\"/>")
                if let label { labels.text(label, curve.mid.x, curve.mid.y - 3, anchor: .middle, size: 9, color: "#1565c0", halo: true) }
            case .conflict(let note):
                let curve = M.curve(ax, ay, bx, by)
                svg.raw("<path d=\"\(curve.path)\" fill=\"none\" stroke=\"#d32f2f\" stroke-width=\"2.5\"/>")
                labels.text("conflict" + (note.map { ": " + $0 } ?? ""), curve.mid.x, curve.mid.y - 3, anchor: .middle, size: 9, bold: true,
                            color: "#d32f2f", maxWidth: 200, halo: true)
            }
        }
    }

    /// A box per person, coloured by support, with their name, title, standing and
    /// coverage, and a bar for their influence.
    private func drawPeople(_ svg: inout SVG, _ layout: Layout) {
        typealias M = StakeholderMap
        for (position, person) in people.enumerated() {
            let (fill, stroke) = SupportPalette.colors(person.support)
            let left = layout.x[position], top = layout.y[position]
            let influence = person.influence ?? 0
            svg.raw("<g>")
            svg.raw("<title>\(SVG.escape(label(person).joined(separator: "\n")))</title>")
            svg.rect(left, top, M.nodeWidth, M.nodeHeight, fill: fill, stroke: stroke, strokeWidth: 1 + influence / 4, radius: 8)
            svg.text(person.name, left + 8, top + 16, bold: true, maxWidth: M.nodeWidth - 16)
            svg.text(person.title ?? "", left + 8, top + 29, size: 10, maxWidth: M.nodeWidth - 16)
            let standing = [person.influenceLabel.map { "influence " + $0 }, person.supportName].compactMap { $0 }.joined(separator: " · ")
            svg.text(standing, left + 8, top + 42, size: 9, color: "#424242", maxWidth: M.nodeWidth - 16)
            let coverage = person.coveredBy.isEmpty ? "not covered" : "covered by " + person.coveredBy.joined(separator: ", ")
            svg.text(coverage, left + 8, top + 54, size: 9, color: person.coveredBy.isEmpty ? "#b71c1c" : "#424242", maxWidth: M.nodeWidth - 16)
            svg.rect(left + 8, top + M.nodeHeight - 7, (M.nodeWidth - 16) * min(1, influence / 10), 3, fill: stroke)
            svg.raw("</g>")
        }
    }

    /// The support colours and the three kinds of line, in a row from the left margin;
    /// returns where the row's last entry starts.
    private static func drawLegend(_ svg: inout SVG, at legendY: Double) -> Double {
        var lx = margin
        for (name, fill, stroke) in SupportPalette.legend {
            svg.rect(lx, legendY, 14, 14, fill: fill, stroke: stroke, radius: 3)
            svg.text(name, lx + 19, legendY + 11, size: 10)
            lx += 26 + SVG.width(name, size: 10)
        }
        lx += 12
        svg.raw("<path d=\"M\(SVG.n(lx)),\(SVG.n(legendY + 7)) h26\" stroke=\"#455a64\" stroke-width=\"1.4\"/>")
        svg.text("reports to", lx + 31, legendY + 11, size: 10)
        lx += 100
        svg.raw("<path d=\"M\(SVG.n(lx)),\(SVG.n(legendY + 7)) h26\" stroke=\"#1565c0\" stroke-width=\"2.5\" stroke-dasharray=\"6 4\" marker-end=\"url(#arrow-influence)\"/>")
        svg.text("influence (thicker: stronger)", lx + 33, legendY + 11, size: 10)
        lx += 180
        svg.raw("<path d=\"M\(SVG.n(lx)),\(SVG.n(legendY + 7)) h26\" stroke=\"#d32f2f\" stroke-width=\"2.5\"/>")
        svg.text("conflict", lx + 31, legendY + 11, size: 10)
        return lx
    }

    /// A gentle curve from a to b, bent to the left of its direction, with its midpoint.
    private static func curve(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> (path: String, mid: (x: Double, y: Double)) {
        let dx = bx - ax, dy = by - ay
        let length = max(1, (dx * dx + dy * dy).squareRoot())
        let bend = min(60, 0.2 * length)
        let cx = (ax + bx) / 2 - dy / length * bend, cy = (ay + by) / 2 + dx / length * bend
        // End on the edge of the target's box (plus a hair), not at its centre.
        let ux = cx - bx, uy = cy - by
        let norm = max(1e-9, (ux * ux + uy * uy).squareRoot())
        let reach = min(abs(ux) > 1e-9 ? (nodeWidth / 2 + 3) * norm / abs(ux) : .infinity,
                        abs(uy) > 1e-9 ? (nodeHeight / 2 + 3) * norm / abs(uy) : .infinity)
        let ex = bx + ux / norm * min(reach, norm), ey = by + uy / norm * min(reach, norm)
        let mid = (x: 0.25 * ax + 0.5 * cx + 0.25 * ex, y: 0.25 * ay + 0.5 * cy + 0.25 * ey)
        return ("M\(SVG.n(ax)),\(SVG.n(ay)) Q\(SVG.n(cx)),\(SVG.n(cy)) \(SVG.n(ex)),\(SVG.n(ey))", mid)
    }
}
