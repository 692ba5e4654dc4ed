// Where the standard library's .mapl files are when mapl runs. This target exists to
// ship them with the binary: SwiftPM copies them into a resource bundle beside it.

import Foundation

/// Locates the directory holding the standard library's `NAME.mapl` files.
public enum StdlibFiles {
    /// The resource bundle SwiftPM builds for this target, next to the executable.
    static let bundleName = "mapl_MaplStdlib.resources"

    /// The directories to try, best first: `MAPL_STDLIB` (a library kept elsewhere),
    /// this source folder when it still exists (a build from a checkout sees edits to
    /// the modules without rebuilding; the unit tests run without a bundle), then the
    /// resource bundle beside the running executable (a binary copied elsewhere).
    /// Unlike SwiftPM's `Bundle.module`, a missing bundle is not fatal here: the caller
    /// reports "not found" as a diagnostic.
    public static func candidates(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        if let override = environment["MAPL_STDLIB"], !override.isEmpty { return [override] }
        var found = [URL(fileURLWithPath: #filePath).deletingLastPathComponent().path]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            found.append(executable.deletingLastPathComponent().appendingPathComponent(bundleName).path)
        }
        found.append(Bundle.main.bundleURL.appendingPathComponent(bundleName).path)
        return found
    }

    /// The first candidate directory that holds `NAME.mapl` files, if any.
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        candidates(environment: environment).first { path in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.contains { $0.hasSuffix(".mapl") }
        }
    }
}
