// A small SVG writer for the pictures mapl draws itself (heat-map tables, the built-in
// stakeholder map): escaping, text measured roughly, and a document frame. Output is
// deterministic: numbers are rounded to one decimal, elements keep their order.

struct SVG {
    private(set) var body = ""
    let font = "Helvetica, Arial, sans-serif"

    /// A whole SVG document of the given size around the body.
    func document(width: Double, height: Double, title: String) -> String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(SVG.n(width))\" height=\"\(SVG.n(height))\" "
        out += "viewBox=\"0 0 \(SVG.n(width)) \(SVG.n(height))\" font-family=\"\(font)\" font-size=\"11\">\n"
        out += "<title>\(SVG.escape(title))</title>\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        out += body
        out += "</svg>\n"
        return out
    }

    mutating func raw(_ text: String, newline: Bool = true) { body += text + (newline ? "\n" : "") }

    mutating func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, fill: String, stroke: String? = nil,
                       strokeWidth: Double = 1, radius: Double = 0, dashed: Bool = false) {
        var out = "<rect x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" width=\"\(SVG.n(width))\" height=\"\(SVG.n(height))\""
        if radius > 0 { out += " rx=\"\(SVG.n(radius))\"" }
        out += " fill=\"\(fill)\""
        if let stroke { out += " stroke=\"\(stroke)\" stroke-width=\"\(SVG.n(strokeWidth))\"" }
        if dashed { out += " stroke-dasharray=\"4 3\"" }
        body += out + "/>\n"
    }

    enum Anchor: String { case start, middle, end }

    /// One line of text, shortened with … to fit `maxWidth` when given.
    mutating func text(_ text: String, _ x: Double, _ y: Double, anchor: Anchor = .start, size: Double = 11,
                       bold: Bool = false, color: String = "#212121", maxWidth: Double? = nil, halo: Bool = false) {
        let label = pictureLabel(text)
        let shown = maxWidth.map { SVG.fit(label, width: $0, size: size) } ?? SVG.oneLine(label)
        var out = "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\""
        if anchor != .start { out += " text-anchor=\"\(anchor.rawValue)\"" }
        if size != 11 { out += " font-size=\"\(SVG.n(size))\"" }
        if bold { out += " font-weight=\"bold\"" }
        if color != "#212121" { out += " fill=\"\(color)\"" }
        if halo { out += " stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"" }
        body += out + ">\(SVG.escape(shown))</text>\n"
    }

    /// A number with at most one decimal, for coordinates.
    static func n(_ value: Double) -> String {
        formatNumber((value * 10).rounded() / 10)
    }

    /// Text for XML content and attribute values; characters XML cannot hold are dropped.
    static func escape(_ text: String) -> String {
        escaped(text) { scalar in
            switch scalar {
            case "&": return "&amp;"
            case "<": return "&lt;"
            case ">": return "&gt;"
            case "\"": return "&quot;"
            case "'": return "&#39;"
            case "\n", "\t": return " "
            default: return scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF ? "" : nil
            }
        }
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// A rough width of text in pixels: wide (CJK) characters count double.
    static func width(_ text: String, size: Double = 11) -> Double {
        var units = 0.0
        for scalar in pictureLabel(text).unicodeScalars {
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFF00...0xFF60, 0x1F300...0x1FAFF: units += 1.0
            case 0x0300...0x036F: break  // combining marks take no room
            default: units += scalar.properties.isUppercase ? 0.66 : 0.55
            }
        }
        return units * size
    }

    /// The text on one line, cut with … so that it fits the width.
    static func fit(_ text: String, width limit: Double, size: Double = 11) -> String {
        let line = oneLine(text)
        if width(line, size: size) <= limit { return line }
        var kept = ""
        for character in line {
            if width(kept + String(character) + "…", size: size) > limit { break }
            kept.append(character)
        }
        return kept + "…"
    }

    /// A colour between two hex colours (`#rrggbb`) at t in 0…1.
    static func mix(_ from: String, _ to: String, _ t: Double) -> String {
        func parts(_ hex: String) -> [Int] {
            let digits = Array(hex.dropFirst())
            return stride(from: 0, to: 6, by: 2).map { Int(String(digits[$0..<$0 + 2]), radix: 16) ?? 0 }
        }
        let a = parts(from), b = parts(to)
        let clamped = min(1, max(0, t.isFinite ? t : 0))
        return "#" + zip(a, b).map { pair in
            let value = Int((Double(pair.0) + (Double(pair.1) - Double(pair.0)) * clamped).rounded())
            let text = String(value, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
    }
}
