// Inputs that once crashed or hung mapl (found by fuzzing, see Fuzz/README.md) must
// now end with a normal exit status: 0, 65 (rejected) or 70 (runtime error).

import Foundation
import Testing

@Suite("fuzz regressions")
struct FuzzRegressionTests {
    static func inputs() -> [String] {
        let folder = Golden.root.appendingPathComponent("Fuzz/regressions")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".mapl") }.sorted().map { "Fuzz/regressions/" + $0 }
    }

    @Test func thereAreRegressions() {
        #expect(!Self.inputs().isEmpty)
    }

    @Test(arguments: inputs())
    func endsNormally(_ path: String) throws {
        let started = Date()
        let result = try Golden.run(["run", path], stdin: "")
        #expect([0, 65, 70].contains(result.status), "\(path) ended with status \(result.status)\n\(result.stderr.prefix(2000))")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Program crashed"), "\(path) crashed")
        #expect(Date().timeIntervalSince(started) < 60, "\(path) took too long")
    }
}
