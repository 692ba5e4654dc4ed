// The meta commands (`:help`, `:load`, `:save` …): a table of names, usages and
// actions, so that new commands (and their completion) plug in with `register`.

import Foundation
import Mapl

/// A command typed after `:` at the start of an input.
public struct MetaCommand {
    /// What the argument is, for completion.
    public enum ArgumentKind: Equatable, Sendable {
        case none, file, topic, name, expression, kind
    }

    public let name: String
    /// The argument as shown in help: `FILE`, `[TOPIC]` …; empty when there is none.
    public let usage: String
    public let summary: String
    public let argument: ArgumentKind
    /// Runs the command with its argument text (trimmed; empty when none was given).
    public let run: (ReplSession, String) -> ReplSession.Reply

    public init(name: String, usage: String = "", summary: String, argument: ArgumentKind = .none,
                run: @escaping (ReplSession, String) -> ReplSession.Reply) {
        self.name = name
        self.usage = usage
        self.summary = summary
        self.argument = argument
        self.run = run
    }

    /// The command a typed name means: the exact name, or the only one it begins.
    static func find(_ typed: String, in commands: [MetaCommand]) -> (command: MetaCommand?, candidates: [MetaCommand]) {
        if let exact = commands.first(where: { $0.name == typed }) { return (exact, [exact]) }
        let matching = typed.isEmpty ? [] : commands.filter { $0.name.hasPrefix(typed) }
        return (matching.count == 1 ? matching[0] : nil, matching)
    }

    /// The commands every session has.
    public static var standard: [MetaCommand] { [
        MetaCommand(name: "help", usage: "[TOPIC]", summary: "this help; a topic, built-in or command explained", argument: .topic) { repl, argument in
            repl.help(argument)
            return .proceed
        },
        MetaCommand(name: "load", usage: "FILE", summary: "run a plan file in this session", argument: .file) { repl, argument in
            guard !argument.isEmpty else { repl.fail(":load needs a file: :load plan.mapl"); return .proceed }
            let path = expandingTilde(argument)
            if repl.load(path) { repl.writeOutput("loaded \(path)\n") }
            return .proceed
        },
        MetaCommand(name: "reload", summary: "start afresh and load the same files again") { repl, _ in
            repl.reload()
            return .proceed
        },
        MetaCommand(name: "save", usage: "FILE", summary: "write what this session declared to a plan file", argument: .file) { repl, argument in
            guard !argument.isEmpty else { repl.fail(":save needs a file: :save plan.mapl"); return .proceed }
            repl.save(to: expandingTilde(argument))
            return .proceed
        },
        MetaCommand(name: "reset", summary: "forget every name and loaded file") { repl, _ in
            repl.reset()
            repl.writeOutput("the session is empty\n")
            return .proceed
        },
        MetaCommand(name: "ls", usage: "[KIND]", summary: "list the names you have, with their types", argument: .kind) { repl, argument in
            repl.list(kind: argument)
            return .proceed
        },
        MetaCommand(name: "show", usage: "NAME", summary: "show a value in full (a list of records as a table)", argument: .name) { repl, argument in
            repl.show(argument)
            return .proceed
        },
        MetaCommand(name: "check", summary: "the built-in checks and the plan's rules over what is declared") { repl, _ in
            repl.check()
            return .proceed
        },
        MetaCommand(name: "type", usage: "EXPR", summary: "the type of an expression's value", argument: .expression) { repl, argument in
            repl.type(argument)
            return .proceed
        },
        MetaCommand(name: "quit", summary: "leave (Ctrl-D does too)") { _, _ in .quit },
    ] }
}

private func expandingTilde(_ path: String) -> String {
    path.hasPrefix("~/") ? NSString(string: path).expandingTildeInPath : path
}

extension ReplSession {
    /// Runs `:name argument`.
    func runCommand(_ text: String) -> Reply {
        let body = text.dropFirst()
        let name = String(body.prefix { !$0.isWhitespace })
        let argument = body.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        let (command, candidates) = MetaCommand.find(name, in: commands)
        guard let command else {
            if candidates.count > 1 {
                fail("':\(name)' could be " + candidates.map { ":" + $0.name }.joined(separator: ", "))
            } else if let near = closest(to: name, among: commands.map(\.name)) {
                fail("unknown command ':\(name)'; did you mean ':\(near)'? (:help lists them)")
            } else {
                fail("unknown command ':\(name)' (:help lists them)")
            }
            return .proceed
        }
        if command.argument == .none, !argument.isEmpty {
            fail(":\(command.name) takes no argument")
            return .proceed
        }
        return command.run(self, argument)
    }

    // MARK: - :help

    func help(_ argument: String) {
        guard !argument.isEmpty else {
            writeOutput(generalHelp())
            return
        }
        // The session's own documented functions first: the user chose the name and
        // wrote the doc. Undocumented ones come after the topics and built-ins.
        let own = session.functionDoc(named: argument)
        if let own, !own.doc.isEmpty {
            writeOutput(own.text + "\n")
            return
        }
        if let topic = HelpTopics.find(argument, allowPrefix: false) {
            writeOutput(topic.title.prefix(1).uppercased() + topic.title.dropFirst() + "\n\n" + topic.text + "\n")
            return
        }
        if let builtin = LanguageInfo.builtin(named: argument) {
            writeOutput(builtin.doc + " (built-in, \(builtin.arity))\n")
            return
        }
        if let own {
            writeOutput(own.text + "\n")
            return
        }
        if let text = functionHelp(argument) {
            writeOutput(text + "\n")
            return
        }
        if let topic = HelpTopics.find(argument) {
            writeOutput(topic.title.prefix(1).uppercased() + topic.title.dropFirst() + "\n\n" + topic.text + "\n")
            return
        }
        let commandName = argument.hasPrefix(":") ? String(argument.dropFirst()) : argument
        if let command = MetaCommand.find(commandName, in: commands).command {
            writeOutput(":\(command.name)\(command.usage.isEmpty ? "" : " " + command.usage)  \(command.summary)\n")
            return
        }
        let everything = HelpTopics.all.map(\.name) + LanguageInfo.builtins.map(\.name) + commands.map { ":" + $0.name }
            + session.declaredGlobals.filter(\.isFunction).map(\.name) + Stdlib.modules.map { Stdlib.importPrefix + $0 }
        let hint = closest(to: argument, among: everything).map { " Did you mean '\($0)'?" } ?? ""
        fail("no help on '\(argument)'.\(hint) Topics: \(HelpTopics.all.map(\.name).joined(separator: ", ")).")
    }

    private func generalHelp() -> String {
        let shown = commands.map { ":" + $0.name + ($0.usage.isEmpty ? "" : " " + $0.usage) }
        let column = (shown.map(\.count).max() ?? 0) + 2
        var out = "Type a statement or an expression: declarations stay, values print.\n\nCommands:\n"
        for (text, command) in zip(shown, commands) {
            out += "  " + text + String(repeating: " ", count: column - text.count) + command.summary + "\n"
        }
        out += "\nTopics (:help TOPIC):\n"
        out += wrap(HelpTopics.all.map(\.name), indent: "  ")
        out += "\nBuilt-ins (:help NAME):\n"
        out += wrap(LanguageInfo.builtins.map(\.name), indent: "  ")
        out += "\nStandard library (import \"std/NAME\"; :help std/NAME lists a module):\n"
        out += wrap(Stdlib.modules.map { Stdlib.importPrefix + $0 }, indent: "  ")
        out += "\nTab completes; Ctrl-R searches history; Ctrl-C stops; Ctrl-D leaves (:help keys).\n"
        return out
    }

    private func wrap(_ words: [String], indent: String, limit: Int = 78) -> String {
        var lines: [String] = []
        var line = indent
        for word in words {
            if line.count + word.count + 1 > limit, line != indent {
                lines.append(line)
                line = indent
            }
            line += (line == indent ? "" : " ") + word
        }
        lines.append(line)
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - :reload, :save

    func reload() {
        let files = loadedFiles
        reset()
        guard !files.isEmpty else {
            writeOutput("no files to reload; the session is empty\n")
            return
        }
        var loaded = 0
        for file in files where load(file) { loaded += 1 }
        writeOutput("reloaded \(loaded) of \(files.count) \(files.count == 1 ? "file" : "files"); names typed here were forgotten\n")
    }

    /// Writes the session's declarations atomically: to a temporary file in the same
    /// directory, then renamed over the target.
    func save(to path: String) {
        let target = URL(fileURLWithPath: path).standardizedFileURL
        if loadedFiles.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL == target }) {
            fail(":save would overwrite '\(path)', which this session loaded (its prints and comments between statements would be lost); save under another name")
            return
        }
        let files = Set(log.entries.filter(\.isFile).map(\.sourceName))
        let typed = log.entries.filter { !$0.isFile }.count
        var from: [String] = []
        if !files.isEmpty { from.append(files.sorted().joined(separator: ", ")) }
        if typed > 0 { from.append("\(typed) typed \(typed == 1 ? "input" : "inputs")") }
        let header = "# mapl session saved \(session.machine.today.formatted)"
            + (from.isEmpty ? "" : " from " + from.joined(separator: " and ")) + ".\n"
            + "# Load it with `mapl repl FILE` or `:load FILE`.\n"
        let text = log.render(header: header, savingTo: path)
        do {
            try AtomicFile.write(text, to: path)
        } catch {
            fail(":save: \(error)")
            return
        }
        let count = log.entries.reduce(0) { $0 + $1.statements.count }
        writeOutput("saved \(count) \(count == 1 ? "statement" : "statements") to \(path)\n")
    }

    // MARK: - :ls, :show, :type

    func list(kind: String) {
        var globals = session.declaredGlobals.filter(\.isInitialized)
        if !kind.isEmpty {
            guard let wanted = normalizedKind(kind) else {
                fail(":ls: no kind '\(kind)'; kinds: \(listingKinds().joined(separator: ", "))")
                return
            }
            globals = globals.filter { $0.value.typeName == wanted }
            guard !globals.isEmpty else {
                writeOutput("no \(wanted) values\n")
                return
            }
        }
        guard !globals.isEmpty else {
            writeOutput("no names yet: declare one, e.g. let goal = $2.5M\n")
            return
        }
        let rows = globals.map { global -> (String, String, String) in
            let summary: String
            if global.isFunction, let text = declarationText(of: global) {
                // A one-line function as written; a longer one by its signature.
                let signature = text.contains("\n") ? String(text.prefix { $0 != "{" }) + "{ … }" : text
                summary = signature.count > 48 ? signature.prefix(47) + "…" : signature
            } else if case .entity(let entity) = global.value {
                summary = entity.name
            } else {
                summary = ValueDisplay.summary(global.value)
            }
            return (global.name, global.value.typeName, summary)
        }
        let nameWidth = rows.map(\.0.count).max() ?? 0
        let typeWidth = rows.map(\.1.count).max() ?? 0
        var out = ""
        for (name, type, summary) in rows {
            out += name + String(repeating: " ", count: nameWidth - name.count + 2)
                + type + String(repeating: " ", count: typeWidth - type.count + 2) + summary + "\n"
        }
        writeOutput(out)
    }

    /// The kind a user means: `functions` → `function`, `opportunities` →
    /// `opportunity`, `percent` → `percentage`; nil when there is no such kind.
    private func normalizedKind(_ kind: String) -> String? {
        let word = kind.lowercased()
        if word == "percent" || word == "percents" { return "percentage" }
        if word == "bool" || word == "booleans" { return "boolean" }
        if let entityKind = Schema.kind(plural: word) { return entityKind.name }
        let kinds = listingKinds()
        if kinds.contains(word) { return word }
        if word.hasSuffix("s"), kinds.contains(String(word.dropLast())) { return String(word.dropLast()) }
        return nil
    }

    /// `:check`: the built-in checks and the rules over the plan declared so far.
    func check() {
        let findings = withLargeStack { session.checkDeclaredPlan() }
        guard !findings.isEmpty else { writeOutput("no problems found\n"); return }
        writeOutput(findings.map(renderer.render).joined() + DiagnosticRenderer.count(findings) + "\n")
    }

    func show(_ argument: String) {
        guard !argument.isEmpty else {
            fail(":show needs a name: :show opportunities")
            return
        }
        let isName = argument.utf8.allSatisfy(Completer.isNameByte) && !Completer.isDigit(argument.utf8.first!)
        if isName, let global = session.declaredGlobals.first(where: { $0.name == argument }), global.isInitialized {
            let place = renderer.location(global.span)
            if global.isFunction, let text = declarationText(of: global) {
                writeOutput(text + "\n")
                writeOutput("# declared at \(place)\n")
                return
            }
            if case .entity(let entity) = global.value {
                let title = entity.title.map { " \"\($0)\"" } ?? ""
                writeOutput("# \(entity.kind.name) \(entity.id)\(title), declared at \(place)\n")
            } else {
                writeOutput("# \(global.name): \(ValueDisplay.describeType(global.value)), declared at \(place)\n")
            }
            writeOutput(detailed(global.value) + "\n")
            return
        }
        if isName, let builtin = LanguageInfo.builtin(named: argument) {
            writeOutput(builtin.doc + " (built-in, \(builtin.arity))\n")
            return
        }
        // Anything else is evaluated: a collection (`stakeholders`), the account,
        // `deals[0]`; an unknown name gets the usual "undefined name" report.
        guard expressionOnly(argument, command: "show") else { return }
        evaluate(name: "<show>", text: argument, isFile: false, echo: true) { [unowned self] in self.detailed($0) }
    }

    /// A value in full: an entity field by field (computed fields too), else as
    /// `ValueDisplay.detail` shows it.
    private func detailed(_ value: Value) -> String {
        if case .entity(let entity) = value { return TableFormatting.card(session.fields(of: entity)) }
        return ValueDisplay.detail(value, width: width)
    }

    func type(_ argument: String) {
        guard !argument.isEmpty else {
            fail(":type needs an expression: :type goal - won")
            return
        }
        guard expressionOnly(argument, command: "type") else { return }
        evaluate(name: "<type>", text: argument, isFile: false, echo: true) { ValueDisplay.describeType($0) }
    }

    /// True when the text is one expression; otherwise says so.
    private func expressionOnly(_ text: String, command: String) -> Bool {
        let (program, diagnostics) = Parser.parse(SourceFile(id: 0, name: "<\(command)>", text: text))
        if !diagnostics.isEmpty { return true }  // let evaluation report them against the text
        if program.statements.count == 1, case .expression = program.statements[0].kind { return true }
        fail(":\(command) takes an expression, e.g. :\(command) opportunities[0]")
        return false
    }

    /// The source text of a top-level `fn` declaration.
    private func declarationText(of global: GlobalInfo) -> String? {
        guard let file = session.sources.file(global.span.file) else { return nil }
        let (program, _) = Parser.parse(file)
        for statement in program.statements {
            if case .function(let decl) = statement.kind, decl.name?.span == global.span {
                return file.text(of: statement.span)
            }
        }
        return nil
    }
}
