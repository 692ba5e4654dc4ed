// What the resolver learns about names, kept beside the tree for the compiler:
// where each variable lives (slot, capture, global, builtin) and each function's layout.

/// A local variable of one function frame. A class so that the resolver can mark it
/// captured after its uses were seen; captured locals live in a heap box.
public final class LocalVariable {
    public let name: String
    public let slot: Int
    public internal(set) var isCaptured = false

    init(name: String, slot: Int) {
        self.name = name
        self.slot = slot
    }
}

/// Where a name used in an expression is found at run time.
public enum VariableRef {
    case local(LocalVariable)
    /// Index into the running closure's captures.
    case capture(Int)
    case global(Int)
    case builtin(Int)
    /// A function referring to itself by name (no capture, so no reference cycle).
    case currentFunction
    /// All entities of a kind: `stakeholders`.
    case collection(EntityKind)
    /// The one entity of a singleton kind: `account`, `strategy`.
    case singleton(EntityKind)
    /// A bare scale word (`neutral`, `high`) that names no variable.
    case symbol(String)
    /// A field of the current item in a query clause (`influence` in `where influence > 5`);
    /// when the item has no such field, what the name means outside the clause.
    indirect case rowField(LocalVariable, String, fallback: VariableRef?)
}

/// Where a declared name is stored.
public enum Binding {
    case local(LocalVariable)
    case global(Int)
}

/// How a closure gets each captured variable when it is created.
public enum CaptureSource {
    /// A (boxed) local of the function that creates the closure.
    case local(LocalVariable)
    /// One of the creating function's own captures, passed further in.
    case capture(Int)
}

/// The frame of one function: slot 0 holds the closure itself, parameters follow.
public struct FunctionLayout {
    public var frameSize: Int
    public var captures: [CaptureSource]
}

/// The resolver's facts about one program, read by the compiler.
public final class Resolution {
    public internal(set) var references: [SpanKeyValue: VariableRef] = [:]
    public internal(set) var bindings: [SpanKeyValue: Binding] = [:]
    public internal(set) var functions: [ObjectIdentifier: FunctionLayout] = [:]
    /// The frame layout of each rule's when/expect/message (one parameter: the item).
    public internal(set) var rules: [ObjectIdentifier: FunctionLayout] = [:]
    /// Top-level `let`s that declarations or rules use (directly or through other
    /// such lets): they run before the plan's fields are filled in.
    public internal(set) var letsBeforePlan: Set<String> = []
    /// Frame size of the top-level code (its block-scoped locals).
    public internal(set) var mainFrameSize = 1

    init() {}

    func reference(_ name: Name) -> VariableRef? { references[SpanKeyValue(name.span)] }
    func binding(_ name: Name) -> Binding? { bindings[SpanKeyValue(name.span)] }
}

/// A name's position in its source, identifying it in the resolver's tables.
public struct SpanKeyValue: Hashable, Sendable {
    let file: FileID
    let start: Int32
    init(_ span: Span) { (file, start) = (span.file, span.start) }
    init(file: FileID, start: Int32) { (self.file, self.start) = (file, start) }
}

/// The names declared at top level, kept across REPL inputs and `:load`s.
public final class GlobalScope {
    /// A declared name. Stored in 28 bytes rather than 64 (a large plan declares an entity
    /// per id): numbers as 32 bits, flags as bits, the constant kind as a number.
    public struct Entry {
        private var storedSlot: Int32
        private var storedArity: Int32  // -1: none
        private var constantCode: Int16  // -1: none; else an index in `constantNames`
        private var flags: UInt8
        public var span: Span
        /// The `beginDeclaring` round that last declared it.
        var round: Int32 = 0

        /// What `constant` can be: "function" or an entity kind (anything else would read
        /// back as "constant").
        private static let constantNames = ["function", "constant"] + Schema.kinds.map(\.name)
        /// The code of each kind's name in `constantNames`, by kind ordinal (a plan declares
        /// a constant per entity id: no name is looked up).
        private static let kindCodes: [Int16] = {
            var codes = [Int16](repeating: 1, count: (Schema.kinds.map(\.ordinal).max() ?? 0) + 1)
            for (position, kind) in Schema.kinds.enumerated() { codes[kind.ordinal] = Int16(2 + position) }
            return codes
        }()
        private static let isFunctionFlag: UInt8 = 1, isInitializedFlag: UInt8 = 2

        init(slot: Int, isFunction: Bool, arity: Int?, span: Span, isInitialized: Bool, round: Int32 = 0) {
            storedSlot = Int32(truncatingIfNeeded: slot)
            storedArity = arity.map { Int32(clamping: $0) } ?? -1
            constantCode = -1
            flags = 0
            self.span = span
            self.round = round
            self.isFunction = isFunction
            self.isInitialized = isInitialized
        }

        public var slot: Int {
            get { Int(storedSlot) }
            set { storedSlot = Int32(truncatingIfNeeded: newValue) }
        }

        public var isFunction: Bool {
            get { flags & Entry.isFunctionFlag != 0 }
            set { flags = newValue ? flags | Entry.isFunctionFlag : flags & ~Entry.isFunctionFlag }
        }

        public var arity: Int? {
            get { storedArity >= 0 ? Int(storedArity) : nil }
            set { storedArity = newValue.map { Int32(clamping: $0) } ?? -1 }
        }

        /// For names that cannot be assigned: "function", or the entity kind.
        public var constant: String? { constantCode >= 0 ? Entry.constantNames[Int(constantCode)] : nil }

        /// False until the top-level `let` that declares it has been passed.
        public var isInitialized: Bool {
            get { flags & Entry.isInitializedFlag != 0 }
            set { flags = newValue ? flags | Entry.isInitializedFlag : flags & ~Entry.isInitializedFlag }
        }

        /// Takes a new declaration of the name: an entity's id when `kind` is given (a
        /// function is a constant too).
        mutating func redeclare(isFunction: Bool, arity: Int?, span: Span, initialized: Bool, kind: EntityKind?) {
            self.isFunction = isFunction
            constantCode = kind.map { Entry.kindCodes[$0.ordinal] } ?? (isFunction ? 0 : -1)
            self.arity = arity
            self.span = span
            isInitialized = isInitialized || initialized
        }
    }

    /// What `declareNew` did.
    enum Declared {
        case slot(Int)
        /// The name was declared before, there, in the same round or for good.
        case taken(Span)
    }

    /// The names by slot.
    public private(set) var names: [String] = []
    /// The entries by slot.
    private var entries: [Entry] = []
    /// The slots by name: 4 bytes a bucket, the names read from `names` (every entity id
    /// is a global name, so a plan has as many as it has entities).
    private var buckets = NameBuckets()
    /// Counts the programs resolved against this scope (see `declareNew`).
    private var round: Int32 = 0

    public init() {}

    public var count: Int { names.count }

    func lookup(_ name: String) -> Entry? { find(name).slot.map { entries[$0] } }

    /// Makes room for `extra` more names at once (a large plan declares 100,000s; growing
    /// the table step by step rehashed it each time).
    func reserve(_ extra: Int) {
        entries.reserveCapacity(entries.count + extra)
        names.reserveCapacity(names.count + extra)
        buckets.reserve(names.count + extra, count: names.count) { self.names[$0] }
    }

    private func find(_ name: String) -> (bucket: Int, slot: Int?) {
        let found = buckets.find(name) { self.names[$0] }
        return (found.bucket, found.position)
    }

    /// Declares a name whatever was there (a name the session itself provides).
    func declare(_ name: String, isFunction: Bool, arity: Int?, span: Span, initialized: Bool) -> Int {
        place(name, span: span) { entry, _ in
            entry.redeclare(isFunction: isFunction, arity: arity, span: span, initialized: initialized, kind: nil)
            return true
        } ?? -1
    }

    /// Starts declaring the top-level names of a program (a file and its imports).
    func beginDeclaring() { round += 1 }

    /// Declares a name of the program being declared, unless that program declares it
    /// already, or (with `allowRedeclaration` false) an earlier one did for good: a
    /// function, an entity, or a `let` already passed. One lookup of the name: a large
    /// plan declares 100,000s.
    func declareNew(_ name: String, isFunction: Bool, arity: Int?, span: Span, initialized: Bool, kind: EntityKind?,
                    allowRedeclaration: Bool) -> Declared {
        let round = self.round
        var taken: Span?
        let slot = place(name, span: span) { entry, isNew in
            if !isNew, entry.round == round || !allowRedeclaration && entry.isInitialized && entry.span.file >= 0 {
                // (Names the session predeclares, like `args`, have no file and may be replaced.)
                taken = entry.span
                return false
            }
            entry.redeclare(isFunction: isFunction, arity: arity, span: span, initialized: initialized, kind: kind)
            entry.round = round
            return true
        }
        if let slot { return .slot(slot) }
        return .taken(taken ?? span)
    }

    /// The entry of a name, new (with the next slot) or existing, given to `update` with
    /// one lookup of the name; its slot, or nil when `update` turned it down and left it
    /// as it was. (`update` must take a new entry.)
    private func place(_ name: String, span: Span, _ update: (inout Entry, _ isNew: Bool) -> Bool) -> Int? {
        let (bucket, found) = find(name)
        if let slot = found {
            var updated = entries[slot]
            guard update(&updated, false) else { return nil }
            entries[slot] = updated
            return slot
        }
        let slot = names.count
        var entry = Entry(slot: slot, isFunction: false, arity: nil, span: span, isInitialized: false)
        _ = update(&entry, true)
        names.append(name)
        entries.append(entry)
        buckets.insert(slot, at: bucket, count: names.count) { self.names[$0] }
        return slot
    }

    /// The declarations as they are now, to put back if a program is rejected (arrays,
    /// copied on write: cheap).
    struct Snapshot {
        fileprivate let names: [String]
        fileprivate let entries: [Entry]
        fileprivate let buckets: NameBuckets
    }

    func snapshot() -> Snapshot { Snapshot(names: names, entries: entries, buckets: buckets) }

    func restore(_ saved: Snapshot) {
        (names, entries, buckets) = (saved.names, saved.entries, saved.buckets)
    }

    func markInitialized(_ name: String) {
        if let slot = find(name).slot { entries[slot].isInitialized = true }
    }
}
