// The golden runner: every .mapl under examples/ and Tests/ runs through the real
// `mapl` binary, and its output is compared with the file's `# expect` comments.
//
//   # expect: TEXT                 the next line printed on stdout
//   # expect error: MESSAGE        a syntax/check error on this line (exit 65)
//   # expect runtime error: MSG    a runtime error on this line (exit 70)
//   # expect warning: MESSAGE      a warning on this line
//   # expect exit: N               the exit status, when it is not implied
//   # command: check               run `mapl check FILE` instead of `mapl run FILE`
//   # args: WORDS…                 words passed to the script after its name
//   # stdin: TEXT                  a line fed to standard input (repeatable)
//   # golden: part of FILE         not run alone: a piece of a plan that FILE imports
//
// A file NAME.stderr beside NAME.mapl is a snapshot: stderr must equal it exactly.
// A file NAME.stdout is the same for stdout (for long outputs: exports, reports); with
// one, `# expect:` lines are not needed.
// `UPDATE_SNAPSHOTS=1 make test` rewrites the snapshots from the current output.

import Foundation
import Testing

struct GoldenFile: CustomTestStringConvertible, Sendable {
    let path: String  // relative to the repository root
    var testDescription: String { path }
}

enum Golden {
    static var root: URL { MaplProcess.root }
    static func files() -> [GoldenFile] {
        var found: [GoldenFile] = []
        for folder in ["examples", "Tests"] {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let relative as String in walker where relative.hasSuffix(".mapl") {
                let path = folder + "/" + relative
                // Parts of a multi-file plan are tested through the file that imports them.
                if let text = try? String(contentsOf: base.appendingPathComponent(relative), encoding: .utf8),
                   text.contains("\n# golden: part of ") || text.hasPrefix("# golden: part of ") { continue }
                found.append(GoldenFile(path: path))
            }
        }
        return found.sorted { $0.path < $1.path }
    }

    struct Expectations {
        var stdout: [String] = []
        var diagnostics: [(line: Int, severity: String, message: String)] = []
        var exit: Int32?
        var command = "run"
        var arguments: [String] = []
        var stdin: [String] = []
        var hasRuntimeError = false
    }

    static func expectations(in text: String) -> Expectations {
        var result = Expectations()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let hash = line.range(of: "# ") else { continue }
            let comment = line[hash.upperBound...]
            func after(_ prefix: String) -> String? {
                comment.hasPrefix(prefix) ? String(comment.dropFirst(prefix.count)) : nil
            }
            if let text = after("expect: ") { result.stdout.append(text) }
            else if comment == "expect:" { result.stdout.append("") }
            else if let message = after("expect error: ") { result.diagnostics.append((index + 1, "error", message)) }
            else if let message = after("expect runtime error: ") {
                result.diagnostics.append((index + 1, "error", message))
                result.hasRuntimeError = true
            }
            else if let message = after("expect warning: ") { result.diagnostics.append((index + 1, "warning", message)) }
            else if let code = after("expect exit: ") { result.exit = Int32(code.trimmingCharacters(in: .whitespaces)) }
            else if let command = after("command: ") { result.command = command.trimmingCharacters(in: .whitespaces) }
            else if let words = after("args: ") { result.arguments = words.split(separator: " ").map(String.init) }
            else if let input = after("stdin: ") { result.stdin.append(input) }
        }
        return result
    }

    static func run(_ arguments: [String], stdin: String) throws -> MaplProcess.Result {
        try MaplProcess.run(arguments, stdin: stdin)
    }

    /// The lines a run printed, without the empty one after the last line break.
    static func printedLines(_ stdout: String) -> [String] {
        var printed = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if printed.last == "" { printed.removeLast() }
        return printed
    }

    /// Each diagnostic about `path` in the rendered stderr, as sorted `line: severity: message`.
    static func diagnostics(in stderr: String, about path: String) throws -> [String] {
        let pattern = try Regex(#"^([^\n:]+):(\d+):(\d+): (error|warning): (.*)$"#).anchorsMatchLineEndings()
        var found: [String] = []
        for match in stderr.matches(of: pattern) {
            guard let fileName = match.output[1].substring, fileName == path,
                  let line = match.output[2].substring.flatMap({ Int($0) }),
                  let severity = match.output[4].substring, let message = match.output[5].substring else { continue }
            found.append("\(line): \(severity): \(message)")
        }
        return found.sorted()
    }

    /// The expected diagnostics in the same form, and the exit status they imply.
    static func described(_ expected: Expectations) -> (diagnostics: [String], status: Int32) {
        let hasErrors = expected.diagnostics.contains { $0.severity == "error" }
        return (expected.diagnostics.map { "\($0.line): \($0.severity): \($0.message)" }.sorted(),
                expected.exit ?? (expected.hasRuntimeError ? 70 : hasErrors ? 65 : 0))
    }
}

@Suite("golden .mapl files")
struct GoldenTests {
    @Test("every golden directory has tests")
    func discovered() {
        #expect(Golden.files().count > 10)
    }

    @Test(arguments: Golden.files())
    func golden(_ file: GoldenFile) throws {
        let text = try String(contentsOf: Golden.root.appendingPathComponent(file.path), encoding: .utf8)
        let expected = Golden.expectations(in: text)
        let arguments = expected.command == "run" ? ["run", file.path] + expected.arguments : expected.command.split(separator: " ").map(String.init) + [file.path]
        let result = try Golden.run(arguments, stdin: expected.stdin.map { $0 + "\n" }.joined())

        // stdout: a snapshot file, or line by line
        let stdoutSnapshot = Golden.root.appendingPathComponent(file.path.replacingOccurrences(of: ".mapl", with: ".stdout"))
        if FileManager.default.fileExists(atPath: stdoutSnapshot.path) {
            if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" {
                try result.stdout.write(to: stdoutSnapshot, atomically: true, encoding: .utf8)
            } else {
                let recorded = try String(contentsOf: stdoutSnapshot, encoding: .utf8)
                #expect(result.stdout == recorded, "stdout snapshot \(stdoutSnapshot.lastPathComponent)")
            }
        } else {
            #expect(Golden.printedLines(result.stdout) == expected.stdout, "stdout of \(file.path)")
        }

        // diagnostics: every expected one present, nothing unexpected
        let wanted = Golden.described(expected)
        #expect(try Golden.diagnostics(in: result.stderr, about: file.path) == wanted.diagnostics, "diagnostics of \(file.path)\n\(result.stderr)")
        let snapshot = Golden.root.appendingPathComponent(file.path.replacingOccurrences(of: ".mapl", with: ".stderr"))
        let hasSnapshot = FileManager.default.fileExists(atPath: snapshot.path)
        if expected.diagnostics.isEmpty && expected.exit == nil && !hasSnapshot {
            #expect(result.stderr.isEmpty, "unexpected stderr from \(file.path)")
        }

        // exit status
        #expect(result.status == wanted.status, "exit status of \(file.path)")

        // stderr snapshot (it also covers diagnostics in files this one imports)
        if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1", hasSnapshot {
            try result.stderr.write(to: snapshot, atomically: true, encoding: .utf8)
        } else if let recorded = try? String(contentsOf: snapshot, encoding: .utf8) {
            #expect(result.stderr == recorded, "stderr snapshot \(snapshot.lastPathComponent)")
        }
    }
}
