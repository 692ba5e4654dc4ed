// The stakeholder map as a Mermaid flowchart: a subgraph per unit, node classes by
// support, formal lines solid, influence dotted arrows labelled with their strength,
// conflicts as red crossed lines.

extension StakeholderMap {
    /// The map as Mermaid text (for Markdown renderers that draw ```mermaid blocks).
    func mermaid(title: String) -> String {
        var out = "---\ntitle: "
        JSON.quote(title, into: &out)  // a YAML double-quoted string
        out += "\n---\n"
        out += "%% The stakeholder map, drawn by mapl. Colour: support; solid: reports to;\n"
        out += "%% dotted arrows: influence with its strength; red crossed lines: conflict.\n"
        out += "flowchart TB\n"
        func node(_ position: Int, indent: String) {
            let person = people[position]
            var lines = label(person).map(Mermaid.text)
            lines[0] = "<b>" + lines[0] + "</b>"
            out += indent + Mermaid.id(person.id) + "[\"" + lines.joined(separator: "<br/>") + "\"]:::" + Mermaid.supportClass(person.support) + "\n"
        }
        func subgraph(_ group: Int, indent: String) {
            let unit = groups[group].unit
            out += indent + "subgraph " + Mermaid.unitID(unit.id) + "[\"" + Mermaid.text(unit.name) + "\"]\n"
            for member in groups[group].members { node(member, indent: indent + "  ") }
            for child in groups[group].children { subgraph(child, indent: indent + "  ") }
            out += indent + "end\n"
        }
        for root in roots { subgraph(root, indent: "  ") }
        for position in ungrouped { node(position, indent: "  ") }
        var linkStyles: [String] = []
        for (number, line) in lines.enumerated() {
            let from = Mermaid.id(people[line.from].id), to = Mermaid.id(people[line.to].id)
            switch line.kind {
            case .reportsTo:
                out += "  \(from) --- \(to)\n"
                linkStyles.append("  linkStyle \(number) stroke:#455a64,stroke-width:1.5px")
            case .influence(let strength, let label):
                let text = label.map { "|\"" + Mermaid.text($0) + "\"|" } ?? ""
                out += "  \(from) -.->\(text) \(to)\n"
                let width = 1 + (strength ?? 0.5) * 3
                linkStyles.append("  linkStyle \(number) stroke:#1565c0,stroke-width:\(formatNumber((width * 10).rounded() / 10))px")
            case .conflict(let note):
                let text = Mermaid.text("conflict" + (note.map { ": " + $0 } ?? ""))
                out += "  \(from) x--x|\"\(text)\"| \(to)\n"
                linkStyles.append("  linkStyle \(number) stroke:#d32f2f,stroke-width:2px,color:#d32f2f")
            }
        }
        out += linkStyles.map { $0 + "\n" }.joined()
        for (name, fill, stroke) in SupportPalette.legend {
            out += "  classDef \(Mermaid.className(name)) fill:\(fill),stroke:\(stroke),color:#212121\n"
        }
        return out
    }
}

enum Mermaid {
    /// Node ids get a prefix, so that ids like `end` or `graph` cannot clash with
    /// Mermaid's keywords.
    static func id(_ id: String) -> String { "p_" + id }
    static func unitID(_ id: String) -> String { "u_" + id }

    static func className(_ support: String) -> String { support == "not recorded" ? "unknown" : support }

    static func supportClass(_ rank: Double?) -> String {
        guard let rank else { return "unknown" }
        let nearest = Scales.support.values.min { abs($0.rank - rank) < abs($1.rank - rank) }
        return nearest?.name ?? "unknown"
    }

    /// Text inside a quoted label: quotes and markup characters as entity codes, line
    /// breaks as `<br/>`; other Unicode as it is.
    static func text(_ text: String) -> String {
        escaped(pictureLabel(text)) { scalar in
            switch scalar {
            case "\"": return "#quot;"
            case "<": return "#lt;"
            case ">": return "#gt;"
            case "&": return "#amp;"
            case "#": return "#35;"
            case "\n": return "<br/>"
            case "\r": return ""
            default: return nil
            }
        }
    }
}
