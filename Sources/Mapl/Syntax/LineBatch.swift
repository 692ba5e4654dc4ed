// Shorthand influence and conflict lines in compact form. A large plan has a million
// `influence a -> b 40%` lines; as syntax trees they took ~400 bytes each, here a few
// strings and offsets. A line the resolver cannot take as plain data (a name that is
// not an entity id, a strength word off the scale) is expanded back into the
// `Declaration` the parser would have built, and goes the ordinary way.

/// The strength written on a shorthand influence line.
public enum LineStrength: Sendable {
    case none
    /// `strong`, `weak`, … (checked against the strength scale by the resolver), as a
    /// symbol of the batch's name table.
    case word(Int32)
    case number(Double)
    case percent(Double)
}

/// Consecutive shorthand lines of one kind with no id, title or field block, all on one
/// line each: `influence FROM -> TO [WORD | NUMBER | PERCENT]`, `conflict A <-> B`.
/// Filled by the parser, then only read (hence `@unchecked Sendable`, and unchecked
/// exclusivity: the checks were a tenth of reading a large plan's lines).
public final class LineBatch: FilledBatch, @unchecked Sendable {
    /// Whether these are influence lines (else conflict lines).
    let isInfluence: Bool
    /// `influence` or `conflict`.
    public var kind: String { isInfluence ? "influence" : "conflict" }
    public let file: FileID
    /// The spellings behind the `from` and `to` symbols (shared by a file's batches).
    let names: NameTable
    /// Per line: where it starts, its two names, where the names and the strength start
    /// and where the line ends, as distances from its start (a line that does not fit
    /// in 255 bytes is not taken here; see `Layout`), and the strength. Names are ASCII
    /// identifiers, so each ends after its UTF-8 length; the strength ends with the line.
    @exclusivity(unchecked) private(set) var headerStart: [Int32] = []
    @exclusivity(unchecked) private(set) var from: [Int32] = []
    @exclusivity(unchecked) private(set) var to: [Int32] = []
    @exclusivity(unchecked) private var layouts: [Layout] = []
    @exclusivity(unchecked) private(set) var strength: [LineStrength] = []

    /// Distances from a line's start.
    struct Layout {
        var from: UInt8
        var to: UInt8
        var strength: UInt8
        var end: UInt8

        /// Nil when a distance does not fit in a byte.
        init?(start: Int32, from: Int32, to: Int32, strength: Int32, end: Int32) {
            guard let from = UInt8(exactly: from - start), let to = UInt8(exactly: to - start),
                  let strength = UInt8(exactly: strength - start), let end = UInt8(exactly: end - start) else { return nil }
            (self.from, self.to, self.strength, self.end) = (from, to, strength, end)
        }
    }

    init(isInfluence: Bool, file: FileID, names: NameTable) {
        self.isInfluence = isInfluence
        self.file = file
        self.names = names
    }

    public var count: Int { from.count }

    /// The parser starts a new batch after this many lines, so that a batch's strengths
    /// can be let go soon after they are filled in (`releaseFilledValues`), and arrays grown
    /// by doubling waste nothing.
    static let maximumCount = 1 << 16

    /// Whether `releaseFilledValues` has run.
    private(set) var strengthsReleased = false

    /// Lets go of the strengths once the plan's columns hold them: afterwards `strength`
    /// and `declaration` cannot be asked for, the names and places can.
    func releaseFilledValues() {
        strengthsReleased = true
        strength = []
    }

    func append(start: Int32, layout: Layout, from: Int32, to: Int32, strength: LineStrength) {
        headerStart.append(start)
        layouts.append(layout)
        self.from.append(from)
        self.to.append(to)
        self.strength.append(strength)
    }

    /// Sets the names of a line appended with placeholders (see `CompactReading`).
    func setNames(_ line: Int, from: Int32, to: Int32) {
        self.from[line] = from
        self.to[line] = to
    }

    /// From the keyword to the last token of line `index`: where warnings point.
    public func header(_ index: Int) -> Span {
        Span(file: file, start: headerStart[index], end: headerStart[index] + Int32(layouts[index].end))
    }

    public func fromName(_ index: Int) -> Name { name(from[index], at: headerStart[index] + Int32(layouts[index].from)) }

    public func toName(_ index: Int) -> Name { name(to[index], at: headerStart[index] + Int32(layouts[index].to)) }

    private func name(_ symbol: Int32, at start: Int32) -> Name {
        Name(text: names.text(symbol), span: Span(file: file, start: start, end: start + names.length(symbol)))
    }

    public func strengthSpan(_ index: Int) -> Span {
        Span(file: file, start: headerStart[index] + Int32(layouts[index].strength), end: headerStart[index] + Int32(layouts[index].end))
    }

    /// Where the value of field `from`, `to` or `strength` of line `index` was written.
    func valueSpan(_ index: Int, field: String) -> Span? {
        switch field {
        case "from": return fromName(index).span
        case "to": return toName(index).span
        case "strength": return layouts[index].strength < layouts[index].end ? strengthSpan(index) : nil
        default: return nil
        }
    }

    /// Line `index` as the declaration the parser builds for it when not compacting
    /// (see `Parser.lineEnds`): same names, spans and fields.
    public func declaration(_ index: Int) -> Declaration {
        assert(!strengthsReleased, "a released batch's strengths were asked for")
        let start = headerStart[index]
        let keyword = Name(text: kind, span: Span(file: file, start: start, end: start + Int32(kind.utf8.count)))
        let first = fromName(index), second = toName(index)
        var fields = [
            RecordField(key: Name(text: "from", span: first.span), value: Expr(kind: .variable(first), span: first.span)),
            RecordField(key: Name(text: "to", span: second.span), value: Expr(kind: .variable(second), span: second.span)),
        ]
        let span = strengthSpan(index)
        let value: ExprKind?
        switch strength[index] {
        case .none: value = nil
        case .word(let word): value = .variable(Name(text: names.text(word), span: span))
        case .number(let number): value = .literal(.number(number))
        case .percent(let share): value = .literal(.percent(share))
        }
        if let value { fields.append(RecordField(key: Name(text: "strength", span: span), value: Expr(kind: value, span: span))) }
        return Declaration(kind: keyword, id: nil, title: nil, fields: fields, span: header(index))
    }
}
