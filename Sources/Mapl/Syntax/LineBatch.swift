// Shorthand influence and conflict lines in compact form. A large plan has a million
// `influence a -> b 40%` lines; as syntax trees they took ~400 bytes each, here 17: where
// the line starts, its ends and its strength. Its other places are read again from the
// source when asked (Rereading.swift). A line the resolver cannot take as plain data (a
// name that is not an entity id, a strength word off the scale) is read again as the
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
/// Read by the parser, filled in by the plan compiler (ends and strengths in place, see
/// `fill`), then only read (hence `@unchecked Sendable`, and unchecked exclusivity: the
/// checks were a tenth of reading a large plan's lines).
public final class LineBatch: @unchecked Sendable {
    /// Whether these are influence lines (else conflict lines).
    let isInfluence: Bool
    /// `influence` or `conflict`.
    public var kind: String { isInfluence ? "influence" : "conflict" }
    /// The source the lines were read from: their places other than where they start
    /// are read again from it when asked (see Rereading.swift).
    let source: SourceFile
    public var file: FileID { source.id }
    /// The spellings behind the `from` and `to` symbols (shared by a file's batches).
    let names: NameTable
    /// Per line, where it starts.
    @exclusivity(unchecked) private(set) var headerStart: [Int32] = []
    /// Per line, its two ends: symbols of `names` as read, the stakeholders' serial
    /// numbers in the plan once filled in (-1 where an end was rejected). The plan's
    /// columns read the filled lines here rather than keeping copies (see LineColumns.swift).
    @exclusivity(unchecked) private(set) var from: [Int32] = []
    @exclusivity(unchecked) private(set) var to: [Int32] = []
    /// Per line, its strength: as written (see `writtenStrength`), then once filled in
    /// as a level (see `strength(_:scale:)`).
    @exclusivity(unchecked) private var strengths = LineStrengths()

    init(isInfluence: Bool, source: SourceFile, names: NameTable) {
        self.isInfluence = isInfluence
        self.source = source
        self.names = names
    }

    public var count: Int { headerStart.count }

    /// The parser starts a new batch after this many lines, so that cutting a batch to
    /// size (`trimCapacity`) copies little at a time.
    static let maximumCount = 1 << 16

    func append(start: Int32, from: Int32, to: Int32, strength: LineStrength) {
        headerStart.append(start)
        self.from.append(from)
        self.to.append(to)
        strengths.append(strength)
    }

    /// Cuts the storage to size once the parser is done with the batch.
    func trimCapacity() {
        headerStart.trimCapacity()
        from.trimCapacity()
        to.trimCapacity()
        strengths.trimCapacity()
    }

    /// Sets the names of a line appended with placeholders (see `CompactReading`).
    func setNames(_ line: Int, from: Int32, to: Int32) {
        self.from[line] = from
        self.to[line] = to
    }

    /// The strength written on line `index`, until the line is filled in.
    func writtenStrength(_ index: Int) -> LineStrength { strengths.written(index) }

    /// Fills line `index` in: its ends as serial numbers (-1: rejected) and its strength
    /// as a level. Its names and written strength cannot be asked for afterwards.
    func fill(_ index: Int, from: Int32, to: Int32, strength: Level?) {
        self.from[index] = from
        self.to[index] = to
        strengths.fill(index, with: strength)
    }

    /// The strength of a filled line, on the strength field's scale.
    func strength(_ index: Int, scale: UInt8) -> Level? { strengths.level(index, scale: scale) }

    /// From the keyword to the last token of line `index`: where warnings point.
    public func header(_ index: Int) -> Span {
        declaration(index)?.span ?? Span(file: file, start: headerStart[index], end: headerStart[index])
    }

    /// The name written as the line's start (until it is filled in).
    public func fromName(_ index: Int) -> Name {
        Name(text: names.text(from[index]), span: valueSpan(index, field: "from") ?? header(index))
    }

    /// The name written as the line's end (until it is filled in).
    public func toName(_ index: Int) -> Name {
        Name(text: names.text(to[index]), span: valueSpan(index, field: "to") ?? header(index))
    }

    public func strengthSpan(_ index: Int) -> Span { valueSpan(index, field: "strength") ?? header(index) }

    /// Where the value of field `from`, `to` or `strength` of line `index` was written.
    func valueSpan(_ index: Int, field: String) -> Span? {
        declaration(index)?.fields.last { $0.key.text == field }?.value.span
    }

    /// Line `index` as the declaration the parser builds for it when not compacting
    /// (see `Parser.lineEnds`), read again from the source; nil if it is no longer there.
    public func declaration(_ index: Int) -> Declaration? { Parser.reread(at: headerStart[index], in: source) }
}
