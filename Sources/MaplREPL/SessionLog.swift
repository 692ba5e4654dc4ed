// What `:save` writes: the top-level statements that built the session's state, in
// the order they ran, so that loading the file gives the same names and values.
//
// Kept: every `let`, `fn`, plan declaration, rule and import, every assignment, and
// any other statement that may change state (it assigns to a name it did not declare
// itself, assigns a field or an index, calls push/pop, or calls a function that
// does). Dropped: queries and prints. A name declared again is written once: a later
// `let x = …` becomes the assignment `x = …`; of a function, entity or rule declared
// again only the last declaration is written (they are hoisted, so a file may hold
// only one). Limits: an input that failed at run time keeps only the statements that
// finished before the error; a function redeclared after top-level code called it
// replays with its last definition.

import Foundation
import Mapl

struct SessionLog {
    /// One kept top-level statement.
    struct Statement {
        enum Role: Equatable {
            /// A `let`; `assignment` is the same statement as `x = …`.
            case value(name: String, assignment: String)
            /// A `fn`, entity or rule: hoisted, so only the last one of a key is written.
            /// `name` is the global it declares, if any.
            case hoisted(key: String, name: String?)
            /// `import "file"`: written once.
            case importFile(String)
            /// Any other statement that may change state.
            case effect
        }
        var text: String
        var role: Role
    }

    /// The kept statements of one source (a loaded file or a typed input).
    struct Entry {
        var sourceName: String
        var isFile: Bool
        var statements: [Statement]
    }

    private(set) var entries: [Entry] = []
    /// Top-level functions that may change state when called.
    private var mutatingFunctions: Set<String> = []

    mutating func clear() {
        entries.removeAll()
        mutatingFunctions.removeAll()
    }

    var isEmpty: Bool { entries.allSatisfy { $0.statements.isEmpty } }

    /// Records the state-changing statements of a source that ran. When it stopped
    /// with an error, `stoppedAt` is the byte offset of the top-level statement that
    /// failed: later statements did not run (functions count, being hoisted).
    mutating func record(_ source: SourceFile, isFile: Bool, stoppedAt: Int32? = nil) {
        let (program, diagnostics) = Parser.parse(source)
        guard diagnostics.isEmpty else { return }
        // Which of this program's functions change state, to a fixed point (they may
        // call each other in any order).
        var functions: [String: FunctionDecl] = [:]
        for statement in program.statements {
            if case .function(let decl) = statement.kind, let name = decl.name?.text { functions[name] = decl }
        }
        // A name declared again (as a function or a value) forgets what it was.
        for statement in program.statements {
            switch statement.kind {
            case .function(let decl): if let name = decl.name { mutatingFunctions.remove(name.text) }
            case .letBinding(let name, _): mutatingFunctions.remove(name.text)
            case .expression, .assignment, .forLoop, .whileLoop, .returnStatement, .breakStatement, .continueStatement, .declaration, .rule, .importFile: break
            }
        }
        var changed = true
        while changed {
            changed = false
            for (name, decl) in functions where !mutatingFunctions.contains(name) {
                var effects = Effects(mutatingFunctions: mutatingFunctions)
                effects.bind(decl.parameters.map(\.text))
                effects.visit(decl.body)
                if effects.mayChangeState {
                    mutatingFunctions.insert(name)
                    changed = true
                }
            }
        }

        var kept: [Statement] = []
        for statement in program.statements {
            let ran = stoppedAt.map { statement.span.end <= $0 } ?? true
            let text = self.text(of: statement, in: source)
            switch statement.kind {
            case .function(let decl):
                guard let name = decl.name?.text else { continue }
                kept.append(Statement(text: text, role: .hoisted(key: name, name: name)))
            case .declaration(let declaration):
                let name = declaration.id?.text
                // A singleton declared again replaces the first; other lines without an
                // id (influence, conflict) are each kept.
                let isSingleton = Schema.kind(named: declaration.kind.text)?.isSingleton ?? false
                let key = name ?? (isSingleton ? declaration.kind.text : "\(declaration.kind.text) \(source.id):\(statement.span.start)")
                kept.append(Statement(text: text, role: .hoisted(key: key, name: name)))
            case .rule(let rule):
                kept.append(Statement(text: text, role: .hoisted(key: "rule " + rule.id.text, name: nil)))
            case .importFile(let path):
                // A standard-library module is found by name from anywhere; a file by its
                // place, relative to the file that imports it.
                let directory = source.name.hasPrefix("<") ? "" : PathNames.directory(of: source.name)
                let isModule = Stdlib.moduleName(ofImport: path) != nil
                let full = isModule || path.hasPrefix("/") || directory.isEmpty ? path : directory + "/" + path
                kept.append(Statement(text: text, role: .importFile(full)))
            case .letBinding(let name, _):
                guard ran else { continue }
                let assignment = source.text(of: Span(file: source.id, start: name.span.start, end: statement.span.end))
                kept.append(Statement(text: text, role: .value(name: name.text, assignment: assignment)))
            case .expression, .assignment, .forLoop, .whileLoop:
                guard ran else { continue }
                var effects = Effects(mutatingFunctions: mutatingFunctions)
                effects.visit(statement)
                if effects.mayChangeState { kept.append(Statement(text: text, role: .effect)) }
            case .returnStatement, .breakStatement, .continueStatement:
                continue
            }
        }
        if !kept.isEmpty { entries.append(Entry(sourceName: source.name, isFile: isFile, statements: kept)) }
    }

    /// The plan file `:save` writes to `path`.
    func render(header: String, savingTo path: String) -> String {
        typealias Position = (entry: Int, statement: Int)
        // Where each hoisted key and each `let` name is declared last.
        var lastHoisted: [String: Position] = [:]
        var lastHoistedName: [String: Position] = [:]
        var lastLet: [String: Position] = [:]
        for (e, entry) in entries.enumerated() {
            for (s, statement) in entry.statements.enumerated() {
                switch statement.role {
                case .hoisted(let key, let name):
                    lastHoisted[key] = (e, s)
                    if let name { lastHoistedName[name] = (e, s) }
                case .value(let name, _): lastLet[name] = (e, s)
                case .importFile, .effect: break
                }
            }
        }
        let saveDirectory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        var declaredLets: Set<String> = []
        var imported: Set<String> = []
        var out = header
        for (e, entry) in entries.enumerated() {
            var lines: [String] = []
            for (s, statement) in entry.statements.enumerated() {
                switch statement.role {
                case .effect:
                    lines.append(statement.text)
                case .importFile(let target) where Stdlib.moduleName(ofImport: target) != nil:
                    guard imported.insert(target).inserted else { continue }
                    lines.append("import " + quoted(target))
                case .importFile(let target):
                    let absolute = URL(fileURLWithPath: target).standardizedFileURL.path
                    guard imported.insert(absolute).inserted else { continue }
                    lines.append("import " + quoted(relativePath(absolute, from: saveDirectory)))
                case .hoisted(let key, let name):
                    // Only the last declaration is written, and none when a later `let`
                    // took the name over.
                    guard let last = lastHoisted[key], last == (e, s) else { continue }
                    if let name, let letPosition = lastLet[name], letPosition > (e, s) { continue }
                    lines.append(statement.text)
                case .value(let name, let assignment):
                    if let hoisted = lastHoistedName[name], hoisted > (e, s) { continue }
                    if declaredLets.insert(name).inserted {
                        lines.append(statement.text)
                    } else {
                        lines.append(assignment)
                    }
                }
            }
            guard !lines.isEmpty else { continue }
            out += "\n# from \(entry.sourceName)\n" + lines.joined(separator: "\n") + "\n"
        }
        return out
    }

    /// `target` relative to `directory` when it lies below a common ancestor other
    /// than the root; else absolute.
    private func relativePath(_ target: String, from directory: String) -> String {
        let to = target.split(separator: "/"), from = directory.split(separator: "/")
        var common = 0
        while common < to.count - 1, common < from.count, to[common] == from[common] { common += 1 }
        guard common > 0 else { return target }
        return (Array(repeating: "..", count: from.count - common) + to[common...].map(String.init)).joined(separator: "/")
    }

    private func quoted(_ path: String) -> String {
        "\"" + path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "{", with: "\\{").replacingOccurrences(of: "}", with: "\\}") + "\""
    }

    /// A statement's text with the comment lines just above it and a comment that
    /// ends its last line, so a saved plan keeps its explanations.
    private func text(of statement: Stmt, in source: SourceFile) -> String {
        let bytes = source.bytes
        let newline = UInt8(ascii: "\n")
        var start = Int(statement.span.start)
        var end = Int(statement.span.end)
        // Leading comment lines (not a `#!` line).
        var lineStart = start
        while lineStart > 0, bytes[lineStart - 1] != newline { lineStart -= 1 }
        if bytes[lineStart..<start].allSatisfy({ $0 == 32 || $0 == 9 }) {
            start = lineStart
            while start > 0 {
                var previous = start - 1  // the newline ending the line above
                while previous > 0, bytes[previous - 1] != newline { previous -= 1 }
                let line = bytes[previous..<(start - 1)].drop(while: { $0 == 32 || $0 == 9 })
                guard line.first == UInt8(ascii: "#"), !line.starts(with: Array("#!".utf8)) else { break }
                start = previous
            }
        } else {
            start = Int(statement.span.start)
        }
        // A trailing comment on the statement's last line.
        var lineEnd = end
        while lineEnd < bytes.count, bytes[lineEnd] != newline { lineEnd += 1 }
        let rest = bytes[end..<lineEnd].drop(while: { $0 == 32 || $0 == 9 || $0 == UInt8(ascii: ";") })
        if rest.first == UInt8(ascii: "#") { end = lineEnd }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

/// Whether running some code may change the session's state, judged from its syntax.
/// Conservative: a function that assigns a field of a record it made itself counts.
private struct Effects {
    let mutatingFunctions: Set<String>
    /// Names the code declares itself (parameters, lets, loop variables); assigning
    /// them changes nothing outside.
    private var locals: Set<String> = []
    private(set) var mayChangeState = false

    init(mutatingFunctions: Set<String>) {
        self.mutatingFunctions = mutatingFunctions
    }

    mutating func bind(_ names: [String]) { locals.formUnion(names) }

    mutating func visit(_ block: Block) {
        for statement in block.statements { visit(statement) }
    }

    mutating func visit(_ statement: Stmt) {
        switch statement.kind {
        case .expression(let expr): visit(expr)
        case .letBinding(let name, let value):
            locals.insert(name.text)
            visit(value)
        case .function(let decl):
            if let name = decl.name { locals.insert(name.text) }
            visit(function: decl)
        case .assignment(let target, _, let value):
            switch target.kind {
            case .variable(let name): if !locals.contains(name.text) { mayChangeState = true }
            case .literal, .bool, .nilLiteral, .symbol, .interpolation, .list, .record, .unary, .binary, .call, .index, .field,
                 .function, .conditional, .comprehension, .range, .query:
                mayChangeState = true  // a field or an index of a shared object
            }
            visit(target)
            visit(value)
        case .forLoop(let binding, let sequence, let body):
            bind([binding.first.text] + (binding.second.map { [$0.text] } ?? []))
            visit(sequence)
            visit(body)
        case .whileLoop(let condition, let body):
            visit(condition)
            visit(body)
        case .returnStatement(let value): if let value { visit(value) }
        case .breakStatement, .continueStatement: break
        case .declaration, .rule, .importFile: mayChangeState = true
        }
    }

    private mutating func visit(function decl: FunctionDecl) {
        bind(decl.parameters.map(\.text))
        visit(decl.body)
    }

    mutating func visit(_ expr: Expr) {
        switch expr.kind {
        case .literal, .bool, .nilLiteral, .symbol, .variable: break
        case .interpolation(let parts):
            for case .expression(let inner) in parts { visit(inner) }
        case .list(let items): for item in items { visit(item) }
        case .record(let fields): for field in fields { visit(field.value) }
        case .unary(_, let operand): visit(operand)
        case .binary(_, let left, let right), .index(let left, let right), .range(let left, let right):
            visit(left)
            visit(right)
        case .call(let callee, let arguments):
            if case .variable(let name) = callee.kind, !locals.contains(name.text),
               name.text == "push" || name.text == "pop" || mutatingFunctions.contains(name.text) {
                mayChangeState = true
            }
            visit(callee)
            for argument in arguments { visit(argument) }
        case .field(let object, _): visit(object)
        case .function(let decl): visit(function: decl)
        case .conditional(let condition, let then, let otherwise):
            visit(condition)
            visit(then)
            if let otherwise { visit(otherwise) }
        case .comprehension(let element, let binding, let sequence, let condition):
            bind([binding.first.text] + (binding.second.map { [$0.text] } ?? []))
            visit(element)
            visit(sequence)
            if let condition { visit(condition) }
        case .query(let base, let clause):
            visit(base)
            switch clause.kind {
            case .filter(let condition): visit(condition)
            case .sort(let keys): for key in keys { visit(key.key) }
            case .group(let key): visit(key)
            case .select(let fields): for field in fields { visit(field.value) }
            case .take(let count): visit(count)
            }
        }
    }
}
