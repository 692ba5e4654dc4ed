// The plan report as Markdown: headings, fact lists, pipe tables (cells escaped), and
// the stakeholder map as a Mermaid block, which GitHub and most viewers draw.

extension PlanExport {
    /// The whole plan as one Markdown document.
    func markdown() throws(ExportError) -> String {
        let report = try PlanReport(self)
        var out = "# \(Markdown.escape(report.title))\n\n"
        out += "_Exported by mapl on \(today.formatted)._\n"
        for section in report.sections {
            out += "\n## \(Markdown.escape(section.title))\n"
            if !section.facts.isEmpty {
                out += "\n" + section.facts.map { "- **\(Markdown.escape($0.label)):** \(Markdown.escape($0.value))\n" }.joined()
            }
            for paragraph in section.paragraphs { out += "\n\(Markdown.escape(paragraph))\n" }
            if section.picture == .stakeholderMap, !entities("stakeholder").isEmpty {
                out += "\n```mermaid\n" + StakeholderMap(self).mermaid(title: mapTitle) + "```\n"
            }
            for table in section.tables { out += "\n" + Markdown.table(table) }
            if !section.items.isEmpty {
                out += "\n" + section.items.map { "- \(Markdown.escape($0))\n" }.joined()
            }
        }
        return out
    }
}

enum Markdown {
    /// A pipe table, with its caption in bold above it.
    static func table(_ table: ReportTable) -> String {
        var out = table.caption.map { "**\(escape($0))**\n\n" } ?? ""
        out += "| " + table.columns.map(escape).joined(separator: " | ") + " |\n"
        out += "|" + table.columns.indices.map { table.numeric.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
        for row in table.rows {
            out += "| " + row.map { escape($0.text) }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// Text safe in Markdown (and in a table cell): markup characters backslash-escaped,
    /// line breaks as `<br>`.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\", "|", "*", "_", "`", "[", "]", "<", ">", "#": out += "\\" + String(character)
            case "\n": out += "<br>"
            case "\r": break
            default: out.append(character)
            }
        }
        return out
    }
}
