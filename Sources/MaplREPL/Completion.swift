// Tab completion without a terminal: works out what kind of word is being typed
// (a name, a field after `.`, a symbol, a meta command or its argument) and asks
// every registered source for candidates. New sources (plan entity ids, scale
// values …) plug in with `Completer.register`.

import Foundation
import Mapl

/// What kind of word the cursor is on.
public enum CompletionContext: Equatable, Sendable {
    /// A name in an expression.
    case name
    /// A field after `base.`; `base` is the dotted path of names before the dot, or
    /// nil when it is something else (a call, an index …).
    case field(base: [String]?)
    /// `.word` where a value starts: a symbol such as `.champion`.
    case symbol
    /// `:wo` at the start of an input.
    case command
    /// The argument of a meta command (`:help TOPIC`, `:load FILE` …).
    case argument(command: String, kind: MetaCommand.ArgumentKind)
}

/// One completion: the text to put in place of the typed word, and what to add
/// after it when it is the only candidate (`(` after a function, ` ` after a command).
public struct CompletionCandidate: Equatable, Sendable {
    public var text: String
    public var suffix: String
    /// Shown in the list of candidates (a file's name rather than its path).
    public var label: String

    public init(_ text: String, suffix: String = "", label: String? = nil) {
        self.text = text
        self.suffix = suffix
        self.label = label ?? text
    }
}

/// What a source is asked: the context, the word typed so far, and the session.
public struct CompletionRequest {
    public let context: CompletionContext
    /// The word typed so far (what candidates must start with).
    public let word: String
    /// The line up to the cursor, for sources that look further back.
    public let line: String
    public let repl: ReplSession
}

/// A provider of candidates for some contexts. It may return every candidate it
/// knows for the context: the completer keeps those that start with the typed word.
public protocol CompletionSource {
    func candidates(for request: CompletionRequest) -> [CompletionCandidate]
}

/// The outcome of completing at a cursor.
public struct CompletionResult: Equatable, Sendable {
    public var context: CompletionContext
    /// The word being completed (what the candidates replace), and its UTF-8 offset.
    public var word: String
    public var start: Int
    /// Matching candidates, sorted, without repeats.
    public var candidates: [CompletionCandidate]

    /// The longest text every candidate starts with.
    public var commonPrefix: String {
        guard var prefix = candidates.first?.text else { return word }
        for candidate in candidates.dropFirst() {
            while !candidate.text.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    /// What to insert after the typed word: the rest of a single candidate with its
    /// suffix, or the common part of several; nil when nothing can be added.
    public var insertion: String? {
        if candidates.count == 1, let only = candidates.first, only.text.hasPrefix(word) {
            let rest = String(only.text.dropFirst(word.count)) + only.suffix
            return rest.isEmpty ? nil : rest
        }
        let common = commonPrefix
        guard common.count > word.count, common.hasPrefix(word) else { return nil }
        return String(common.dropFirst(word.count))
    }
}

/// Finds the completion context at a cursor and gathers candidates from its sources.
public final class Completer {
    public private(set) var sources: [any CompletionSource]

    public init(sources: [any CompletionSource] = Completer.standardSources) {
        self.sources = sources
    }

    /// Keywords, built-ins, globals, fields, symbols, meta commands and their arguments.
    public static var standardSources: [any CompletionSource] {
        [KeywordSource(), BuiltinSource(), GlobalNameSource(), FieldSource(), SymbolSource(),
         CommandSource(), CommandArgumentSource(), FileSource(), PlanWordSource()]
    }

    /// Adds a source; its candidates join the others (the first source to offer a
    /// text wins).
    public func register(_ source: any CompletionSource) {
        sources.append(source)
    }

    /// Completes the word before `cursor` (a UTF-8 offset into `line`).
    /// - Parameter continuing: the line continues an unfinished input, so a `:`
    ///   at its start is not a meta command.
    public func complete(line: String, cursor: Int, continuing: Bool, in repl: ReplSession) -> CompletionResult {
        let bytes = Array(line.utf8.prefix(cursor))
        let (context, start) = Completer.context(bytes, continuing: continuing, commands: repl.commands)
        let word = String(decoding: bytes[start...], as: UTF8.self)
        let request = CompletionRequest(context: context, word: word, line: String(decoding: bytes, as: UTF8.self), repl: repl)
        var seen: Set<String> = []
        var found: [CompletionCandidate] = []
        for source in sources {
            for candidate in source.candidates(for: request) where candidate.text.hasPrefix(word) {
                if seen.insert(candidate.text).inserted { found.append(candidate) }
            }
        }
        found.sort { $0.text < $1.text }
        return CompletionResult(context: context, word: word, start: start, candidates: found)
    }

    /// The context of the word that ends at the end of `bytes`, and where it starts.
    static func context(_ bytes: [UInt8], continuing: Bool, commands: [MetaCommand]) -> (CompletionContext, Int) {
        // A meta command and its argument.
        let lead = bytes.prefix { $0 == 32 || $0 == 9 }.count
        if !continuing, lead < bytes.count, bytes[lead] == UInt8(ascii: ":") {
            guard let space = bytes[lead...].firstIndex(where: { $0 == 32 || $0 == 9 }) else {
                return (.command, lead)
            }
            let typed = String(decoding: bytes[(lead + 1)..<space], as: UTF8.self)
            guard let command = MetaCommand.find(typed, in: commands).command else { return (.argument(command: typed, kind: .none), bytes.count) }
            let argumentStart = bytes[space...].firstIndex { $0 != 32 && $0 != 9 } ?? bytes.count
            switch command.argument {
            case .expression, .name:
                // Complete the argument like an expression, from where it starts.
                let (context, start) = expressionContext(Array(bytes[argumentStart...]))
                if command.argument == .name, context == .name {
                    return (.argument(command: command.name, kind: .name), argumentStart + start)
                }
                return (context, argumentStart + start)
            case .none, .file, .topic, .kind:
                return (.argument(command: command.name, kind: command.argument), argumentStart)
            }
        }
        return expressionContext(bytes)
    }

    /// The context of the word at the end of some expression text.
    static func expressionContext(_ bytes: [UInt8]) -> (CompletionContext, Int) {
        var start = bytes.count
        while start > 0, isNameByte(bytes[start - 1]) { start -= 1 }
        guard start > 0, bytes[start - 1] == UInt8(ascii: ".") else { return (.name, start) }
        let dot = start - 1
        // `1..x` is a range, not a field.
        if dot > 0, bytes[dot - 1] == UInt8(ascii: ".") { return (.name, start) }
        guard dot > 0, isNameByte(bytes[dot - 1]) || bytes[dot - 1] == UInt8(ascii: ")") || bytes[dot - 1] == UInt8(ascii: "]") else {
            return (.symbol, start)
        }
        // The dotted path before the dot: `a.b` in `a.b.c`.
        var path: [String] = []
        var end = dot
        while true {
            var begin = end
            while begin > 0, isNameByte(bytes[begin - 1]) { begin -= 1 }
            guard begin < end, !isDigit(bytes[begin]) else { return (.field(base: nil), start) }
            path.insert(String(decoding: bytes[begin..<end], as: UTF8.self), at: 0)
            if begin > 0, bytes[begin - 1] == UInt8(ascii: "."), begin - 1 > 0, isNameByte(bytes[begin - 2]) {
                end = begin - 1
                continue
            }
            // `.a.b`: a symbol cannot have fields; `x].a.`: not a plain path.
            if begin > 0, bytes[begin - 1] == UInt8(ascii: ".") || bytes[begin - 1] == UInt8(ascii: ")") || bytes[begin - 1] == UInt8(ascii: "]") {
                return (.field(base: nil), start)
            }
            return (.field(base: path), start)
        }
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        byte == 95 || (byte | 0x20 >= 97 && byte | 0x20 <= 122) || isDigit(byte)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}

// MARK: - The standard sources

/// The reserved words.
public struct KeywordSource: CompletionSource {
    public init() {}
    public func candidates(for request: CompletionRequest) -> [CompletionCandidate] {
        let context = request.context
        guard context == .name else { return [] }
        return LanguageInfo.keywords.map { CompletionCandidate($0) }
    }
}

/// The built-in functions (completed with `(`).
public struct BuiltinSource: CompletionSource {
    public init() {}
    public func candidates(for request: CompletionRequest) -> [CompletionCandidate] {
        let context = request.context
        guard context == .name else { return [] }
        return LanguageInfo.builtins.map { CompletionCandidate($0.name, suffix: "(") }
    }
}

/// The session's top-level names; functions are completed with `(`.
public struct GlobalNameSource: CompletionSource {
    public init() {}
    public func candidates(for request: CompletionRequest) -> [CompletionCandidate] {
        let (context, repl) = (request.context, request.repl)
        switch context {
        case .name, .argument(_, .name):
            var names = repl.session.declaredGlobals.filter(\.isInitialized).map { global -> CompletionCandidate in
                let callable = context == .name && LanguageInfo.arity(of: global.value) != nil
                return CompletionCandidate(global.name, suffix: callable ? "(" : "")
            }
            if context == .name { names.append(CompletionCandidate("args")) }
            return names
        default:
            return []
        }
    }
}

/// Fields after a `.`: of the record or entity a dotted path of globals leads to,
/// or — when the path is a local or a call (`o.` inside `[o.value for o in deals]`)
/// — every field of the records and entities the session holds.
public struct FieldSource: CompletionSource {
    public init() {}
    public func candidates(for request: CompletionRequest) -> [CompletionCandidate] {
        guard case .field(let base) = request.context else { return [] }
        let session = request.repl.session
        if let base, let first = base.first, let root = session.globalValue(named: first) {
            var value = root
            for key in base.dropFirst() {
                switch ValueDisplay.unboxed(value) {
                case .record(let record): guard let next = record[key] else { return [] }; value = next
                case .entity(let entity): guard let next = entity[key] else { return [] }; value = next
                default: return []
                }
            }
            switch ValueDisplay.unboxed(value) {
            case .record(let record): return record.shape.keys.map { CompletionCandidate($0) }
            case .entity(let entity): return LanguageInfo.fieldNames(of: entity.kind).map { CompletionCandidate($0) }
            default: return []
            }
        }
        return FieldSource.allFields(in: session).map { CompletionCandidate($0) }
    }

    /// Every field name of the records and entity kinds reachable from the globals.
    static func allFields(in session: Session) -> [String] {
        var keys: [String] = []
        var seen: Set<String> = []
        var kinds: Set<String> = []
        var walker = ValueWalker()
        for global in session.declaredGlobals {
            walker.walk(global.value) { value in
                switch value {
                case .record(let record):
                    for key in record.shape.keys where seen.insert(key).inserted { keys.append(key) }
                case .entity(let entity):
                    guard kinds.insert(entity.kind.name).inserted else { return }
                    for key in LanguageInfo.fieldNames(of: entity.kind) where seen.insert(key).inserted { keys.append(key) }
                default:
                    return
                }
            }
        }
        return keys
    }
}

/// Symbols (`.champion`) that appear in the session's values.
public struct SymbolSource: CompletionSource {
    public init() {}
    public func candidates(for request: CompletionRequest) -> [CompletionCandidate] {
        let (context, repl) = (request.context, request.repl)
        guard context == .symbol else { return [] }
        var symbols: Set<String> = []
        var walker = ValueWalker()
        for global in repl.session.declaredGlobals {
            walker.walk(global.value) { value in
                if case .symbol(let name) = value { symbols.insert(name) }
            }
        }
        return symbols.map { CompletionCandidate($0) }
    }
}

/// The meta commands after `:`.
public struct CommandSource: CompletionSource {
    public init() {}
    public func candidates(for request: CompletionRequest) -> [CompletionCandidate] {
        let (context, repl) = (request.context, request.repl)
        guard context == .command else { return [] }
        return repl.commands.map { CompletionCandidate(":" + $0.name, suffix: $0.argument == .none ? "" : " ") }
    }
}

/// Help topics, built-in and command names after `:help`; kinds after `:ls`.
public struct CommandArgumentSource: CompletionSource {
    public init() {}
    public func candidates(for request: CompletionRequest) -> [CompletionCandidate] {
        let (context, repl) = (request.context, request.repl)
        guard case .argument(_, let kind) = context else { return [] }
        switch kind {
        case .topic:
            return HelpTopics.all.map { CompletionCandidate($0.name) }
                + LanguageInfo.builtins.map { CompletionCandidate($0.name) }
                + repl.commands.map { CompletionCandidate(":" + $0.name) }
        case .kind:
            return repl.listingKinds().map { CompletionCandidate($0) }
        case .none, .file, .name, .expression:
            return []
        }
    }
}

/// Paths after `:load` and `:save`: directories and `.mapl` files.
public struct FileSource: CompletionSource {
    public init() {}
    public func candidates(for request: CompletionRequest) -> [CompletionCandidate] {
        let context = request.context
        guard case .argument(_, .file) = context else { return [] }
        let typed = request.word
        let directoryPart = typed.range(of: "/", options: .backwards).map { String(typed[..<$0.upperBound]) } ?? ""
        let expanded = directoryPart.hasPrefix("~/") ? NSString(string: directoryPart).expandingTildeInPath + "/" : directoryPart
        let directory = expanded.isEmpty ? "." : expanded
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var found: [CompletionCandidate] = []
        for name in names where !name.hasPrefix(".") || typed.hasSuffix("/.") || typed.split(separator: "/").last?.hasPrefix(".") == true {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(name), isDirectory: &isDirectory)
            if isDirectory.boolValue {
                found.append(CompletionCandidate(directoryPart + name + "/", label: name + "/"))
            } else if name.hasSuffix(".mapl") {
                found.append(CompletionCandidate(directoryPart + name, label: name))
            }
        }
        return found
    }
}

/// Visits a value and what it contains, a bounded number of values deep and wide,
/// so completion stays instant on a large plan.
struct ValueWalker {
    private var budget = 20_000
    private var visited: Set<ObjectIdentifier> = []

    mutating func walk(_ value: Value, depth: Int = 0, _ visit: (Value) -> Void) {
        guard budget > 0, depth < 8 else { return }
        budget -= 1
        let value = ValueDisplay.unboxed(value)
        visit(value)
        switch value {
        case .list(let list):
            guard visited.insert(ObjectIdentifier(list)).inserted else { return }
            for item in list.items { walk(item, depth: depth + 1, visit) }
        case .record(let record):
            guard visited.insert(ObjectIdentifier(record)).inserted else { return }
            for item in record.values { walk(item, depth: depth + 1, visit) }
        default:
            return
        }
    }
}
