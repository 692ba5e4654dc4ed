// Doc comments: `##` lines directly above a top-level `fn` document it. `:help NAME`
// shows them for the session's functions and for the standard library's, loaded or not.

import Foundation

/// A function's signature and documentation, as `:help NAME` shows them.
public struct FunctionDoc: Sendable, Equatable {
    public let name: String
    public let parameters: [String]
    /// The `##` lines directly above the `fn`, without their markers (one space after
    /// `##` is dropped, further indentation kept); empty when there are none.
    public let doc: String
    /// Where it is declared: `std/scoring`, a file's path, `<repl:3>`.
    public let source: String
    /// The 1-based line of the `fn`.
    public let line: Int

    /// `name(a, b)`.
    public var signature: String { "\(name)(\(parameters.joined(separator: ", ")))" }

    /// The doc's first sentence (over several lines if need be), without the call
    /// shape it may start with; empty when there is no doc.
    public var summary: String {
        var paragraph: [String] = []
        for line in doc.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty || line.hasPrefix(" ") { break }
            paragraph.append(String(line))
        }
        var text = paragraph.joined(separator: " ")
        if text.hasPrefix(signature + ":") { text = String(text.dropFirst(signature.count + 1)) }
        text = String(text.drop { $0 == " " })
        if let end = text.range(of: ". ") { text = String(text[..<end.lowerBound]) + "." }
        return text
    }

    /// Signature and doc as one text. Docs that start with the call shape
    /// (`name(…): …`, the standard library's habit) are shown as they are.
    public var text: String {
        if doc.isEmpty { return "\(signature)  (\(source):\(line); no ## doc comment)" }
        if doc.hasPrefix(name + "(") { return doc + "\n  (\(source))" }
        return signature + "  (\(source))\n" + doc.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}

public enum FunctionDocs {
    /// The marker that starts a doc comment line.
    public static let marker = "##"

    /// Whether a text is nothing but doc comment lines.
    public static func isDocOnly(_ text: String) -> Bool {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        return !lines.isEmpty && lines.allSatisfy { $0.drop { $0 == " " || $0 == "\t" }.hasPrefix(marker) }
    }

    /// Every top-level function declared in a source text, with its doc comment, in
    /// source order. The text is parsed again (cheap next to a person reading help).
    public static func extract(from source: SourceFile) -> [FunctionDoc] {
        let (program, _) = Parser.parse(source)
        return program.statements.compactMap { statement in
            guard case .function(let function) = statement.kind, let name = function.name else { return nil }
            return doc(for: function, named: name.text, in: source)
        }
    }

    /// The doc of one declared function.
    static func doc(for function: FunctionDecl, named name: String, in source: SourceFile) -> FunctionDoc {
        let line = source.location(of: function.span.start).line
        var lines: [String] = []
        var above = line - 1
        while above >= 1 {
            let text = source.lineText(above).drop { $0 == " " || $0 == "\t" }
            guard text.hasPrefix(marker) else { break }
            var body = text.dropFirst(marker.count)
            if body.first == " " { body = body.dropFirst() }
            lines.append(String(body))
            above -= 1
        }
        return FunctionDoc(name: name, parameters: function.parameters.map(\.text), doc: lines.reversed().joined(separator: "\n"),
                           source: source.name, line: line)
    }
}

extension Stdlib {
    /// The documented functions of one module, read from its file (not loaded into any
    /// session); nil when there is no such module.
    public static func functionDocs(ofModule name: String) -> [FunctionDoc]? {
        guard let path = path(ofModule: name), let data = FileManager.default.contents(atPath: path) else { return nil }
        let source = SourceFile(id: 0, name: sourceName(ofModule: name), text: String(decoding: data, as: UTF8.self))
        return FunctionDocs.extract(from: source)
    }

    /// The standard-library function called `name`, from whichever module has it.
    public static func functionDoc(named name: String) -> FunctionDoc? {
        for module in modules {
            if let found = functionDocs(ofModule: module)?.first(where: { $0.name == name }) { return found }
        }
        return nil
    }
}

extension Session {
    /// The doc of a top-level function this session has declared (in a file, an
    /// imported module or typed input); nil when `name` is not such a function.
    public func functionDoc(named name: String) -> FunctionDoc? {
        guard let entry = globals.lookup(name), entry.isFunction, let source = sources.file(entry.span.file) else { return nil }
        let (program, _) = Parser.parse(source)
        for statement in program.statements {
            guard case .function(let function) = statement.kind, let declared = function.name,
                  declared.text == name, declared.span == entry.span else { continue }
            return FunctionDocs.doc(for: function, named: name, in: source)
        }
        return nil
    }
}
