// The stakeholder map as Graphviz DOT: a cluster per unit (nested like the units),
// nodes coloured by support and sized by influence, formal lines solid, influence
// dashed and weighted by strength, conflicts red.

extension StakeholderMap {
    /// The map as a DOT digraph; `title` labels the graph.
    func dot(title: String) -> String {
        var out = "// The stakeholder map, drawn by mapl. Colour: support; size and border: influence;\n"
        out += "// solid lines: reports to; dashed arrows: influence (thicker is stronger); red: conflict.\n"
        out += "digraph stakeholders {\n"
        out += "  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=14, labelloc=t, label=\(Dot.quote(title)), newrank=true, nodesep=0.3, ranksep=0.6];\n"
        out += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n"
        out += "  edge [fontname=\"Helvetica\", fontsize=9];\n"
        func node(_ position: Int, indent: String) {
            let person = people[position]
            let (fill, stroke) = SupportPalette.colors(person.support)
            let influence = person.influence ?? 0
            let width = 1.6 + influence * 0.08
            out += indent + Dot.quote(person.id) + " [label=\(Dot.quote(label(person).joined(separator: "\n")))"
            out += ", fillcolor=\"\(fill)\", color=\"\(stroke)\", penwidth=\(format(1 + influence / 4)), width=\(format(width))];\n"
        }
        func cluster(_ group: Int, indent: String) {
            let unit = groups[group].unit
            out += indent + "subgraph " + Dot.quote("cluster_" + unit.id) + " {\n"
            out += indent + "  label=\(Dot.quote(unit.name)); style=\"rounded\"; color=\"#90a4ae\"; fontcolor=\"#37474f\";\n"
            for member in groups[group].members { node(member, indent: indent + "  ") }
            for child in groups[group].children { cluster(child, indent: indent + "  ") }
            out += indent + "}\n"
        }
        for root in roots { cluster(root, indent: "  ") }
        for position in ungrouped { node(position, indent: "  ") }
        for line in lines {
            let ends = "  " + Dot.quote(people[line.from].id) + " -> " + Dot.quote(people[line.to].id)
            switch line.kind {
            case .reportsTo:
                out += ends + " [style=solid, color=\"#455a64\", arrowhead=none, weight=4];\n"
            case .influence(let strength, let label):
                let share = strength ?? 0.5
                var attributes = "style=dashed, color=\"#1565c0\", fontcolor=\"#1565c0\", penwidth=\(format(1 + share * 3)), weight=\(Int((share * 10).rounded())), constraint=false"
                if let label { attributes += ", label=\(Dot.quote(label))" }
                out += ends + " [\(attributes)];\n"
            case .conflict(let note):
                let label = "conflict" + (note.map { ": " + $0 } ?? "")
                out += ends + " [color=\"#d32f2f\", fontcolor=\"#d32f2f\", style=bold, dir=both, arrowhead=tee, arrowtail=tee, constraint=false, label=\(Dot.quote(label))];\n"
            }
        }
        out += "}\n"
        return out
    }

    /// The lines of a person's label: name, title, influence and support, roles, coverage.
    func label(_ person: Person) -> [String] {
        var lines = [person.name]
        if let title = person.title { lines.append(title) }
        var standing: [String] = []
        if let influence = person.influenceLabel { standing.append("influence " + influence) }
        if let support = person.supportName { standing.append(support) }
        if !standing.isEmpty { lines.append(standing.joined(separator: " · ")) }
        if !person.roles.isEmpty { lines.append(person.roles.joined(separator: ", ")) }
        lines.append(person.coveredBy.isEmpty ? "not covered" : "covered by " + person.coveredBy.joined(separator: ", "))
        return lines
    }

    private func format(_ value: Double) -> String {
        formatNumber((value * 100).rounded() / 100)
    }
}

enum Dot {
    /// A DOT quoted string: backslashes and quotes escaped, a line break as DOT's `\n`.
    static func quote(_ text: String) -> String {
        "\"" + escaped(pictureLabel(text)) { scalar in
            switch scalar {
            case "\"": return "\\\""
            case "\\": return "\\\\"
            case "\n": return "\\n"
            case "\r": return ""
            default: return nil
            }
        } + "\""
    }
}
