// The lexer's strings: plain pieces taken from the source as they are, pieces with
// escapes decoded byte by byte, and the `{…}` interpolations between pieces.

extension Lexer {
    /// Scans string text from `from` up to the closing quote or an interpolation `{`.
    mutating func scanStringBody(_ text: Bytes, quote: Int, from: Int) -> Token {
        let resumed = from != quote + 1
        let pieceStart = resumed ? from - 1 : quote
        position = from
        if let token = scanPlainStringPiece(text, resumed: resumed, pieceStart: pieceStart, quote: quote) { return token }
        var value: [UInt8] = []
        while position < text.count {
            let byte = text[position]
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "{"):
                position += 1
                let decoded = decodeChecked(value, pieceStart)
                return endStringPiece(decoded, opensInterpolation: byte == UInt8(ascii: "{"), resumed: resumed, pieceStart: pieceStart, quote: quote)
            case UInt8(ascii: "\\"):
                scanEscape(text, into: &value)
            case 10:
                sawNewline = false  // newlines inside strings do not separate statements
                value.append(byte)
                position += 1
            default:
                value.append(byte)
                position += 1
            }
        }
        reportUnterminated(quote)
        return Token(.invalid, pieceStart, position)
    }

    /// A string piece without escapes (most are), its text taken from the source as it
    /// is; nil, having read nothing, for a piece with an escape or no end, or whose
    /// bytes are not UTF-8 (the byte-by-byte way reports them).
    @inline(__always)
    mutating func scanPlainStringPiece(_ text: Bytes, resumed: Bool, pieceStart: Int, quote: Int) -> Token? {
        var end = position, newlines = false, allBytes: UInt8 = 0
        while end < text.count {
            let byte = text[end]
            if Lexer.byteClass(byte) & Lexer.stringStop != 0 {
                guard byte == 10 else { break }
                newlines = true
            }
            allBytes |= byte
            end += 1
        }
        guard end < text.count, text[end] != UInt8(ascii: "\\") else { return nil }
        let piece = Bytes(rebasing: text[position..<end])
        // ASCII needs no validation, and is the common case.
        let decoded = allBytes < 0x80 ? String(decoding: piece, as: UTF8.self) : String(validating: piece, as: UTF8.self)
        guard let decoded else { return nil }
        if newlines { sawNewline = false }  // newlines inside strings do not separate statements
        let opensInterpolation = text[end] == UInt8(ascii: "{")
        position = end + 1
        return endStringPiece(decoded, opensInterpolation: opensInterpolation, resumed: resumed, pieceStart: pieceStart, quote: quote)
    }

    /// Adds the token of a string piece read up to its closing quote, or up to the `{` of
    /// an interpolation (which the lexer then remembers to come back from).
    @inline(__always)
    mutating func endStringPiece(_ value: String, opensInterpolation: Bool, resumed: Bool, pieceStart: Int, quote: Int) -> Token {
        if opensInterpolation {
            interpolations.append((braceDepth, quote))
            return token(resumed ? .stringMiddle : .stringHead, pieceStart, position, literal: .string(value))
        }
        return token(resumed ? .stringTail : .string, pieceStart, position, literal: .string(value))
    }

    /// Text of a string piece; bytes that are not UTF-8 are reported, not silently replaced.
    mutating func decodeChecked(_ value: [UInt8], _ start: Int) -> String {
        if let decoded = String(validating: value, as: UTF8.self) { return decoded }
        report(.invalidUTF8, start, position)
        return String(decoding: value, as: UTF8.self)
    }

    /// One report per source, however many strings are left open inside each other.
    mutating func reportUnterminated(_ quote: Int) {
        guard !reportedUnterminated else { return }
        reportedUnterminated = true
        report(.unterminatedString, quote, quote + 1)
    }

    mutating func scanEscape(_ text: Bytes, into value: inout [UInt8]) {
        let start = position
        position += 1  // the backslash
        guard position < text.count else { return }
        let escaped = text[position]
        position += 1
        switch escaped {
        case UInt8(ascii: "n"): value.append(10)
        case UInt8(ascii: "t"): value.append(9)
        case UInt8(ascii: "r"): value.append(13)
        case UInt8(ascii: "0"): value.append(0)
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"): value.append(escaped)
        case UInt8(ascii: "u"):
            var digits = ""
            if Lexer.at(text, position) == UInt8(ascii: "{") {
                position += 1
                while position < text.count, text[position] != UInt8(ascii: "}"), text[position] != UInt8(ascii: "\""), digits.count <= 8 {
                    digits.append(Character(Unicode.Scalar(text[position])))
                    position += 1
                }
                if Lexer.at(text, position) == UInt8(ascii: "}") {
                    position += 1
                    if let code = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(code) {
                        value.append(contentsOf: Array(String(scalar).utf8))
                        return
                    }
                }
            }
            report(.invalidEscape(self.text(start + 1, position)), start, position)
        default:
            position = start + 1
            reportUnexpectedEscape(text, start)
        }
    }

    mutating func reportUnexpectedEscape(_ text: Bytes, _ start: Int) {
        // Take the whole scalar after the backslash so the message shows it intact.
        var end = position + 1
        while end < text.count, text[end] & 0xC0 == 0x80 { end += 1 }
        position = min(end, text.count)
        report(.invalidEscape(self.text(start + 1, position)), start, position)
    }
}
