// The plan as one self-contained HTML report, rendered through a Mustache template
// (HTMLTemplate): the report's sections and tables, the stakeholder map in mapl's own
// SVG layout (no Graphviz needed), the pipeline-vs-goal chart, the white-space and
// ranking heat maps, and the rule violations.

import Mustache

extension PlanExport {
    /// The HTML report.
    func html() throws(ExportError) -> String {
        let report = try PlanReport(self)
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: HTMLTemplate.report)
        } catch {
            throw .failed("the HTML report template does not parse: \(error)")
        }
        var pictures: [ReportSection.Picture: String] = [:]
        if !entities("stakeholder").isEmpty { pictures[.stakeholderMap] = StakeholderMap(self).svg(title: mapTitle) }
        if let chart = report.pipelineSVG() { pictures[.pipeline] = chart }
        if !whiteSpace.rows.isEmpty, !whiteSpace.offerings.isEmpty { pictures[.whiteSpace] = whiteSpaceSVG() }
        if !report.ranked.isEmpty { pictures[.ranking] = try rankingSVG() }

        // Mustache treats an empty string as true: keys without a value are left out.
        func present(_ fields: [String: Any]) -> [String: Any] {
            fields.filter { !(($0.value as? String)?.isEmpty ?? false) }
        }
        let sections: [[String: Any]] = report.sections.map { section in
            present([
                "id": section.id,
                "title": section.title,
                "hasFacts": !section.facts.isEmpty,
                "facts": section.facts.map { ["label": $0.label, "value": $0.value] },
                "paragraphs": section.paragraphs.map { ["text": $0] },
                "picture": section.picture.flatMap { pictures[$0] } ?? "",
                "tables": section.tables.map { table -> [String: Any] in
                    present([
                        "caption": table.caption ?? "",
                        "columns": table.columns.enumerated().map { ["title": $1, "numeric": table.numeric.contains($0)] },
                        "rows": table.rows.map { row in
                            ["cells": row.enumerated().map { column, cell in
                                present(["text": cell.text,
                                         "classes": ([table.numeric.contains(column) ? "num" : nil, cell.tone].compactMap { $0 }).joined(separator: " ")])
                            }]
                        },
                    ])
                },
                "hasItems": !section.items.isEmpty,
                "items": section.items.map { ["text": $0] },
            ])
        }
        let findings = report.violations.isEmpty ? "" : "\(report.violations.count) rule finding\(report.violations.count == 1 ? "" : "s")"
        return template.render(present(["title": report.title, "today": today.formatted, "findings": findings, "sections": sections]))
    }
}
