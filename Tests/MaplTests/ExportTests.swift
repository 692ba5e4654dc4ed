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
}
