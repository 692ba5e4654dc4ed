// Lists of people counted without atomic instructions (Runtime/ThreadConfinedCounts.swift):
// however scripts keep, copy, change and drop the lists `influencers` and `influenced`
// answer with, every count taken is given back, no more and no fewer. A count given back
// twice would free a person the plan still holds (and crash); one never given back would
// keep the person alive after the plan is gone. (The count is compared within one session:
// a session that defines a function is never freed, a leak older than these lists.)

import Foundation
import Foundation
import Testing
@testable import Mapl

@Suite("thread-confined counts")
struct ThreadConfinedCountsTests {
    /// A script that keeps, copies, changes and drops reach lists in every way it can. Its
    /// work is done in a function, so that nothing but `kept` and `whole` outlives it.
    static let churn = """
        let kept = []
        let whole = []
        fn churn() {
          for i in 0..199 {
            let found = influencers(s399, 3)
            push(kept, found[0])
            if i % 20 == 0 { push(whole, found) }
            let grown = influenced(s0, 2)
            push(grown, [found, {who: grown[0]}])
            push(grown, "not a person")
            let noted = influencers(s399, 1)
            push(noted, "a note")
            let names = [p.name for p in found if p.id != "s3"]
            let sorted = sort(influencers(s250, 2))
            let reused = found
            found = influencers(s10, 1)
            for p in reused { reused = [] }
          }
        }
        churn()
        print(len(kept), len(whole), len(whole[0]))
        """

    @Test("every count a reach list takes is given back, whatever a script does with the list")
    func countsBalance() throws {
        let plan = InfluenceReachTests.generatedPlan(people: 400, lines: 4_000, seed: 11)
        var printed: [String] = []
        let outcome = withLargeStack { () -> (before: UInt, during: UInt, after: UInt, reached: Bool)? in
            let session = Session(output: { printed.append($0) })
            guard session.loadPlan(session.addSource(name: "<plan>", text: plan.text)).isEmpty,
                  let person = session.machine.plan.entity(id: "s3") else { return nil }
            let reached = session.machine.plan.graph.within(399, steps: 3, upstream: true).contains { $0.node == 3 }
            let before = _getRetainCount(person)
            _ = session.run(session.addSource(name: "<churn>", text: Self.churn))
            // The script's globals still hold 200 kept people and 10 whole lists.
            let during = _getRetainCount(person)
            _ = session.run(session.addSource(name: "<drop>", text: "kept = []\nwhole = []\n"))
            return (before, during, _getRetainCount(person), reached)
        }
        let counts = try #require(outcome, "the generated plan should load")
        #expect(counts.reached, "s3 should be among the people the script's lists hold")
        #expect(printed.joined().contains("200 10"), "the script should run to its end: \(printed)")
        #expect(counts.during > counts.before, "the lists the script keeps hold s3")
        #expect(counts.after == counts.before, "once the script drops its lists, s3's count is what it was")
    }

    @Test("each answer fills reused storage with exactly its own people, and answers kept alive keep theirs")
    func recycledStorage() throws {
        let plan = InfluenceReachTests.generatedPlan(people: 400, lines: 4_000, seed: 5)
        let mismatches = withLargeStack { () -> [String]? in
            let session = Session(output: { _ in })
            guard session.loadPlan(session.addSource(name: "<plan>", text: plan.text)).isEmpty else { return nil }
            let graph = session.machine.plan.graph
            func ids(_ list: ListObject) -> [String] {
                list.items.map { if case .entity(let person) = $0 { person.id } else { "?" } }
            }
            var kept: [(list: ListObject, expected: [String])] = []
            var mismatches: [String] = []
            // Answers of every size in turn (so the storage shrinks and grows), some kept.
            for (round, start) in [399, 0, 250, 399, 10, 300, 7, 399, 0].enumerated() {
                let steps = 1 + round % 3, upstream = round % 2 == 0
                let expected = InfluenceReachTests.expectedReach(from: start, steps: steps, edges: plan.edges, upstream: upstream).map { "s\($0)" }
                let list = graph.peopleWithin(start, steps: steps, upstream: upstream)
                if ids(list) != expected { mismatches.append("round \(round): \(ids(list).count) people, expected \(expected.count)") }
                if round % 3 == 0 { kept.append((list, expected)) }
            }
            for (index, answer) in kept.enumerated() where ids(answer.list) != answer.expected {
                mismatches.append("kept answer \(index) changed")
            }
            // A small answer made after a big one was freed does not take the big storage.
            _ = graph.peopleWithin(399, steps: 6, upstream: true)
            let small = graph.peopleWithin(0, steps: 1, upstream: true)
            if small.items.capacity > 2 * small.items.count + 64 {
                mismatches.append("\(small.items.count) people in storage for \(small.items.capacity)")
            }
            return mismatches
        }
        #expect(try #require(mismatches, "the generated plan should load") == [])
    }

    /// Every line that makes a thread or shares a type across threads unchecked, by file:
    /// each was checked against the rule in Runtime/ThreadConfinedCounts.swift (a value
    /// holding an entity goes from one thread to another only once the first is done).
    static let checkedThreadSites: [String: Int] = [
        "Fuzz/Sources/MaplFuzz/CompactDifferential.swift": 1,
        "Fuzz/Sources/MaplFuzz/FuzzTarget.swift": 9,
        "Fuzz/Sources/MaplReplay/main.swift": 1,
        "Sources/Mapl/Diagnostics/Diagnostic.swift": 1,
        "Sources/Mapl/Diagnostics/Source.swift": 1,
        "Sources/Mapl/Diagnostics/SourceBytes.swift": 2,  // immutable bytes, no values
        "Sources/Mapl/Export/Graphviz.swift": 3,
        "Sources/Mapl/Session.swift": 2,
        "Sources/Mapl/Syntax/DeclarationBatch.swift": 1,
        "Sources/Mapl/Syntax/LineBatch.swift": 1,
        "Sources/Mapl/Syntax/NameTable.swift": 1,
        "Sources/Mapl/Syntax/TokenSupply.swift": 2,
        "Sources/MaplREPL/ReplDriver.swift": 1,
        "Sources/mapl/Terminal.swift": 1,
    ]

    @Test("every place that makes a thread or shares a type unchecked has been checked against the counting rule")
    func threadSites() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let markers = ["@unchecked Sendable", "nonisolated(unsafe)", "Thread {", "Thread(", "DispatchQueue", "Task {", "Task.detached", "pthread_create"]
        var found: [String: Int] = [:]
        for folder in ["Sources", "Fuzz/Sources"] {
            let enumerator = try #require(FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil))
            for case let file as URL in enumerator where file.pathExtension == "swift" {
                let text = try String(contentsOf: file, encoding: .utf8)
                let hits = text.split(separator: "\n").filter { line in
                    !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") && markers.contains { line.contains($0) }
                }
                if !hits.isEmpty { found[String(file.path.dropFirst(root.path.count + 1)), default: 0] += hits.count }
            }
        }
        #expect(found == Self.checkedThreadSites, """
            A thread or an unchecked Sendable type was added or removed. Check that no value \
            holding an entity is used by two threads at once (Runtime/ThreadConfinedCounts.swift), \
            then update checkedThreadSites.
            """)
    }
}
