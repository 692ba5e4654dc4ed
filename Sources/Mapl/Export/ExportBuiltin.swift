// The `export()` built-in: a script gets any text export of the session's plan as a
// string, to print, post-process or pass on. Pictures use mapl's own layout, so no
// external program runs from a script.

extension Builtins {
    static let exportEntries: [Entry] = [
        Entry(name: "export", arity: Arity(min: 1, max: 2), doc: "export(format, what?): the plan as text: \"json\", \"markdown\", \"html\", \"dot\", \"mermaid\", \"csv\" (what: a kind like \"stakeholder\"), \"svg\" (what: \"stakeholders\", \"whitespace\" or \"ranking\")") { args, context in
            let name = try string("export", args[0], context)
            let what = args.count > 1 ? try string("export", args[1], context) : nil
            guard let format = ExportFormat(rawValue: name), format != .png, format != .sqlite else {
                let formats = ExportFormat.allCases.filter { $0 != .png && $0 != .sqlite }.map(\.rawValue)
                throw context.fail("export", "no text format '\(name)'; formats: \(formats.joined(separator: ", "))")
            }
            var options = ExportOptions()
            switch format {
            case .csv:
                guard let what else {
                    throw context.fail("export", "export(\"csv\", KIND) needs the kind, one of: \(Schema.kinds.map(\.name).joined(separator: ", "))")
                }
                options.table = what
            case .svg:
                if let what {
                    guard let view = ExportView(rawValue: what) else {
                        throw context.fail("export", "svg draws \(ExportView.allCases.map(\.rawValue).joined(separator: ", ")), not '\(what)'")
                    }
                    options.view = view
                }
                if options.view ?? .stakeholders == .stakeholders { options.layout = .builtin }
            case .json, .markdown, .html, .dot, .mermaid, .png, .sql, .sqlite:
                if what != nil { throw context.fail("export", "\(name) takes no second argument") }
            }
            let machine = context.machine
            let export = PlanExport(machine: machine, sources: machine.session?.sources ?? SourceMap(), top: context.top, span: context.span)
            let output: ExportOutput
            do throws(ExportError) {
                output = try export.render(format, options)
            } catch .interrupted {
                throw RuntimeError(.interrupted, at: context.span)
            } catch {
                throw context.fail("export", error.message)
            }
            switch output {
            case .text(let text): return .string(text)
            case .bytes, .database: throw context.fail("export", "\(name) is not text")
            }
        },
    ]
}
