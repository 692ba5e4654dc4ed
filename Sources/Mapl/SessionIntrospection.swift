// What hosts (the REPL, later an editor) may ask a session and the language about
// names — globals, keywords, built-ins — without running code or changing the session.

/// A top-level name a session holds, with its current value.
public struct GlobalInfo {
    public let name: String
    public let value: Value
    public let isFunction: Bool
    /// Parameters of a declared function; nil for values.
    public let arity: Int?
    /// Where the name was (last) declared.
    public let span: Span
    /// False while a declaration is known but its `let` has not run.
    public let isInitialized: Bool
}

/// A built-in function as `:help` and completion show it.
public struct BuiltinInfo: Sendable {
    public let name: String
    public let arity: Arity
    /// One line: the call shape, a colon, what it does.
    public let doc: String
}

/// Facts about the language itself, for completion and help.
public enum LanguageInfo {
    /// The reserved words, sorted.
    public static let keywords: [String] = TokenKind.keywords.keys.sorted()

    /// Every built-in function, in the order of the built-in table.
    public static let builtins: [BuiltinInfo] = Builtins.entries.map {
        BuiltinInfo(name: $0.name, arity: $0.arity, doc: $0.doc)
    }

    /// The built-in called `name`, if there is one.
    public static func builtin(named name: String) -> BuiltinInfo? {
        guard let index = Builtins.signatures[name]?.index else { return nil }
        return builtins[index]
    }

    /// How many arguments a function value takes (nil for other values).
    public static func arity(of value: Value) -> Arity? {
        switch value {
        case .function(let closure): return Arity(closure.proto.arity)
        case .builtin(let index): return index >= 0 && index < builtins.count ? builtins[index].arity : nil
        case .box(let box): return arity(of: box.value)
        case .nil, .bool, .number, .money, .percent, .date, .duration, .string, .symbol, .list, .record, .entity, .level: return nil
        }
    }
}

extension Session {
    /// The names declared by programs, in order of first declaration. Names the
    /// session predeclares (like `args`) are left out.
    public var declaredGlobals: [GlobalInfo] {
        globals.names.compactMap { name in
            guard let entry = globals.lookup(name), entry.span.file >= 0 else { return nil }
            return GlobalInfo(name: name, value: machine.global(entry.slot), isFunction: entry.isFunction,
                              arity: entry.arity, span: entry.span, isInitialized: entry.isInitialized)
        }
    }

    /// The current value of a top-level name, or nil when there is no such name.
    public func globalValue(named name: String) -> Value? {
        guard let entry = globals.lookup(name) else { return nil }
        return machine.global(entry.slot)
    }
}

extension LanguageInfo {
    /// The fields `.` reaches on an entity of a kind: declared ones, then the ones
    /// computed from the plan (`weighted`, `key_player` …), then id, name and kind.
    public static func fieldNames(of kind: EntityKind) -> [String] {
        kind.fields.map(\.name)
            + (DerivedFields.docs[kind.name] ?? []).map(\.name)
            + (DerivedFields.docs["*"] ?? []).map(\.name)
    }
}

extension Session {
    /// The built-in checks and the plan's rules over what this session has declared (the
    /// REPL's `:check`), in reading order. Runs from the stack's base: call it only when
    /// no code of the session is running.
    public func checkDeclaredPlan() -> [Diagnostic] {
        machine.checkPlan(top: machine.stack)
    }

    /// An entity's fields with their values, for `:show`: id and name, the declared
    /// fields that have a value, then the computed ones.
    public func fields(of entity: Entity) -> [(name: String, value: Value)] {
        DerivedFields.card(of: entity, plan: entity.plan ?? machine.plan, today: machine.today)
    }
}
