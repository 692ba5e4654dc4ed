// One loop for every escaper the export formats need (JSON, DOT, Mermaid, SVG/XML,
// Markdown): each says only what replaces which character.

/// `text` with each Unicode scalar replaced where `replacement` gives a substitute
/// (an empty string drops it); other scalars are kept as they are.
func escaped(_ text: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        if let substitute = replacement(scalar) { out += substitute } else { out.unicodeScalars.append(scalar) }
    }
    return out
}

/// A label as pictures show it: each line at most `lineLimit` characters and at most
/// `lineCount` lines, cut with "…". (Graphviz refuses quoted strings over 16 KB, and no
/// reader takes in a longer label; the full text stays in the plan and the reports.)
func pictureLabel(_ text: String, lineLimit: Int = 120, lineCount: Int = 12) -> String {
    guard text.utf8.count > lineLimit else { return text }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
        line.count > lineLimit ? String(line.prefix(lineLimit - 1)) + "…" : String(line)
    }
    if lines.count > lineCount { lines = Array(lines.prefix(lineCount - 1)) + ["…"] }
    return lines.joined(separator: "\n")
}
