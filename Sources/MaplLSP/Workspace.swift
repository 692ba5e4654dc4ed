// The editor's documents and the plans they belong to. A plan is often split over files
// (`plan.mapl` imports `people.mapl`): a document is analysed as part of the file that
// imports it (its root), with the unsaved text of every open document used over the
// file on disk.

import Foundation
import Mapl

/// One open document.
struct Document {
    var text: String
    var version: Int?
}

final class Workspace {
    /// Open documents by path.
    private(set) var documents: [String: Document] = [:]
    /// The imports each file on disk names, with the file's size and modification time
    /// when they were read (a folder of plans is not re-read on every keystroke).
    private var importsOnDisk: [String: (stamp: String, imports: [String])] = [:]

    func open(_ path: String, text: String, version: Int?) { documents[path] = Document(text: text, version: version) }

    func close(_ path: String) { documents[path] = nil }

    /// Applies changes in order: a change without a range replaces the whole text.
    func change(_ path: String, _ changes: [TextDocumentContentChangeEvent], version: Int?) {
        var text = documents[path]?.text ?? ""
        for change in changes {
            text = change.range.map { LineIndex.applying(change.text, at: $0, to: text) } ?? change.text
        }
        documents[path] = Document(text: text, version: version)
    }

    /// A file's text: the open document's, else the file on disk.
    func text(of path: String) -> String? {
        if let open = documents[path] { return open.text }
        guard case .success(let bytes) = SourceBytes.contents(ofFile: path) else { return nil }
        return String(decoding: Array(bytes), as: UTF8.self)
    }

    /// Unsaved texts by canonical path, for a session's imports.
    var unsavedTexts: [String: String] {
        Dictionary(documents.map { (Session.canonicalPath($0.key), $0.value.text) }, uniquingKeysWith: { first, _ in first })
    }

    /// The file that `path` is analysed as part of: the file that imports it (through any
    /// chain of imports, among the `.mapl` files of its folder), or itself.
    func root(of path: String) -> String {
        let folder = PathNames.directory(of: path)
        var importers: [String: String] = [:]
        for candidate in mapl(in: folder) {
            for imported in imports(of: candidate) where imported != candidate && importers[imported] == nil {
                importers[imported] = candidate
            }
        }
        var root = Session.canonicalPath(path), seen: Set<String> = [root]
        while let importer = importers[root], seen.insert(importer).inserted { root = importer }
        return root
    }

    private func mapl(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        var files = names.filter { $0.hasSuffix(".mapl") }.map { Session.canonicalPath(folder + "/" + $0) }
        files += documents.keys.map(Session.canonicalPath).filter { PathNames.directory(of: $0) == Session.canonicalPath(folder) }
        return Array(Set(files)).sorted()
    }

    /// The canonical paths a file imports (`import "x.mapl"`, relative to its folder).
    private func imports(of path: String) -> [String] {
        if let open = documents.first(where: { Session.canonicalPath($0.key) == path }) {
            return Workspace.imports(in: open.value.text, folder: PathNames.directory(of: path))
        }
        var status = stat()
        guard stat(path, &status) == 0 else { return [] }
        let stamp = "\(status.st_size):\(status.st_mtim.tv_sec):\(status.st_mtim.tv_nsec)"
        if let known = importsOnDisk[path], known.stamp == stamp { return known.imports }
        let found = Workspace.imports(in: Workspace.head(of: path), folder: PathNames.directory(of: path))
        importsOnDisk[path] = (stamp, found)
        return found
    }

    /// The first 64 KiB of a file: where its imports are (a folder may hold large plans,
    /// which are not read whole to find them).
    static func head(of path: String) -> String {
        let descriptor = Foundation.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return "" }
        defer { Foundation.close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return "" }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        return count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : ""
    }

    /// The files an `import "…"` at the start of a line names (the standard library left
    /// out), in the first 64 KiB of the text: where imports are written, and all that is
    /// read of a large plan on each keystroke.
    static func imports(in text: String, folder: String) -> [String] {
        var found: [String] = []
        let bytes = Array(text.utf8.prefix(65_536))
        let prefix = Array("import \"".utf8)
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: 10) ?? bytes.count
            if lineEnd - lineStart > prefix.count, bytes[lineStart..<lineStart + prefix.count].elementsEqual(prefix),
               let close = bytes[(lineStart + prefix.count)..<lineEnd].firstIndex(of: 34) {
                let target = String(decoding: bytes[(lineStart + prefix.count)..<close], as: UTF8.self)
                if !target.hasPrefix(Stdlib.importPrefix) {
                    found.append(Session.canonicalPath(target.hasPrefix("/") ? target : folder + "/" + target))
                }
            }
            lineStart = lineEnd + 1
        }
        return found
    }
}

/// `file:///a%20b/plan.mapl` ↔ `/a b/plan.mapl`.
enum DocumentURI {
    static func path(_ uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        return URL(string: uri)?.path ?? String(uri.dropFirst(7)).removingPercentEncoding
    }

    static func uri(_ path: String) -> String { URL(fileURLWithPath: path).absoluteString }
}
