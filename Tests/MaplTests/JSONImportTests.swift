// `mapl import json`: the round trip export → import → export gives the same JSON and
// a plan that checks (on the Globex example and on a plan with every kind); problems
// are reported with their JSON path and nothing is written; the JSON reader itself.

import Foundation
import Testing
@testable import Mapl

@Suite("import json")
struct JSONImportTests {
    static let plans = ["examples/globex/plan.mapl", "Tests/import/json/every_kind.mapl", "Tests/golden/export/json.mapl",
                        "examples/course/meridian/plan.mapl",
                        "Tests/golden/plan/money/currency.mapl", "Tests/import/json/swiss_francs.mapl"]

    @Test(arguments: plans)
    func roundTrip(_ plan: String) throws {
        let folder = try scratchFolder("json")
        let first = try MaplProcess.run(["export", "--format", "json", plan], stdin: "")
        #expect(first.status == 0, "\(first.stderr)")
        let json = folder.appendingPathComponent("plan.json").path
        try first.stdout.write(toFile: json, atomically: true, encoding: .utf8)
        let imported = folder.appendingPathComponent("imported.mapl").path
        let importing = try MaplProcess.run(["import", "json", json, "-o", imported], stdin: "")
        #expect(importing.status == 0, "\(importing.stderr)")
        #expect(importing.stderr.hasPrefix("mapl: wrote \(imported): "))
        let check = try MaplProcess.run(["check", imported], stdin: "")
        #expect(check.status == 0, "\(check.stderr)")
        #expect(!check.stderr.contains(": error: "))
        let second = try MaplProcess.run(["export", "--format", "json", imported], stdin: "")
        #expect(second.status == 0)
        #expect(second.stdout == first.stdout, "export → import → export gives the same JSON")
        // The same rule warnings as the original plan (sorted: findings come in reading
        // order, and a plan of several files comes back as one).
        let original = try MaplProcess.run(["check", plan], stdin: "")
        let warnings = { (text: String) in text.split(separator: "\n").filter { $0.contains(": warning: ") }.map { $0.split(separator: ": warning: ").last ?? "" } }
        #expect(warnings(check.stderr).sorted() == warnings(original.stderr).sorted())
    }

    @Test func everyKindIsCovered() throws {
        let result = try MaplProcess.run(["export", "--format", "json", "Tests/import/json/every_kind.mapl"], stdin: "")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let entities = try #require(document["entities"] as? [String: [Any]])
        for kind in Schema.kinds { #expect(entities[kind.name]?.isEmpty == false, "no \(kind.name) in every_kind.mapl") }
        #expect((document["definitions"] as? [Any])?.count == 2)
        #expect((document["rules"] as? [Any])?.count == 1)
    }

    @Test func problemsHaveJSONPaths() throws {
        let folder = try scratchFolder("json-bad")
        let output = folder.appendingPathComponent("plan.mapl").path
        let result = try MaplProcess.run(["import", "json", "Tests/import/json/bad.json", "-o", output], stdin: "")
        #expect(result.status == 65)
        try expectSnapshot(result.stderr, "Tests/import/json/bad.stderr")
        #expect(!FileManager.default.fileExists(atPath: output), "nothing is written")
    }

    @Test func invalidJSONFormatAndVersion() throws {
        let syntax = try MaplProcess.run(["import", "json", "-"], stdin: "{\n  \"format\": \"mapl-plan\",\n  \"version\": 1,\n  \"entities\": {\"unit\": [}\n}\n")
        #expect(syntax.status == 65)
        #expect(syntax.stderr == "<stdin>: line 4, column 25: error: expected a value, found '}'\n")
        let format = try MaplProcess.run(["import", "json", "-"], stdin: "{\"format\": \"something-else\", \"version\": 1}")
        #expect(format.stderr.hasPrefix("<stdin>: $.format: error: expected \"mapl-plan\", found the string \"something-else\""))
        let version = try MaplProcess.run(["import", "json", "-"], stdin: "{\"format\": \"mapl-plan\", \"version\": 2, \"entities\": {}}")
        #expect(version.status == 65)
        #expect(version.stderr == "<stdin>: $.version: error: unsupported version the number 2; this mapl reads version 1\n")
        let empty = try MaplProcess.run(["import", "json", "-"], stdin: "")
        #expect(empty.stderr == "<stdin>: line 1, column 1: error: unexpected end of text, expected a value\n")
        #expect(try MaplProcess.run(["import", "json", "no/such.json"], stdin: "").status == 66)
        #expect(try MaplProcess.run(["import", "json"], stdin: "").status == 64)
    }

    /// Code carried in the JSON that does not check is bad input: exit 65, nothing written.
    @Test func codeThatDoesNotCheck() throws {
        let json = """
            {"format": "mapl-plan", "version": 1, "entities": {},
             "rules": [{"id": "r", "title": null, "source": "rule r for o in opportunities { expect: o.value > nope }"}]}
            """
        let result = try MaplProcess.run(["import", "json", "-"], stdin: json)
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("<stdin> as .mapl:3:"))
        #expect(result.stderr.hasSuffix("mapl: the imported plan does not pass check; nothing written\n"))
    }

    /// Data never becomes statements that run: each definition must be one `fn` or one
    /// `let` (whose value does not print, export or read files), each rule one `rule`,
    /// each import a standard-library module. Anything else is an error at its JSON
    /// path, and nothing is written.
    @Test(arguments: [
        (#""definitions": [{"name": "x", "source": "print(\"pwned\")"}]"#,
         "$.definitions[0].source: error: expected a definition ('fn …' or 'let …'), found another statement"),
        (#""definitions": [{"name": "f", "source": "fn f() => 1\nprint(2)"}]"#,
         "$.definitions[0].source: error: expected one statement, found 2"),
        (#""definitions": [{"name": "x", "source": "let x = print(1)"}]"#,
         "$.definitions[0].source: error: a definition's value may not use 'print' (it would run when the plan runs)"),
        (#""definitions": [{"name": "x", "source": "let x = if true { open_plan(\"a\") } else { 1 }"}]"#,
         "$.definitions[0].source: error: a definition's value may not use 'open_plan' (it would run when the plan runs)"),
        (#""definitions": [{"name": "x", "source": "let x = ("}]"#,
         "$.definitions[0].source: error: the code does not parse: "),
        (#""rules": [{"id": "r", "title": null, "source": "rule r for o in opportunities { expect: true }\nprint(1)"}]"#,
         "$.rules[0].source: error: expected one statement, found 2"),
        (#""rules": [{"id": "r", "title": null, "source": "let r = 1"}]"#,
         "$.rules[0].source: error: expected a rule ('rule …'), found another statement"),
        (#""imports": ["people.mapl"]"#,
         "$.imports[0]: error: expected a standard-library module such as \"std/scoring\", found the string \"people.mapl\""),
        (#""imports": ["std/nosuchmodule"]"#,
         "$.imports[0]: error: expected a standard-library module such as \"std/scoring\", found the string \"std/nosuchmodule\""),
    ])
    func codeIsOnlyDefinitionsRulesAndModules(_ member: String, _ message: String) throws {
        let folder = try scratchFolder("json-code")
        let output = folder.appendingPathComponent("plan.mapl").path
        let json = #"{"format": "mapl-plan", "version": 1, "entities": {}, "# + member + "}"
        let result = try MaplProcess.run(["import", "json", "-", "-o", output], stdin: json)
        #expect(result.status == 65)
        #expect(result.stderr.contains("<stdin>: " + message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output), "nothing is written")
    }

    /// A plan that imports a standard-library module comes back with the import, not
    /// with copies of the module's functions.
    @Test func importsStayImports() throws {
        let exported = try MaplProcess.run(["export", "--format", "json", "examples/course/meridian/plan.mapl"], stdin: "")
        #expect(exported.stdout.contains("\"imports\": [\"std/rules\"]"))
        let imported = try MaplProcess.run(["import", "json", "-"], stdin: exported.stdout)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("\nimport \"std/rules\"\n"))
        let stdlibFunctions = try String(contentsOf: MaplProcess.root.appendingPathComponent("stdlib/rules.mapl"), encoding: .utf8)
            .split(separator: "\n").filter { $0.hasPrefix("fn ") }
        #expect(!stdlibFunctions.isEmpty)
        for function in stdlibFunctions { #expect(!imported.stdout.contains(function), "copied from std/rules: \(function)") }
    }

    // MARK: - The JSON reader

    @Test func parserKeepsOrderAndExactNumbers() throws {
        let json = try JSONParser.parse(#"{"b": 1, "a": [1100000.05, -0.5, 2e3], "c": {"z": null, "y": true}, "s": "\u00e9\ud83d\ude00\n\"/"}"#).get()
        #expect(json == .object([
            ("b", .number("1")),
            ("a", .array([.number("1100000.05"), .number("-0.5"), .number("2e3")])),
            ("c", .object([("z", .null), ("y", .bool(true))])),
            ("s", .string("é😀\n\"/")),
        ]))
    }

    @Test func parserErrorsHavePlaces() {
        func error(_ text: String) -> String {
            guard case .failure(let error) = JSONParser.parse(text) else { return "parsed" }
            return "\(error.line):\(error.column) \(error.message)"
        }
        #expect(error("[1, 2") == "1:6 unexpected end of text, expected ',' or ']'")
        #expect(error("{\"a\" 1}") == "1:6 expected ':' after the member name, found '1'")
        #expect(error("[01]") == "1:2 a number cannot start with 0")
        #expect(error("\"tab\there\"") == "1:5 a control character (9) in a string must be escaped")
        #expect(error("\"\\x\"") == "1:2 invalid escape '\\x' in a string")
        #expect(error("[1] x") == "1:5 unexpected 'x' after the JSON value")
        #expect(error(String(repeating: "[", count: 600)) == "1:513 nesting is too deep (more than 512 levels)")
        #expect(error("{\"a\": 1, \"b\": 2, \"a\": 3}") == "1:18 the member \"a\" is given twice")
        let big = "{" + (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + ", \"k7\": 0}"
        #expect(error(big).hasSuffix("the member \"k7\" is given twice"))
        #expect(error("\"\\ud83d\"") == "1:8 a \\u escape for a high surrogate must be followed by its low surrogate")
    }

    @Test func valueDecoding() {
        #expect(PlanJSONDecoder.money("1100000") == Money(cents: 110_000_000, currency: .unstated))
        #expect(PlanJSONDecoder.money("-0.5") == Money(cents: -50, currency: .unstated))
        #expect(PlanJSONDecoder.money("1.5e6") == Money(cents: 150_000_000, currency: .unstated))
        #expect(PlanJSONDecoder.money("1.005") == nil)
        #expect(PlanJSONDecoder.duration("P1Y6M") == Duration(months: 18, days: 0))
        #expect(PlanJSONDecoder.duration("P2W3D") == Duration(months: 0, days: 17))
        #expect(PlanJSONDecoder.duration("-P3M") == Duration(months: -3, days: 0))
        #expect(PlanJSONDecoder.duration("P") == nil)
        #expect(PlanJSONDecoder.duration("P3X") == nil)
    }
}
