// `:help NAME` for functions written in mapl: the session's own (from files, imported
// modules or typed input) and the standard library's, even before it is imported.

import Mapl

extension ReplSession {
    /// The help text for a standard-library function or module, or nil when the name
    /// is neither. (The session's own functions are looked up before topics.)
    func functionHelp(_ name: String) -> String? {
        if let doc = Stdlib.functionDoc(named: name) {
            return doc.text + "\n  (not loaded: import \"\(doc.source)\")"
        }
        let lowered = name.lowercased()
        if lowered == "std" || lowered == "stdlib" || lowered == "standard library" {
            let modules = Stdlib.modules
            if modules.isEmpty { return "The standard library was not found; set MAPL_STDLIB to the folder that holds its .mapl files." }
            return "The standard library (import \"std/NAME\"; :help std/NAME lists a module's functions):\n"
                + modules.map { "  " + Stdlib.importPrefix + $0 }.joined(separator: "\n")
        }
        if let module = Stdlib.moduleName(ofImport: name), let docs = Stdlib.functionDocs(ofModule: module) {
            let column = (docs.map(\.signature.count).max() ?? 0) + 2
            var lines = ["\(Stdlib.importPrefix)\(module): import \"\(Stdlib.importPrefix)\(module)\" (:help NAME explains a function)"]
            for doc in docs {
                lines.append("  " + doc.signature + String(repeating: " ", count: column - doc.signature.count) + doc.summary)
            }
            return lines.joined(separator: "\n")
        }
        return nil
    }
}
