// Targeted edits to declarations as written: set, add or remove one field, change a
// title, add or remove a whole declaration, each as a replacement of a byte range of
// its file. Everything outside the ranges stays byte for byte as it was (a team's own
// fields, comments and layout), which is what updating a plan from a CRM needs.
// Limits: a field added to a declaration goes last, in the style of its block (on its
// own line in a block of lines, after a comma on one line); it is not put in schema
// order, which `mapl fmt` does not do either.

/// Replacements of byte ranges in one file's text, applied together.
struct SourceEdits {
    private var edits: [(range: Range<Int>, text: String, order: Int)] = []

    var isEmpty: Bool { edits.isEmpty }

    mutating func replace(_ range: Range<Int>, with text: String) {
        edits.append((range, text, edits.count))
    }

    mutating func insert(_ text: String, at offset: Int) { replace(offset..<offset, with: text) }

    /// The text with every edit made. Insertions at one place keep the order they were
    /// made in; a replacement overlapping an earlier-starting one is dropped (the
    /// callers never make such pairs).
    func applied(to bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + edits.reduce(0) { $0 + $1.text.utf8.count })
        var position = 0
        // At one place, insertions go before a replacement that starts there.
        for edit in edits.sorted(by: { ($0.range.lowerBound, $0.range.isEmpty ? 0 : 1, $0.order) < ($1.range.lowerBound, $1.range.isEmpty ? 0 : 1, $1.order) }) {
            guard edit.range.lowerBound >= position, edit.range.upperBound <= bytes.count else { continue }
            out += bytes[position..<edit.range.lowerBound]
            out += edit.text.utf8
            position = edit.range.upperBound
        }
        out += bytes[position...]
        return String(decoding: out, as: UTF8.self)
    }
}

/// One declaration where it is written: the places of its title, fields and block.
struct WrittenDeclaration {
    let declaration: Declaration
    /// The whole text of its file.
    let bytes: [UInt8]

    private var rows: DeclarationRows { declaration.table.rows }
    private var header: Span { declaration.span }

    /// The field written with this name (its index in the table's field columns).
    func field(named name: String) -> Int? {
        declaration.fieldRange.last { rows.key($0).text == name }
    }

    func valueRange(_ field: Int) -> Range<Int> {
        let span = rows.valueSpan(field)
        return Int(span.start)..<Int(span.end)
    }

    func keyStart(_ field: Int) -> Int { Int(rows.key(field).span.start) }

    /// Where the title's string literal is written, when it has one.
    var titleRange: Range<Int>? {
        guard declaration.title != nil else { return nil }
        var start = Int(declaration.id?.span.end ?? declaration.kind.span.end)
        while start < Int(header.end), bytes[start] != UInt8(ascii: "\"") { start += 1 }
        return start < Int(header.end) ? start..<Int(header.end) : nil
    }

    /// The braces of its field block, when it has one.
    var block: (open: Int, close: Int)? {
        let fields = declaration.fieldRange
        var position = fields.isEmpty ? Int(header.end) : valueRange(fields.upperBound - 1).upperBound
        var open: Int? = fields.isEmpty ? nil : Int(header.end)
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: ","), UInt8(ascii: ";"):
                position += 1
            case UInt8(ascii: "#"):
                while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
            case UInt8(ascii: "{") where open == nil:
                open = position
                position += 1
            case UInt8(ascii: "}"):
                return open.map { ($0, position) }
            default:
                return nil
            }
        }
        return nil
    }

    /// Where the declaration ends: after its block's `}`, else after what its header
    /// line holds (a shorthand line's strength).
    var end: Int {
        if let block { return block.close + 1 }
        let fields = declaration.fieldRange
        return max(Int(header.end), fields.isEmpty ? 0 : valueRange(fields.upperBound - 1).upperBound)
    }

    /// The lines the declaration is written on, with their line break: from the start of
    /// its first line when only blanks precede it there.
    var lines: Range<Int> {
        let start = lineStart(of: Int(header.start))
        return (onlyBlanks(start..<Int(header.start)) ? start : Int(header.start))..<lineEnd(after: end)
    }

    /// The comment on the line right above the declaration, without its `#`, and that
    /// line (with its line break).
    var commentAbove: (text: String, lines: Range<Int>)? {
        let below = lines.lowerBound
        guard below > 0 else { return nil }
        let start = lineStart(of: below - 1)
        let line = String(decoding: bytes[start..<below], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("#") else { return nil }
        return (String(line.dropFirst()).trimmingCharacters(in: .whitespaces), start..<below)
    }

    /// Just past the line break that ends the line holding `offset` (the file's end
    /// when it has none).
    func lineEnd(after offset: Int) -> Int {
        var position = offset
        while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
        return min(position + 1, bytes.count)
    }

    private func lineStart(of offset: Int) -> Int {
        var position = offset
        while position > 0, bytes[position - 1] != UInt8(ascii: "\n") { position -= 1 }
        return position
    }

    private func onlyBlanks(_ range: Range<Int>) -> Bool {
        bytes[range].allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    // MARK: - Edits

    /// Sets the title (adds one after the id when there is none).
    func setTitle(_ title: String, in edits: inout SourceEdits) {
        let literal = PlanWriter.literal(.text(title))
        if let range = titleRange { edits.replace(range, with: literal) } else { edits.insert(" " + literal, at: Int(header.end)) }
    }

    /// Sets fields (`name`, literal) and removes others, all in one go: a value is
    /// replaced where it is written; fields the declaration lacks are added together
    /// after the last field it keeps (a block made when it has none).
    func update(set: [(name: String, literal: String)], remove: [String], in edits: inout SourceEdits) {
        var added: [String] = []
        for (name, literal) in set {
            if let field = field(named: name) { edits.replace(valueRange(field), with: literal) } else { added.append("\(name): \(literal)") }
        }
        let removed = Set(remove.compactMap(field(named:)))
        for field in removed.sorted() { removeField(field, in: &edits) }
        if !added.isEmpty { addFields(added, keeping: declaration.fieldRange.filter { !removed.contains($0) }, in: &edits) }
    }

    private func addFields(_ written: [String], keeping kept: [Int], in edits: inout SourceEdits) {
        guard let block else {
            edits.insert(" { " + written.joined(separator: ", ") + " }", at: end)
            return
        }
        let closeLine = lineStart(of: block.close)
        if onlyBlanks(closeLine..<block.close), closeLine > block.open {
            // A block of lines: each on a line of its own, indented as the last field is.
            let indent: String
            if let last = kept.last {
                let keyLine = lineStart(of: keyStart(last))
                indent = String(decoding: bytes[keyLine..<keyStart(last)].prefix { $0 == 32 || $0 == 9 }, as: UTF8.self)
            } else {
                indent = String(decoding: bytes[closeLine..<block.close], as: UTF8.self) + "  "
            }
            edits.insert(written.map { indent + $0 + "\n" }.joined(), at: closeLine)
        } else if let last = kept.last {
            edits.insert(", " + written.joined(separator: ", "), at: valueRange(last).upperBound)
        } else {
            // `{}`, `{ }`, or a one-line block whose fields all go.
            let spaced = block.close > 0 && bytes[block.close - 1] == UInt8(ascii: " ")
            edits.insert((spaced ? "" : " ") + written.joined(separator: ", ") + " ", at: block.close)
        }
    }

    /// Removes a field where it is written: its whole line when it has one of its own,
    /// else the field and a comma beside it on its line. Comments and other lines stay.
    private func removeField(_ field: Int, in edits: inout SourceEdits) {
        let fields = declaration.fieldRange
        let key = keyStart(field), value = valueRange(field).upperBound
        var after = value
        while after < bytes.count, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ","), UInt8(ascii: ";")].contains(bytes[after]) { after += 1 }
        let keyLine = lineStart(of: key)
        let endsLine = after == bytes.count || bytes[after] == UInt8(ascii: "\n") || bytes[after] == UInt8(ascii: "\r")
        if onlyBlanks(keyLine..<key), endsLine {
            edits.replace(keyLine..<lineEnd(after: after), with: "")
        } else if field > fields.lowerBound, lineStart(of: valueRange(field - 1).upperBound) == keyLine {
            edits.replace(valueRange(field - 1).upperBound..<value, with: "")
        } else if field + 1 < fields.upperBound, lineStart(of: keyStart(field + 1)) == lineStart(of: value) {
            edits.replace(key..<keyStart(field + 1), with: "")
        } else {
            // Last on a line that goes on (`{ title: "VP"` then more lines): no blanks
            // are left at the line's end.
            var start = key
            while endsLine, start > 0, bytes[start - 1] == UInt8(ascii: " ") || bytes[start - 1] == UInt8(ascii: "\t") { start -= 1 }
            edits.replace(start..<after, with: "")
        }
    }

    /// Removes the declaration's lines, and the comment right above it when `comment`
    /// says it is one that belongs to it.
    func remove(in edits: inout SourceEdits, withCommentAbove comment: (String) -> Bool = { _ in false }) {
        // Another statement on its line (`…; let x = 1`) stays: only the declaration
        // and the separator after it go.
        var next = end
        while next < bytes.count, bytes[next] == UInt8(ascii: " ") || bytes[next] == UInt8(ascii: "\t") { next += 1 }
        let followed = next < bytes.count && ![UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#")].contains(bytes[next])
        let preceded = lines.lowerBound > 0 && bytes[lines.lowerBound - 1] != UInt8(ascii: "\n")
        if followed || preceded {
            if next < bytes.count, bytes[next] == UInt8(ascii: ";") { next += 1 }
            while next < bytes.count, bytes[next] == UInt8(ascii: " ") { next += 1 }
            edits.replace(Int(header.start)..<next, with: "")
            return
        }
        var range = lines
        if let above = commentAbove, comment(above.text) { range = above.lines.lowerBound..<range.upperBound }
        // Between blank lines, one of them goes too.
        let blankBefore = range.lowerBound == 0 || (range.lowerBound >= 2 && bytes[range.lowerBound - 2] == UInt8(ascii: "\n"))
        if blankBefore, range.upperBound < bytes.count, bytes[range.upperBound] == UInt8(ascii: "\n") {
            range = range.lowerBound..<range.upperBound + 1
        }
        edits.replace(range, with: "")
    }

    /// Adds `text` (whole declarations, each ending in a line break) after this one,
    /// with a blank line between when either is longer than a line.
    func insertAfter(_ text: String, in edits: inout SourceEdits) {
        let position = lineEnd(after: end)
        var prefix = position > 0 && bytes[position - 1] != UInt8(ascii: "\n") ? "\n" : ""
        let multiLine = bytes[Int(header.start)..<end].contains(UInt8(ascii: "\n")) || text.dropLast().contains("\n")
        if multiLine { prefix += "\n" }
        edits.insert(prefix + text, at: position)
    }
}
