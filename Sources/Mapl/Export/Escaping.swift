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
