// `mapl FILE ARGS…` runs a script, as `python FILE` does; a `#!/usr/bin/env mapl` line
// is a comment; `mapl repl FILE` still explores.

import Foundation
import Testing

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
}
