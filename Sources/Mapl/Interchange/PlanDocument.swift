// A plan as plain data: the entities and field values a plan file declares, with no
// interpreter objects in it. Importers (Salesforce CSV, JSON) build one; PlanWriter
// turns one into .mapl source; a loaded Plan converts into one.

/// A field value as it is written in a plan file.
public indirect enum FieldValue: Equatable, Sendable {
    case text(String)
    case number(Double)
    case money(Money)
    /// A fraction: 0.4 is written `40%`.
    case percent(Double)
    case date(Day)
    case duration(Duration)
    case bool(Bool)
    /// A bare word: a level on a scale (`champion`) or an entity id (`dana`).
    case word(String)
    case list([FieldValue])
    /// `{id: value}`, keys in order (a competitor's presence per unit).
    case map([MapEntry])
    /// Source text of an expression written as it is (a criterion's `fn(o) => …`).
    case code(String)

    /// One key (`name`) and value of a `.map`: the same pair as a declaration's field.
    public typealias MapEntry = PlanEntry.Field
}

/// One declaration of a plan document.
public struct PlanEntry: Equatable, Sendable {
    public var kind: String
    /// The declared id; nil for entities written without one (events, influence lines,
    /// white-space cells, the singletons).
    public var id: String?
    public var title: String?
    /// Field names and values; the writer puts them in the schema's order.
    public var fields: [Field]
    /// Comment lines written above the declaration (without the `# `).
    public var comments: [String]

    public struct Field: Equatable, Sendable {
        public var name: String
        public var value: FieldValue
        public init(_ name: String, _ value: FieldValue) {
            self.name = name
            self.value = value
        }
    }

    public init(kind: String, id: String? = nil, title: String? = nil, fields: [Field] = [], comments: [String] = []) {
        self.kind = kind
        self.id = id
        self.title = title
        self.fields = fields
        self.comments = comments
    }

    /// The value of a field, if given.
    public subscript(field: String) -> FieldValue? {
        fields.first { $0.name == field }?.value
    }
}

/// A whole plan as data.
public struct PlanDocument: Equatable, Sendable {
    /// Comment lines at the top of the file (without the `# `).
    public var header: [String]
    /// Standard-library modules the plan imports (`std/scoring`), written first.
    public var imports: [String] = []
    /// Source text of the top-level functions and constants the plan's code uses
    /// (`let big = 250k`), written before the declarations.
    public var definitions: [String]
    public var entries: [PlanEntry]
    /// Source text of the plan's rules, written after the declarations.
    public var rules: [String]

    public init(header: [String] = [], definitions: [String] = [], entries: [PlanEntry] = [], rules: [String] = []) {
        self.header = header
        self.definitions = definitions
        self.entries = entries
        self.rules = rules
    }
}

extension PlanDocument {
    /// The declarations of a loaded plan, in the schema's kind order and declaration
    /// order within a kind, with its rules and the definitions its code uses. Function
    /// values are kept as their source text.
    public init(plan: Plan, sources: SourceMap) {
        let code = PlanCode(plan: plan, sources: sources)
        self.init(definitions: code.definitions.map(\.source), rules: code.rules.map(\.source))
        imports = code.imports
        for kind in Schema.kinds {
            for entity in plan.entities(of: kind) {
                var fields: [PlanEntry.Field] = []
                for (index, spec) in kind.fields.enumerated() {
                    if let value = FieldValue(entity.field(index), sources: sources) { fields.append(.init(spec.name, value)) }
                }
                entries.append(PlanEntry(kind: kind.name, id: entity.hasDeclaredID ? entity.id : nil, title: entity.title, fields: fields))
            }
        }
    }
}

extension FieldValue {
    /// The written form of a stored field value; nil for an absent one. A function is
    /// its source text (from `sources`), a built-in its name.
    init?(_ value: Value, sources: SourceMap) {
        switch value {
        case .nil: return nil
        case .bool(let flag): self = .bool(flag)
        case .number(let number): self = .number(number)
        case .money(let money): self = .money(money)
        case .percent(let fraction): self = .percent(fraction)
        case .date(let day): self = .date(day)
        case .duration(let duration): self = .duration(duration)
        case .string(let text): self = .text(text)
        case .symbol(let name): self = .word(name)
        case .level(let level):
            if level.isNumeric {
                self = level.scaleObject.numericRange == 0...1 ? .percent(level.rank) : .number(level.rank)
            } else {
                self = .word(level.name)
            }
        case .entity(let entity): self = .word(entity.id)
        case .list(let list): self = .list(list.items.compactMap { FieldValue($0, sources: sources) })
        case .record(let record):
            self = .map(zip(record.shape.keys, record.values).compactMap { key, item in
                FieldValue(item, sources: sources).map { MapEntry(key, $0) }
            })
        case .function(let closure):
            // A named function is written by its name (it is declared elsewhere), a
            // function literal as its text.
            if closure.proto.name != "anonymous function" { self = .code(closure.proto.name); return }
            let span = closure.proto.span
            guard let file = sources.file(span.file) else { return nil }
            self = .code(file.text(of: span))
        case .builtin(let index): self = .code(Builtins.name(of: index))
        case .box(let box): self.init(box.value, sources: sources)
        }
    }
}
