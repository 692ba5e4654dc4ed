// Path arithmetic on strings. Foundation's NSString.deletingLastPathComponent traps on a
// one-character path ("p") in the Foundation this project builds with, and a file name
// is user input: every caller goes through here instead.

/// The parts of a file path, as `dirname` and `basename` see them.
public enum PathNames {
    /// The folder part of a path: "a/b.mapl" → "a", "/b" → "/", "b.mapl" → "" (the
    /// current folder). Trailing slashes are ignored.
    public static func directory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        var folder = trimmed[..<slash]
        while folder.hasSuffix("/") { folder.removeLast() }
        return folder.isEmpty ? "/" : String(folder)
    }

    /// The last part of a path: "a/b.mapl" → "b.mapl".
    public static func lastComponent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/"), trimmed.count > 1 else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }
}
