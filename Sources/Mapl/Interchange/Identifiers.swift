// Entity ids for imported plans: readable (made from names), valid mapl identifiers,
// unique, and clear of words that already mean something in a plan or a query.

import Foundation

/// Hands out ids: `Dana Wright` → `dana_wright`, a second one → `dana_wright_2`.
public struct IdentifierAllocator {
    private var taken: Set<String>

    /// Ids longer than this are cut at a word boundary.
    static let maxLength = 40

    public init() { taken = IdentifierAllocator.reserved }

    /// Marks an id as used (an id the input already gives).
    public mutating func claim(_ id: String) { taken.insert(id) }

    /// A fresh id made from `name`. `kind` names the entity: it is the id when the name
    /// has no letters or digits, and is added to a name that starts with a digit or is
    /// a reserved word (`it` → `it_unit`).
    public mutating func make(from name: String, kind: String) -> String {
        var base = IdentifierAllocator.slug(name)
        if base.isEmpty { base = kind }
        else if let first = base.utf8.first, first >= 48 && first <= 57 { base = kind + "_" + base }
        else if IdentifierAllocator.reserved.contains(base) { base += "_" + kind }
        var id = base, counter = 2
        while taken.contains(id) {
            id = "\(base)_\(counter)"
            counter += 1
        }
        taken.insert(id)
        return id
    }

    /// Lower-case ASCII letters, digits and single underscores; accents dropped
    /// (`José Núñez` → `jose_nunez`); long names cut at a word boundary.
    static func slug(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
        var out = ""
        var pendingSeparator = false
        for byte in folded.utf8 {
            let isAlphanumeric = (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
            if isAlphanumeric {
                if pendingSeparator && !out.isEmpty { out += "_" }
                pendingSeparator = false
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else if byte != 39 {  // apostrophes join: O'Brien → obrien
                pendingSeparator = true
            }
        }
        if out.count > maxLength {
            let cut = out.prefix(maxLength)
            out = cut.lastIndex(of: "_").map { String(cut[..<$0]) } ?? String(cut)
        }
        return out
    }

    /// Whether `text` is an identifier a plan may declare: letters, digits and `_`,
    /// not starting with a digit, not a keyword.
    public static func isValidID(_ text: String) -> Bool {
        guard let first = text.utf8.first, !(first >= 48 && first <= 57) else { return false }
        let allowed = text.utf8.allSatisfy { $0 == 95 || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || ($0 >= 48 && $0 <= 57) }
        return allowed && TokenKind.keywords[text] == nil
    }

    /// Words a generated id must not be: keywords, kind and collection names, built-in
    /// functions, scale levels (`high` would stop meaning the level in queries) and the
    /// names queries and scripts use.
    static let reserved: Set<String> = {
        var words = Set(TokenKind.keywords.keys)
        for kind in Schema.kinds { words.insert(kind.name); words.insert(kind.plural) }
        words.formUnion(Builtins.signatures.keys)
        words.formUnion(Scales.valueNames)
        words.formUnion(Schema.allFieldNames)
        words.formUnion(["it", "args", "rule", "import", "where", "sort", "group", "select", "take", "by", "desc", "asc"])
        return words
    }()
}
