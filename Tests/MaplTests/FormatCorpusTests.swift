// The formatter over every .mapl file in the repository: it must be idempotent, keep
// every comment and every token, and a golden file must still pass once formatted.

import Foundation
import Testing
@testable import Mapl

struct CorpusFile: CustomTestStringConvertible, Sendable {
    let path: String  // relative to the repository root
    var testDescription: String { path }
}

enum FormatCorpus {
    /// Every .mapl file under examples/, Tests/, Fuzz/ and stdlib/, parts of plans included.
    static func files() -> [CorpusFile] {
        var found: [CorpusFile] = []
        for folder in ["examples", "Tests", "Fuzz", "stdlib"] {
            let base = MaplProcess.root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let relative as String in walker where relative.hasSuffix(".mapl") {
                found.append(CorpusFile(path: folder + "/" + relative))
            }
        }
        return found.sorted { $0.path < $1.path }
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOf: MaplProcess.root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The tokens that carry meaning, as kind and text.
    static func tokens(_ text: String) -> [String] {
        let source = SourceFile(id: 0, name: "t", text: text)
        return Lexer.lex(source).tokens.map { "\($0.kind) \(source.text(of: Span(file: 0, start: $0.start, end: $0.end)))" }
    }

    /// Formats on a large stack, as the CLI does: the parser recurses once per nesting level.
    static func format(_ text: String, name: String, options: FormatOptions = FormatOptions()) -> FormatOutcome {
        withLargeStack { SourceFormatter.format(SourceFile(id: 0, name: name, text: text), options: options) }
    }

    static func comments(_ text: String) -> [String] {
        Trivia.comments(in: SourceFile(id: 0, name: "t", text: text)).map(\.text)
    }
}

@Suite("formatter over the repository's .mapl files")
struct FormatCorpusTests {
    @Test func thereIsACorpus() {
        #expect(FormatCorpus.files().count > 100)
    }

    @Test(arguments: FormatCorpus.files())
    func idempotentAndMeaningPreserving(_ file: CorpusFile) throws {
        let text = try FormatCorpus.read(file.path)
        let source = SourceFile(id: 0, name: file.path, text: text)
        switch FormatCorpus.format(text, name: file.path) {
        case .rejected:
            // Files with syntax errors (diagnostic tests, fuzz inputs) are left alone.
            let diagnostics = withLargeStack { Parser.parse(source).1 }
            #expect(!diagnostics.isEmpty)
        case .unsafe(let problem):
            Issue.record("\(file.path): \(problem)")
        case .formatted(let once):
            #expect(FormatCorpus.tokens(once) == FormatCorpus.tokens(text), "tokens of \(file.path)")
            #expect(FormatCorpus.comments(once) == FormatCorpus.comments(text), "comments of \(file.path)")
            #expect(once.hasSuffix("\n") || once.isEmpty)
            #expect(!once.contains(" \n") && !once.contains("\t\n") && !once.contains("\n\n\n"), "trailing spaces or blank lines in \(file.path)")
            guard case .formatted(let twice) = FormatCorpus.format(once, name: file.path) else {
                Issue.record("\(file.path): the formatted text does not format")
                return
            }
            #expect(twice == once, "not idempotent: \(file.path)")
            // Narrow lines exercise the line breaker on every file.
            let narrow = FormatOptions(lineWidth: 40)
            guard case .formatted(let broken) = FormatCorpus.format(text, name: file.path, options: narrow) else {
                Issue.record("\(file.path): does not format at width 40")
                return
            }
            #expect(FormatCorpus.comments(broken) == FormatCorpus.comments(text), "comments of \(file.path) at width 40")
            guard case .formatted(let brokenTwice) = FormatCorpus.format(broken, name: file.path, options: narrow) else {
                Issue.record("\(file.path): the text formatted at width 40 does not format")
                return
            }
            #expect(brokenTwice == broken, "not idempotent at width 40: \(file.path)")
        }
    }
}

/// Every golden file, formatted, must still pass: its `# expect` comments stay on the
/// lines they annotate. The formatted copies of examples/ and Tests/ live in
/// .build/fmt-golden-WIDTH, where they run as the golden runner runs the originals; a
/// narrow width makes the line breaker work on most files.
@Suite("golden files after formatting")
struct GoldenAfterFormatTests {
    static let widths = [120, 40]
    static let trees: [Int: URL] = {
        var trees: [Int: URL] = [:]
        for width in widths {
            let base = MaplProcess.root.appendingPathComponent(".build/fmt-golden-\(width)")
            try? FileManager.default.removeItem(at: base)
            do {
                try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
                for folder in ["examples", "Tests"] {
                    try FileManager.default.copyItem(at: MaplProcess.root.appendingPathComponent(folder), to: base.appendingPathComponent(folder))
                }
                for file in FormatCorpus.files() where file.path.hasPrefix("examples/") || file.path.hasPrefix("Tests/") {
                    let text = try FormatCorpus.read(file.path)
                    if case .formatted(let result) = FormatCorpus.format(text, name: file.path, options: FormatOptions(lineWidth: width)) {
                        try result.write(to: base.appendingPathComponent(file.path), atomically: true, encoding: .utf8)
                    }
                }
                trees[width] = base
            } catch {
                continue
            }
        }
        return trees
    }()

    /// Snapshots of exports name source positions (`deals.mapl:57:1`) and quote the
    /// source of functions (line breaks as `\n` in JSON, `<br>` in Markdown), which
    /// formatting moves and re-spaces: compare without them.
    static func layoutFree(_ text: String) -> String {
        text.replacing(/\.mapl:\d+:\d+/, with: ".mapl").replacing(/\\n|<br>|\s/, with: "")
    }

    /// The golden files, without those that test `mapl fmt` itself.
    static func files() -> [GoldenFile] {
        Golden.files().filter { !$0.path.hasPrefix("Tests/golden/fmt/") }
    }

    @Test(arguments: files(), widths)
    func stillPasses(_ file: GoldenFile, width: Int) throws {
        let tree = try #require(Self.trees[width])
        let path = file.path
        let text = try String(contentsOf: tree.appendingPathComponent(path), encoding: .utf8)
        let expected = Golden.expectations(in: text)
        let arguments = expected.command == "run" ? ["run", path] + expected.arguments
            : expected.command.split(separator: " ").map(String.init) + [path]
        let result = try MaplProcess.run(arguments, stdin: expected.stdin.map { $0 + "\n" }.joined(), in: tree)
        let label = "formatted at width \(width): \(file.path)"

        let snapshot = tree.appendingPathComponent(file.path.replacingOccurrences(of: ".mapl", with: ".stdout"))
        if let recorded = try? String(contentsOf: snapshot, encoding: .utf8) {
            let same = Self.layoutFree(result.stdout) == Self.layoutFree(recorded)
            #expect(same, "stdout snapshot, \(label)")
        } else {
            #expect(Golden.printedLines(result.stdout) == expected.stdout, "stdout, \(label)")
        }
        let wanted = Golden.described(expected)
        #expect(try Golden.diagnostics(in: result.stderr, about: path) == wanted.diagnostics, "diagnostics, \(label)\n\(result.stderr)")
        #expect(result.status == wanted.status, "exit status, \(label)")
    }
}
