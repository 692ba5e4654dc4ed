// `mapl export` driven through the real binary: the JSON parses and holds every
// entity, -o writes atomically, errors write nothing, missing Graphviz is explained.

import Foundation
import Testing

@Suite("mapl export")
struct ExportTests {
    static let globex = "examples/globex/plan.mapl"

    @Test("JSON export of the Globex plan is valid JSON with every kind and entity")
    func jsonParses() throws {
        let result = try MaplProcess.run(["export", "--format", "json", Self.globex], stdin: "")
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["format"] as? String == "mapl-plan")
        #expect(document["version"] as? Int == 1)
        let entities = try #require(document["entities"] as? [String: [[String: Any]]])
        #expect(entities.count == 23)
        #expect(entities["stakeholder"]?.count == 30)
        #expect(entities["opportunity"]?.count == 16)
        let dana = try #require(entities["stakeholder"]?.first { $0["id"] as? String == "dana" })
        let fields = try #require(dana["fields"] as? [String: Any])
        #expect(fields["support"] as? String == "non_supporter")
        #expect(fields["reports_to"] as? String == "pat")
        #expect(fields["roles"] as? [String] == ["economic_buyer", "approver"])
        let rules = try #require(document["rules"] as? [[String: Any]])
        #expect(rules.count == 6)
        #expect((rules.first?["source"] as? String)?.hasPrefix("rule coach_on_large_deals") == true)
    }

    static let acme = "Tests/golden/export/json.mapl"

    /// A fresh empty folder for files a test writes.
    static func scratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("-o writes the same text as stdout, atomically, leaving no temporary file")
    func outputFile() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("acme.mmd")
        // No --format: the extension .mmd chooses Mermaid.
        let written = try MaplProcess.run(["export", "-o", target.path, Self.acme], stdin: "")
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.isEmpty)
        let printed = try MaplProcess.run(["export", "--format", "mermaid", Self.acme], stdin: "")
        #expect(try String(contentsOf: target, encoding: .utf8) == printed.stdout)
        #expect(printed.stdout.contains("flowchart TB"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["acme.mmd"])
    }

    @Test("a plan with errors: diagnostics, exit 65, and the output file is left as it was")
    func planWithErrors() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("plan.json")
        try "old contents".write(to: target, atomically: true, encoding: .utf8)
        let result = try MaplProcess.run(["export", "--format", "json", "-o", target.path, "Tests/golden/export/plan_errors.mapl"], stdin: "")
        #expect(result.status == 65)
        #expect(result.stderr.contains("plan_errors.mapl:3:36: error: 'fan' is not a support level"))
        #expect(try String(contentsOf: target, encoding: .utf8) == "old contents")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["plan.json"])
    }

    @Test("an output file that cannot be written: exit 73 and a clear message")
    func unwritableOutput() throws {
        let result = try MaplProcess.run(["export", "--format", "json", "-o", "/nonexistent-folder/plan.json", Self.acme], stdin: "")
        #expect(result.status == 73)
        #expect(result.stderr.hasPrefix("mapl export: cannot write '/nonexistent-folder/plan.json'"))
    }

    @Test("svg and png render through Graphviz dot")
    func graphvizRendering() throws {
        let svg = try MaplProcess.run(["export", "--format", "svg", Self.acme], stdin: "")
        #expect(svg.status == 0, "\(svg.stderr)")
        #expect(svg.stdout.contains("<svg"))
        #expect(svg.stdout.contains("Kenji 田中"))
        #expect(svg.stdout.contains("Zoë &quot;Z&quot; O&#39;Neil"))
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("map.png")
        let png = try MaplProcess.run(["export", "-o", target.path, Self.globex], stdin: "")
        #expect(png.status == 0, "\(png.stderr)")
        let bytes = try Data(contentsOf: target)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }

    @Test("without Graphviz: how to install it, exit 69, nothing written")
    func graphvizMissing() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("map.svg")
        for program in ["/nonexistent/dot", "no-such-dot-program"] {
            let result = try MaplProcess.run(["export", "--format", "svg", "-o", target.path, Self.acme], stdin: "",
                                             environment: ["MAPL_DOT": program])
            #expect(result.status == 69)
            #expect(result.stderr.contains("Graphviz is not installed"))
            #expect(result.stderr.contains("apt-get install graphviz"))
            #expect(!FileManager.default.fileExists(atPath: target.path))
        }
        // The heat maps and the built-in layout need no Graphviz.
        let builtin = try MaplProcess.run(["export", "--format", "svg", "--layout", "builtin", Self.acme], stdin: "",
                                          environment: ["MAPL_DOT": "/nonexistent/dot"])
        #expect(builtin.status == 0)
        #expect(builtin.stdout.hasPrefix("<svg"))
    }

    @Test("a failing dot program: its message and exit 70")
    func graphvizFails() throws {
        let result = try MaplProcess.run(["export", "--format", "svg", Self.acme], stdin: "", environment: ["MAPL_DOT": "/bin/false"])
        #expect(result.status == 70)
        #expect(result.stderr.contains("/bin/false failed (exit 1)"))
    }
}
