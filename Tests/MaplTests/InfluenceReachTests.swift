// The reach queries behind influencers/influenced (InfluenceReach.swift): the layer
// ordering on its own (small layers, big dense ones through the bitmap, big sparse ones
// through the fallback sort), and whole answers on a generated plan big enough for
// layers of hundreds of people, against a plain breadth-first search written here.
// (SplitMix, the seeded generator, is FormatPerturbationTests.swift's.)

import Foundation
import Testing
@testable import Mapl

@Suite("influence reach")
struct InfluenceReachTests {
    @Test("orderLayer sorts distinct nodes of every layer size and spread, and leaves the bitmap clear",
          arguments: [(0, 10), (1, 10), (7, 50), (32, 40), (33, 40), (100, 300), (900, 100_000), (5_000, 6_000), (4_000, 4_100), (40, 100_000), (300, 1_000_000)])
    func orderLayer(size: Int, range: Int) {
        var random = SplitMix(state: UInt64(size * 31 + range))
        var chosen = Set<Int32>()
        while chosen.count < size { chosen.insert(Int32.random(in: 0..<Int32(range), using: &random)) }
        var nodes = Array(chosen).shuffled(using: &random)
        let words = range / 64 + 1
        var bits = [UInt64](repeating: 0, count: words)
        var summary = [UInt64](repeating: 0, count: words / 64 + 1)
        nodes.withUnsafeMutableBufferPointer { layer in
            bits.withUnsafeMutableBufferPointer { bits in
                summary.withUnsafeMutableBufferPointer { summary in
                    guard let bits = bits.baseAddress, let summary = summary.baseAddress else { return }
                    InfluenceGraph.orderLayer(layer, bits: bits, summary: summary)
                }
            }
        }
        #expect(nodes == chosen.sorted())
        #expect(bits.allSatisfy { $0 == 0 }, "orderLayer must leave the bitmap clear for the next layer")
        #expect(summary.allSatisfy { $0 == 0 }, "orderLayer must leave the summary clear for the next layer")
    }

    @Test("orderLayer with the scratch's own bitmaps, for graphs whose size is a multiple of 4,096 and one more",
          arguments: [4_096, 4_097, 8_192])
    func orderLayerWithScratch(people: Int) {
        let scratch = ReachScratch(count: people)
        var random = SplitMix(state: UInt64(people))
        var chosen = Set<Int32>([Int32(people - 1), 0])
        while chosen.count < 200 { chosen.insert(Int32.random(in: 0..<Int32(people), using: &random)) }
        var nodes = Array(chosen).shuffled(using: &random)
        nodes.withUnsafeMutableBufferPointer { layer in
            InfluenceGraph.orderLayer(layer, bits: scratch.bits, summary: scratch.summary)
        }
        #expect(nodes == chosen.sorted())
        #expect((0..<scratch.wordCount).allSatisfy { scratch.bits[$0] == 0 }, "the bitmap is left clear")
        #expect((0..<(scratch.wordCount / 64 + 1)).allSatisfy { scratch.summary[$0] == 0 }, "the summary is left clear")
    }

    /// A plan of `people` stakeholders with random lines, lower numbers influencing more
    /// (like the scale plan), so a few steps reach hundreds of people.
    static func generatedPlan(people: Int, lines: Int, seed: UInt64) -> (text: String, edges: [(Int, Int)]) {
        var random = SplitMix(state: seed)
        var text = ""
        for person in 0..<people { text += "stakeholder s\(person) \"Person \(person)\"\n" }
        var edges: [(Int, Int)] = []
        for _ in 0..<lines {
            let from = min(Int.random(in: 0..<people, using: &random), Int.random(in: 0..<people, using: &random))
            let to = Int.random(in: 0..<people, using: &random)  // self-lines and repeats included on purpose
            edges.append((from, to))
            text += "influence s\(from) -> s\(to) \(Int.random(in: 1...99, using: &random))%\n"
        }
        return (text, edges)
    }

    /// The plain answer: layer by layer with sets, each layer sorted by declaration order.
    static func expectedReach(from start: Int, steps: Int, edges: [(Int, Int)], upstream: Bool) -> [Int] {
        expectedLayers(from: start, steps: steps, edges: edges, upstream: upstream).flatMap { $0 }
    }

    static func expectedLayers(from start: Int, steps: Int, edges: [(Int, Int)], upstream: Bool) -> [[Int]] {
        var next: [Int: [Int]] = [:]
        for (from, to) in edges {
            if upstream { next[to, default: []].append(from) } else { next[from, default: []].append(to) }
        }
        var seen: Set<Int> = [start]
        var layer = [start]
        var layers: [[Int]] = []
        for _ in 0..<steps {
            var found = Set<Int>()
            for node in layer { for other in next[node] ?? [] where !seen.contains(other) { found.insert(other) } }
            seen.formUnion(found)
            layer = found.sorted()
            if layer.isEmpty { break }
            layers.append(layer)
        }
        return layers
    }

    @Test("within gives each person found with their distance, for queries in a row on one graph")
    func withinDistances() throws {
        let plan = Self.generatedPlan(people: 800, lines: 5_000, seed: 7)
        let graph = withLargeStack { () -> InfluenceGraph? in
            let session = Session(output: { _ in })
            let errors = session.loadPlan(session.addSource(name: "<reach>", text: plan.text))
            return errors.isEmpty ? session.machine.plan.graph : nil
        }
        let loaded = try #require(graph, "the generated plan should load")
        // Many queries on the same graph: the reused visited marks must not leak between them.
        var total = 0
        for (index, start) in [799, 0, 400, 799, 13, 650, 0].enumerated() {
            let steps = 1 + index % 4, upstream = index % 2 == 0
            let expected = Self.expectedLayers(from: start, steps: steps, edges: plan.edges, upstream: upstream)
                .enumerated().flatMap { depth, layer in layer.map { "\($0)@\(depth + 1)" } }
            let found = loaded.within(start, steps: steps, upstream: upstream).map { "\($0.node)@\($0.distance)" }
            #expect(found == expected, "within(\(start), steps: \(steps), upstream: \(upstream))")
            total += expected.count
        }
        #expect(total > 300, "the queries should find people at several distances")
    }

    @Test("influencers and influenced on a 3,000-person plan equal a plain breadth-first search")
    func generatedPlanAnswers() throws {
        let plan = Self.generatedPlan(people: 3_000, lines: 24_000, seed: 42)
        let queries: [(person: Int, steps: Int, upstream: Bool)] = [
            (2_999, 3, true), (1_500, 2, true), (17, 3, true), (0, 1, true), (2_000, 4, true),
            (0, 2, false), (5, 3, false), (2_999, 3, false), (1_234, 1, false),
        ]
        var script = plan.text
        for query in queries {
            script += "print(join(\(query.upstream ? "influencers" : "influenced")(s\(query.person), \(query.steps)).id, \",\"))\n"
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-reach-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try script.write(to: folder.appendingPathComponent("reach.mapl"), atomically: true, encoding: .utf8)
        let result = try MaplProcess.run(["run", "reach.mapl"], stdin: "", in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.count >= queries.count, "\(result.stdout)")
        var biggest = 0
        for (query, line) in zip(queries, lines) {
            let expected = Self.expectedReach(from: query.person, steps: query.steps, edges: plan.edges, upstream: query.upstream)
            biggest = max(biggest, expected.count)
            #expect(line == expected.map { "s\($0)" }.joined(separator: ","), "\(query)")
        }
        #expect(biggest > 500, "the plan should make some layers big enough for the bitmap ordering")
    }
}
