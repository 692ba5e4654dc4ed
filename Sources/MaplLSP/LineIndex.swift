// Positions as the protocol counts them (zero-based lines, UTF-16 code units) and as
// mapl does (UTF-8 byte offsets), converted through the starts of the lines. A
// position past the end of a line or of the text is clamped, never trusted.

struct LineIndex {
    let bytes: [UInt8]
    /// The byte offset where each line starts.
    let lineStarts: [Int]

    init(_ text: String) {
        bytes = Array(text.utf8)
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == 10 { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// The byte offset of a position (clamped to the text).
    func offset(of position: Position) -> Int {
        guard position.line >= 0 else { return 0 }
        guard position.line < lineStarts.count else { return bytes.count }
        let start = lineStarts[position.line]
        let end = position.line + 1 < lineStarts.count ? lineStarts[position.line + 1] - 1 : bytes.count
        var units = 0, offset = start
        while offset < end && units < position.character {
            let lead = bytes[offset]
            let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            units += length == 4 ? 2 : 1
            offset = min(end, offset + length)
        }
        return offset
    }

    /// The position of a byte offset (clamped to the text).
    func position(of offset: Int) -> Position {
        let clamped = max(0, min(offset, bytes.count))
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
        }
        var units = 0, index = lineStarts[low]
        while index < clamped {
            let lead = bytes[index]
            let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            units += length == 4 ? 2 : 1
            index += length
        }
        return Position(line: low, character: units)
    }

    func range(_ start: Int, _ end: Int) -> Range { Range(start: position(of: start), end: position(of: end)) }

    /// The text with `range` replaced by `replacement` (an incremental change).
    static func applying(_ replacement: String, at range: Range, to text: String) -> String {
        let index = LineIndex(text)
        let start = index.offset(of: range.start), end = max(start, index.offset(of: range.end))
        var bytes = index.bytes
        bytes.replaceSubrange(start..<end, with: Array(replacement.utf8))
        return String(decoding: bytes, as: UTF8.self)
    }
}
