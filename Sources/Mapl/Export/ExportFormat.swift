// The export formats and views, and the one entry point that renders a plan in any of
// them (used by `mapl export` and by the `export()` built-in).

/// A format `mapl export` can write.
public enum ExportFormat: String, CaseIterable, Sendable {
    case json
    case csv
    case markdown
    case html
    case dot
    case mermaid
    case svg
    case png
    /// SQL text (docs/sql-schema.md) for PostgreSQL or SQLite.
    case sql
    /// The same, written into a SQLite database file.
    case sqlite

    /// The file-name extensions that imply the format when `--format` is not given.
    public var extensions: [String] {
        switch self {
        case .json: return ["json"]
        case .csv: return ["csv"]
        case .markdown: return ["md", "markdown"]
        case .html: return ["html", "htm"]
        case .dot: return ["dot", "gv"]
        case .mermaid: return ["mmd", "mermaid"]
        case .svg: return ["svg"]
        case .png: return ["png"]
        case .sql: return ["sql"]
        case .sqlite: return ["db", "sqlite", "sqlite3"]
        }
    }

    /// The format a file name implies by its extension.
    public static func implied(by path: String) -> ExportFormat? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        let ext = path[path.index(after: dot)...].lowercased()
        return allCases.first { $0.extensions.contains(ext) }
    }
}

/// What a picture shows.
public enum ExportView: String, CaseIterable, Sendable {
    /// The stakeholder map (the default).
    case stakeholders
    /// The white-space matrix as an SVG heat map.
    case whitespace
    /// The ranked portfolio as an SVG heat map.
    case ranking
}

/// Who lays out the stakeholder map for SVG and PNG.
public enum MapLayout: String, CaseIterable, Sendable {
    /// Graphviz `dot` (must be installed).
    case graphviz
    /// mapl's own layout, as in the HTML report.
    case builtin
}

/// Why an export could not be made. The CLI maps each to an exit status.
public enum ExportError: Error, Equatable, Sendable {
    /// A bad combination of options (exit 64).
    case usage(String)
    /// A tool the export needs is not installed (exit 69).
    case unavailable(String)
    /// The tool or the plan's own code failed (exit 70).
    case failed(String)
    /// Ctrl-C stopped it.
    case interrupted

    public var message: String {
        switch self {
        case .usage(let text), .unavailable(let text), .failed(let text): return text
        case .interrupted: return "interrupted"
        }
    }
}

/// What an export produced: text, or bytes for binary formats (PNG).
public enum ExportOutput {
    case text(String)
    case bytes([UInt8])
    /// SQL to run in the database file named by `-o` (created when missing).
    case database(sql: String)
}

/// The options of one export besides its format.
public struct ExportOptions: Sendable {
    /// The entity kind for `--format csv`.
    public var table: String?
    /// What a picture shows; nil for the default (the stakeholder map).
    public var view: ExportView?
    /// Who lays out the stakeholder map for SVG and PNG; nil for the default (Graphviz).
    public var layout: MapLayout?

    public init(table: String? = nil, view: ExportView? = nil, layout: MapLayout? = nil) {
        self.table = table
        self.view = view
        self.layout = layout
    }
}

extension PlanExport {
    /// The plan in a format.
    public func render(_ format: ExportFormat, _ options: ExportOptions = ExportOptions()) throws(ExportError) -> ExportOutput {
        let output = try renderUninterrupted(format, options)
        try interrupt.check()
        return output
    }

    private func renderUninterrupted(_ format: ExportFormat, _ options: ExportOptions) throws(ExportError) -> ExportOutput {
        try PlanExport.check(options, for: format)
        switch format {
        case .json:
            return .text(json().rendered())
        case .csv:
            return .text(csv(try CSV.kind(options.table)))
        case .markdown:
            return .text(try markdown())
        case .html:
            return .text(try html())
        case .dot:
            return .text(StakeholderMap(self).dot(title: mapTitle))
        case .mermaid:
            return .text(StakeholderMap(self).mermaid(title: mapTitle))
        case .svg:
            switch options.view ?? .stakeholders {
            case .stakeholders:
                if options.layout == .builtin { return .text(StakeholderMap(self).svg(title: mapTitle)) }
                return .text(String(decoding: try Graphviz.render(StakeholderMap(self).dot(title: mapTitle), as: "svg"), as: UTF8.self))
            case .whitespace: return .text(whiteSpaceSVG())
            case .ranking: return .text(try rankingSVG())
            }
        case .png:
            return .bytes(try Graphviz.render(StakeholderMap(self).dot(title: mapTitle), as: "png"))
        case .sql:
            return .text(sql(account: accountKey(fallback: fileStem)))
        case .sqlite:
            return .database(sql: sql(account: accountKey(fallback: fileStem)))
        }
    }

    /// Usage errors for options the format does not take, or lacks (checked before the
    /// plan is loaded, so a usage error comes first).
    public static func check(_ options: ExportOptions, for format: ExportFormat) throws(ExportError) {
        let takesTable: Bool, views: [ExportView], takesLayout: Bool
        switch format {
        case .json, .markdown, .html, .sql, .sqlite: (takesTable, views, takesLayout) = (false, [], false)
        case .csv: (takesTable, views, takesLayout) = (true, [], false)
        case .dot, .mermaid: (takesTable, views, takesLayout) = (false, [.stakeholders], false)
        case .svg: (takesTable, views, takesLayout) = (false, ExportView.allCases, options.view ?? .stakeholders == .stakeholders)
        case .png: (takesTable, views, takesLayout) = (false, [.stakeholders], true)
        }
        if options.table != nil, !takesTable { throw .usage("--table applies only to --format csv") }
        if takesTable { _ = try CSV.kind(options.table) }
        if let view = options.view, !views.contains(view) {
            throw .usage(views.isEmpty
                ? "--view applies only to pictures (--format dot, mermaid, svg, png)"
                : "--format \(format.rawValue) draws only --view \(views.map(\.rawValue).joined(separator: " or ")); the white-space and ranking heat maps are --format svg")
        }
        if options.layout != nil, !takesLayout {
            throw .usage("--layout applies only to the stakeholder map as svg or png")
        }
        if format == .png, options.layout == .builtin {
            throw .usage("--layout builtin draws SVG only; use --format svg --layout builtin")
        }
    }

    /// The plan's first file's name without folder and extension (the account key of a
    /// plan that declares no account).
    var fileStem: String {
        let name = sources.file(0)?.name ?? "plan"
        let base = name.split(separator: "/").last.map(String.init) ?? name
        return base.hasSuffix(".mapl") ? String(base.dropLast(5)) : base
    }

    /// "Stakeholder map: Globex Manufacturing".
    var mapTitle: String {
        "Stakeholder map" + (singleton("account").map { ": " + $0.name } ?? "")
    }
}
