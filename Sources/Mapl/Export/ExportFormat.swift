// The export formats and views, and the one entry point that renders a plan in any of
// them (used by `mapl export` and by the `export()` built-in).

/// A format `mapl export` can write.
public enum ExportFormat: String, CaseIterable, Sendable {
    case json
    case dot
    case mermaid
    /// The file-name extensions that imply the format when `--format` is not given.
    public var extensions: [String] {
        switch self {
        case .json: return ["json"]
        case .dot: return ["dot", "gv"]
        case .mermaid: return ["mmd", "mermaid"]
        }
    }

    /// The format a file name implies by its extension.
    public static func implied(by path: String) -> ExportFormat? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        let ext = path[path.index(after: dot)...].lowercased()
        return allCases.first { $0.extensions.contains(ext) }
    }
}

/// Why an export could not be made. The CLI maps each to an exit status.
public enum ExportError: Error, Equatable, Sendable {
    /// A bad combination of options (exit 64).
    case usage(String)
    /// A tool the export needs is not installed (exit 69).
    case unavailable(String)
    /// The tool ran and failed (exit 70).
    case failed(String)

    public var message: String {
        switch self {
        case .usage(let text), .unavailable(let text), .failed(let text): return text
        }
    }
}

/// What an export produced: text, or bytes for binary formats (PNG).
public enum ExportOutput {
    case text(String)
    case bytes([UInt8])
}

/// The options of one export besides its format.
public struct ExportOptions: Sendable {
    public var table: String?

    public init(table: String? = nil) {
        self.table = table
    }
}

extension PlanExport {
    /// The plan in a format.
    public func render(_ format: ExportFormat, _ options: ExportOptions = ExportOptions()) throws(ExportError) -> ExportOutput {
        switch format {
        case .json:
            try PlanExport.refuse(options.table, "--table", for: format)
            return .text(json().rendered())
        case .dot:
            try PlanExport.refuse(options.table, "--table", for: format)
            return .text(StakeholderMap(self).dot(title: mapTitle))
        case .mermaid:
            try PlanExport.refuse(options.table, "--table", for: format)
            return .text(StakeholderMap(self).mermaid(title: mapTitle))
        }
    }

    /// "Stakeholder map: Globex Manufacturing".
    var mapTitle: String {
        "Stakeholder map" + (singleton("account").map { ": " + $0.name } ?? "")
    }

    /// A usage error for an option the format does not take.
    static func refuse(_ given: String?, _ option: String, for format: ExportFormat) throws(ExportError) {
        if given != nil { throw .usage("\(option) does not apply to --format \(format.rawValue)") }
    }
}
