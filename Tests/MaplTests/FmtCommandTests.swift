// `mapl fmt` through the real binary, on files in a temporary folder: in-place rewrites,
// --check, --stdout, stdin, folders, and files it must leave alone.

import Foundation
import Testing

@Suite("mapl fmt command")
struct FmtCommandTests {
    /// A fresh folder with the given files; removed by the caller.
    private func folder(_ files: [String: Data]) throws -> URL {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-fmt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        for (name, data) in files {
            let url = base.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        return base
    }

    private func read(_ url: URL, _ name: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
    }

    private func modified(_ url: URL, _ name: String) throws -> Date? {
        try FileManager.default.attributesOfItem(atPath: url.appendingPathComponent(name).path)[.modificationDate] as? Date
    }

    /// What we ship is written the way `mapl fmt` writes it.
    @Test func shippedFilesAreCanonical() throws {
        let result = try MaplProcess.run(["fmt", "--check", "examples", "stdlib"], stdin: "")
        #expect(result.status == 0, "not in the canonical layout (run mapl fmt examples stdlib):\n\(result.stdout)\(result.stderr)")
    }

    @Test func rewritesOnlyFilesThatChange() throws {
        let dir = try folder([
            "messy.mapl": Data("let  a=1\r\nprint( a )   # one\r\n".utf8),
            "tidy.mapl": Data("let a = 1\nprint(a)\n".utf8),
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let tidyBefore = try modified(dir, "tidy.mapl")
        Thread.sleep(forTimeInterval: 0.05)
        let result = try MaplProcess.run(["fmt", dir.appendingPathComponent("messy.mapl").path, dir.appendingPathComponent("tidy.mapl").path], stdin: "")
        #expect(result.status == 0)
        #expect(result.stdout == dir.appendingPathComponent("messy.mapl").path + "\n")
        #expect(result.stderr.isEmpty)
        #expect(try read(dir, "messy.mapl") == "let a = 1\nprint(a)     # one\n")
        #expect(try modified(dir, "tidy.mapl") == tidyBefore)
        // No temporary files are left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["messy.mapl", "tidy.mapl"])
    }

    @Test func checkWritesNothingAndListsChangedFiles() throws {
        let dir = try folder(["a.mapl": Data("let  a=1\n".utf8), "sub/b.mapl": Data("let b = 2\n".utf8), "sub/c.mapl": Data("let c =3\n".utf8)])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try MaplProcess.run(["fmt", "--check", dir.path], stdin: "")
        #expect(result.status == 1)
        #expect(result.stdout == [dir.path + "/a.mapl", dir.path + "/sub/c.mapl"].joined(separator: "\n") + "\n")
        #expect(try read(dir, "a.mapl") == "let  a=1\n")
        let fixed = try MaplProcess.run(["fmt", dir.path], stdin: "")
        #expect(fixed.status == 0)
        let again = try MaplProcess.run(["fmt", "--check", dir.path], stdin: "")
        #expect(again.status == 0 && again.stdout.isEmpty)
    }

    @Test func standardInputAndStdoutFlag() throws {
        let piped = try MaplProcess.run(["fmt", "-"], stdin: "print(1+2)")
        #expect(piped.status == 0 && piped.stdout == "print(1 + 2)\n")
        let checked = try MaplProcess.run(["fmt", "--check", "-"], stdin: "print(1+2)\n")
        #expect(checked.status == 1 && checked.stdout == "<stdin>\n")
        let dir = try folder(["a.mapl": Data("let  a=1\n".utf8)])
        defer { try? FileManager.default.removeItem(at: dir) }
        let printed = try MaplProcess.run(["fmt", "--stdout", dir.appendingPathComponent("a.mapl").path], stdin: "")
        #expect(printed.status == 0 && printed.stdout == "let a = 1\n")
        #expect(try read(dir, "a.mapl") == "let  a=1\n")
    }

    @Test func syntaxErrorsLeaveTheFileAlone() throws {
        let text = "let  a=(1 +\nlet b = 2\n"
        let dir = try folder(["bad.mapl": Data(text.utf8), "good.mapl": Data("let  c=3\n".utf8)])
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.mapl").path
        let result = try MaplProcess.run(["fmt", bad, dir.appendingPathComponent("good.mapl").path], stdin: "")
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(bad):2:1: error: expected an expression, found 'let'"))
        #expect(result.stderr.contains(" 2 | let b = 2"))
        #expect(try read(dir, "bad.mapl") == text)
        #expect(try read(dir, "good.mapl") == "let c = 3\n")
    }

    @Test func missingAndUnreadableFiles() throws {
        let missing = try MaplProcess.run(["fmt", "/no/such/plan.mapl"], stdin: "")
        #expect(missing.status == 66)
        #expect(missing.stderr == "mapl: cannot open '/no/such/plan.mapl': no such file\n")
        // Bytes that are not UTF-8 would be lost by a rewrite: the file is refused.
        let dir = try folder(["latin1.mapl": Data([0x6C, 0x65, 0x74, 0x20, 0x61, 0x3D, 0x31, 0x20, 0x23, 0x20, 0xE9, 0x0A])])
        defer { try? FileManager.default.removeItem(at: dir) }
        let latin1 = try MaplProcess.run(["fmt", dir.appendingPathComponent("latin1.mapl").path], stdin: "")
        #expect(latin1.status == 65)
        #expect(latin1.stderr.contains("is not UTF-8 text"))
        #expect(try Data(contentsOf: dir.appendingPathComponent("latin1.mapl")).count == 12)
    }

    @Test func usageErrors() throws {
        let none = try MaplProcess.run(["fmt"], stdin: "")
        #expect(none.status == 64)
        let both = try MaplProcess.run(["fmt", "--check", "--stdout", "-"], stdin: "")
        #expect(both.status == 64)
        let narrow = try MaplProcess.run(["fmt", "--line-width", "5", "-"], stdin: "")
        #expect(narrow.status == 64)
        let help = try MaplProcess.run(["fmt", "--help"], stdin: "")
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: mapl fmt <file> ... [--check] [--stdout] [--line-width <line-width>]"))
        #expect(help.stdout.contains("Every comment is kept"))
    }

    @Test func deepNestingAndHugeLinesDoNotCrash() throws {
        let deep = "print(" + String(repeating: "(", count: 900) + "1" + String(repeating: ")", count: 900) + ")\n"
        let nested = try MaplProcess.run(["fmt", "--line-width", "5000", "-"], stdin: deep)
        #expect(nested.status == 0 && nested.stdout == deep)
        let broken = try MaplProcess.run(["fmt", "-"], stdin: deep)
        #expect(broken.status == 0 && broken.stdout.split(separator: "\n").count > 100)
        let tooDeep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
        let refused = try MaplProcess.run(["fmt", "-"], stdin: tooDeep)
        #expect(refused.status == 65 && refused.stderr.contains("nesting is too deep"))
        let items = (1...5000).map { "item_\($0)" }.joined(separator: ", ")
        let long = try MaplProcess.run(["fmt", "-"], stdin: "let xs = [\(items)]\n")
        #expect(long.status == 0)
        let lines = long.stdout.split(separator: "\n")
        #expect(lines.first == "let xs = [" && lines.last == "]" && lines.allSatisfy { $0.count <= 120 })
    }
}
