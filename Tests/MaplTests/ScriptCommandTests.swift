// `mapl FILE ARGS…` runs a script, as `python FILE` does; a `#!/usr/bin/env mapl` line
// is a comment; `mapl repl FILE` still explores.

import Foundation
import Testing
@testable import Mapl

@Suite("mapl FILE: scripts like Python's")
struct ScriptCommandTests {
    @Test func aFileRunsWithItsArguments() throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-script-\(UUID().uuidString).mapl")
        try "#!/usr/bin/env mapl\nprint(\"args:\", args)\n".write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let result = try MaplProcess.run([script.path, "a", "--flag", "b"], stdin: "")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "args: [\"a\", \"--flag\", \"b\"]\n")
        let missing = try MaplProcess.run(["no-such-script.mapl"], stdin: "")
        #expect(missing.status == 66)
        let explored = try MaplProcess.run(["repl", script.path], stdin: "len(args)\n")
        #expect(explored.status == 0 && explored.stdout.contains("0"), "\(explored.stdout)\(explored.stderr)")
    }

    /// A flat chain of operators is limited by its length, not as nesting: a generated
    /// sum of a thousand terms runs; past the limit it is one clear error.
    @Test func flatChainsAreLimitedByLength() throws {
        let thousand = "print(" + Array(repeating: "1", count: 1_000).joined(separator: " + ") + ")\n"
        let ran = try MaplProcess.run(["run", "-"], stdin: thousand)
        #expect(ran.status == 0 && ran.stdout == "1000\n", "\(ran.stderr.prefix(300))")
        let tooLong = "print(" + Array(repeating: "1", count: 10_002).joined(separator: " + ") + ")\n"
        let rejected = try MaplProcess.run(["run", "-"], stdin: tooLong)
        #expect(rejected.status == 65)
        #expect(rejected.stderr.contains("error: this expression is too long (more than 10000 operators, calls or clauses in a row)"))
        let nested = "print(" + String(repeating: "(", count: 1_001) + "1" + String(repeating: ")", count: 1_001) + ")\n"
        #expect(try MaplProcess.run(["run", "-"], stdin: nested).stderr.contains("nesting is too deep"))
    }

    /// The memory budget holds in the REPL too: an input that hoards stops with the
    /// error, the session goes on, and the next input has the whole budget again.
    @Test func theREPLKeepsAMemoryBudgetPerInput() throws {
        let hoard = "let keep = []\nlet text = \"abcdefgh\"\nwhile len(text) < 1000000 { text = text + text }\n"
            + "for i in 1..100000 { push(keep, text + str(i)) }\n"
        let result = try MaplProcess.run(["--max-memory", "64M"], stdin: hoard + "print(1 + 1)\n")
        #expect(result.stderr.contains("error: the program's values take more than 64 MiB of memory"), "\(result.stderr)")
        #expect(result.stdout.contains("2\n"))
        #expect(result.status == 70)
        let invalid = try MaplProcess.run(["run", "--max-memory", "lots", "x.mapl"], stdin: "")
        #expect(invalid.status == 64)
        #expect(invalid.stderr.contains("--max-memory takes a size such as 512M or 8G, not 'lots'"))
    }

    /// A one-character file name once trapped in Foundation's path arithmetic.
    @Test func oneCharacterFileNames() throws {
        let folder = try scratchFolder("one-char")
        try "import \"q\"\nprint(answer)\n".write(to: folder.appendingPathComponent("p"), atomically: true, encoding: .utf8)
        try "let answer = 42\n".write(to: folder.appendingPathComponent("q"), atomically: true, encoding: .utf8)
        for arguments in [["p"], ["run", "p"], ["check", "p"]] {
            let result = try MaplProcess.run(arguments, stdin: "", in: folder)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        #expect(try MaplProcess.run(["p"], stdin: "", in: folder).stdout == "42\n")
        #expect(PathNames.directory(of: "p") == "" && PathNames.directory(of: "/p") == "/" && PathNames.directory(of: "a/b/") == "a")
        #expect(PathNames.directory(of: "a//b") == "a" && PathNames.lastComponent(of: "a/b.mapl") == "b.mapl" && PathNames.lastComponent(of: "p") == "p")
    }
}
