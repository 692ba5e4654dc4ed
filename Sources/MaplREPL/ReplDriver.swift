// The interactive session: reads inputs, evaluates each against one session, prints
// values and diagnostics, and goes on after errors.

import Foundation
import Mapl

/// Runs the read–eval–print loop until end of input.
public struct ReplDriver {
    let files: [String]

    public init(files: [String]) {
        self.files = files
    }

    /// Returns the process exit status.
    public func run() -> Int32 {
        withLargeStack {
            var output: [String] = []
            let session = Session(output: { output.append($0) })
            session.allowRedeclaration = true
            let renderer = DiagnosticRenderer(sources: session.sources, useColor: false)
            func flush() {
                if !output.isEmpty { FileHandle.standardOutput.write(Data(output.joined().utf8)) }
                output.removeAll()
            }
            func report(_ text: String) {
                flush()
                FileHandle.standardError.write(Data(text.utf8))
            }
            func evaluate(_ name: String, _ text: String, echo: Bool) {
                let source = session.addSource(name: name, text: text)
                switch session.run(source, valueOfLastExpression: echo) {
                case .success(let value):
                    if let value, echo, !isNil(value) { output.append(value.repr + "\n") }
                    flush()
                case .rejected(let diagnostics): report(diagnostics.map(renderer.render).joined())
                case .failed(let error): report(renderer.render(error))
                }
            }
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    report("mapl: cannot open '\(file)'\n")
                    return Int32(66)
                }
                evaluate(file, String(decoding: data, as: UTF8.self), echo: false)
            }
            var pending = ""
            var number = 0
            while let line = readLine(strippingNewline: false) {
                pending += line
                if InputCompleteness.isIncomplete(pending) { continue }
                number += 1
                evaluate("<repl:\(number)>", pending, echo: true)
                pending = ""
            }
            if !pending.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                number += 1
                evaluate("<repl:\(number)>", pending, echo: true)
            }
            flush()
            return Int32(0)
        }
    }

    private func isNil(_ value: Value) -> Bool {
        if case .nil = value { return true }
        return false
    }
}

/// Decides whether typed text is an unfinished block, bracket or string, from the
/// parser's own "found end of input" errors rather than by counting characters.
public enum InputCompleteness {
    public static func isIncomplete(_ text: String) -> Bool {
        let source = SourceFile(id: 0, name: "<input>", text: text)
        let (_, diagnostics) = Parser.parse(source)
        let end = Int32(source.bytes.count)
        return diagnostics.contains { diagnostic in
            switch diagnostic.kind {
            case .unterminatedString: return true
            case .expected(_, let found), .expectedExpression(let found): return found == "end of input" && diagnostic.span.start >= end
            default: return false
            }
        }
    }
}
