// The standard library: modules written in mapl (stdlib/NAME.mapl in the repository,
// shipped beside the binary) that a program reaches with `import "std/NAME"`. Nothing
// is loaded unless imported, so plain scripts start as fast as before.

import Foundation
import MaplStdlib

/// The modules of the standard library and where their files are.
public enum Stdlib {
    /// What an import path starts with to name a standard-library module.
    public static let importPrefix = "std/"

    /// The module an import path names (`std/scoring` → `scoring`), or nil for a path
    /// that is not in the standard library.
    public static func moduleName(ofImport path: String) -> String? {
        guard path.hasPrefix(importPrefix) else { return nil }
        var name = String(path.dropFirst(importPrefix.count))
        if name.hasSuffix(".mapl") { name.removeLast(5) }
        return name
    }

    /// The folder that holds the modules: `MAPL_STDLIB`, else the files shipped with
    /// the binary, else the repository's `stdlib/` folder.
    public static var directory: String? { StdlibFiles.directory() }

    /// The names of the modules there are, sorted (`execution`, `rules`, …).
    public static var modules: [String] {
        guard let directory else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".mapl") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The file of a module, if it exists. Names are plain words: no folders.
    public static func path(ofModule name: String) -> String? {
        guard let directory, !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else { return nil }
        let path = directory + "/" + name + ".mapl"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The name diagnostics show for a module's file: the import path, `std/NAME`.
    public static func sourceName(ofModule name: String) -> String { importPrefix + name }
}
