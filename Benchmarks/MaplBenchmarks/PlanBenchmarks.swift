// Plan benchmarks at the scale: one generated plan of 100,000 stakeholders,
// 1,000,000 influence lines and 50,000 opportunities (ScalePlan, ~60 MB of text).
//
//   plan: lex+parse          Parser.parse of the whole text             (bytes/s)
//   plan: check              Session.check: parse, resolve, every declaration
//                            against the schema, the rules               (bytes/s)
//   plan: build              a new Session running the plan's declarations
//                            (bytes/s; heap bytes the built plan keeps, as "memory
//                            leaked"; resident bytes per stakeholder; the influence
//                            graph's build time)
//   plan: influencers        InfluenceGraph.within(s, steps: 3, upstream) for four
//                            fixed people, and the same through `influencers(s, 3)`
//   plan: strongest path     InfluenceGraph.strongestPath for four fixed pairs, and
//                            the same through `strongest_path(a, b)`
//   plan: baseline           the built-ins' script without the query (Session.run of
//                            a small source: parse, resolve, compile, loop)
//
// The text (and, for the queries, the built session) is made once per process, in the
// benchmarks' setup hooks, outside every measurement. Targets from the issue:
// parse+check >= 50 MB/s, <= 1 KB per stakeholder, queries >= 10x networkx
// (Benchmarks/plan_compare.py times networkx on this same plan and checks that the
// answers agree).
//
// MAPL_PLAN_SCALE=0.1 shrinks every count (for a quick run). Run from Benchmarks/:
//   swift package --allow-writing-to-package-directory benchmark --filter "plan.*"

import Benchmark
import Foundation
import Mapl

func planBenchmarks() {
    let scale = ProcessInfo.processInfo.environment["MAPL_PLAN_SCALE"].flatMap(Double.init) ?? 1
    let size = ScalePlan.Size.full.scaled(scale)
    let tag = "\(size.stakeholders / 1000)k people, \(size.lines / 1000)k lines, \(size.opportunities / 1000)k deals"
    let heavy: [BenchmarkMetric] = [
        .wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, PlanMetrics.bytesPerSecond,
    ]
    // Each iteration of these takes seconds: a few are enough.
    func once(_ metrics: [BenchmarkMetric]) -> Benchmark.Configuration {
        .init(metrics: metrics, warmupIterations: 0, scalingFactor: .one, maxDuration: .seconds(60), maxIterations: 3,
              setup: { _ = PlanText.get(size) })
    }
    func queries(_ metrics: [BenchmarkMetric]) -> Benchmark.Configuration {
        .init(metrics: metrics, warmupIterations: 3, scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 10_000,
              setup: { _ = PlanFixture.get(size).graph })
    }
    let queryMetrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident]

    Benchmark("plan: lex+parse (\(tag))", configuration: once(heavy)) { benchmark in
        let fixture = PlanText.get(size)
        let start = ContinuousClock.now
        let (program, diagnostics) = Parser.parse(fixture.source)
        let elapsed = ContinuousClock.now - start
        precondition(diagnostics.isEmpty, "the scale plan does not parse: \(diagnostics.prefix(3))")
        blackHole(program.statements.count)
        benchmark.measurement(PlanMetrics.bytesPerSecond, PlanMetrics.rate(bytes: fixture.byteCount, elapsed))
    }

    Benchmark("plan: check (\(tag))", configuration: once(heavy)) { benchmark in
        let fixture = PlanText.get(size)
        let session = Session(output: { _ in })
        let start = ContinuousClock.now
        let diagnostics = session.check(fixture.source)
        let elapsed = ContinuousClock.now - start
        precondition(!diagnostics.contains { $0.severity == .error }, "the scale plan does not check: \(diagnostics.prefix(3))")
        blackHole(diagnostics.count)
        benchmark.measurement(PlanMetrics.bytesPerSecond, PlanMetrics.rate(bytes: fixture.byteCount, elapsed))
    }

    Benchmark(
        "plan: build, Session.run of the declarations (\(tag))",
        configuration: once(heavy + [.memoryLeakedBytes, PlanMetrics.residentPerStakeholder, PlanMetrics.graphBuildMilliseconds])
    ) { benchmark in
        let fixture = PlanText.get(size)
        do {
            let before = PlanMetrics.residentSetBytes()
            let start = ContinuousClock.now
            let session = PlanFixture.build(fixture.text)
            let elapsed = ContinuousClock.now - start
            // What follows is not part of building the plan; "memory leaked (bytes)" is
            // the heap the built plan keeps (allocated and not freed by this point).
            benchmark.stopMeasurement()
            benchmark.measurement(PlanMetrics.bytesPerSecond, PlanMetrics.rate(bytes: fixture.byteCount, elapsed))
            let graphStart = ContinuousClock.now
            let graph = session.machine.plan.graph
            let graphElapsed = ContinuousClock.now - graphStart
            benchmark.measurement(PlanMetrics.graphBuildMilliseconds, Int(PlanMetrics.seconds(graphElapsed) * 1000))
            // Resident memory the built plan and its graph hold, over the stakeholders.
            let after = PlanMetrics.residentSetBytes()
            benchmark.measurement(PlanMetrics.residentPerStakeholder, max(0, after - before) / max(1, graph.people.count))
            blackHole(graph.edgeCount)
            withExtendedLifetime(session) {}
        }
        PlanMetrics.trimMalloc()  // give the freed plan back, so the next iteration's RSS delta is its own
    }

    Benchmark("plan: influencers within 3 steps, 4 people, InfluenceGraph.within (\(tag))", configuration: queries(queryMetrics)) { benchmark in
        let fixture = PlanFixture.get(size)
        let graph = fixture.graph
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for node in fixture.targets {
                blackHole(graph.within(node, steps: 3, upstream: true).count)
            }
        }
    }

    Benchmark("plan: influencers(s, 3), 4 people, the built-in through Session.run (\(tag))", configuration: queries(queryMetrics)) { benchmark in
        let fixture = PlanFixture.get(size)
        let source = fixture.influencersQuery
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            PlanFixture.expectSuccess(fixture.session.run(source), "influencers query")
        }
    }

    // What Session.run of such a small script costs without the query (parse, resolve,
    // compile, loop): subtract it from the two built-in benchmarks.
    Benchmark("plan: the same loop without a query, through Session.run: baseline (\(tag))", configuration: queries(queryMetrics)) { benchmark in
        let fixture = PlanFixture.get(size)
        let source = fixture.baselineQuery
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            PlanFixture.expectSuccess(fixture.session.run(source), "baseline query")
        }
    }

    Benchmark("plan: strongest path, 4 pairs, InfluenceGraph.strongestPath (\(tag))", configuration: queries(queryMetrics)) { benchmark in
        let fixture = PlanFixture.get(size)
        let graph = fixture.graph
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            for (from, to) in fixture.pairs {
                blackHole(graph.strongestPath(from: from, to: to)?.path.count ?? 0)
            }
        }
    }

    Benchmark("plan: strongest_path(a, b), 4 pairs, the built-in through Session.run (\(tag))", configuration: queries(queryMetrics)) { benchmark in
        let fixture = PlanFixture.get(size)
        let source = fixture.pathsQuery
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            PlanFixture.expectSuccess(fixture.session.run(source), "strongest_path query")
        }
    }
}

/// The generated plan's text, and as a source: made once per process (by the first
/// benchmark's setup hook) and shared.
final class PlanText: @unchecked Sendable {
    let text: String
    let source: SourceFile
    let byteCount: Int

    private static let lock = NSLock()
    nonisolated(unsafe) private static var made: PlanText?

    static func get(_ size: ScalePlan.Size) -> PlanText {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let made = PlanText(size)
        self.made = made
        return made
    }

    private init(_ size: ScalePlan.Size) {
        text = ScalePlan.text(size)
        source = SourceMap().add(name: "scale.mapl", text: text)
        byteCount = text.utf8.count
    }
}

/// A session that has run the generated plan, its influence graph and the query
/// scripts: made once per process, for the query benchmarks.
final class PlanFixture: @unchecked Sendable {
    let session: Session
    let graph: InfluenceGraph
    let targets: [Int]
    let pairs: [(Int, Int)]
    let influencersQuery: SourceFile
    let pathsQuery: SourceFile
    let baselineQuery: SourceFile

    private static let lock = NSLock()
    nonisolated(unsafe) private static var made: PlanFixture?

    static func get(_ size: ScalePlan.Size) -> PlanFixture {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let fixture = PlanFixture(size)
        made = fixture
        return fixture
    }

    static func build(_ text: String) -> Session {
        let session = Session(output: { _ in })
        let source = session.addSource(name: "scale.mapl", text: text)
        expectSuccess(session.run(source), "the scale plan")
        return session
    }

    private init(_ size: ScalePlan.Size) {
        session = PlanFixture.build(PlanText.get(size).text)
        graph = session.machine.plan.graph
        let (targetIDs, pairIDs) = ScalePlan.queries(size)
        let node = { [graph, session] (index: Int) -> Int in
            guard let entity = session.machine.plan.entity(id: "s\(index)"), let node = graph.node(of: entity) else {
                fatalError("no stakeholder s\(index) in the scale plan")
            }
            return node
        }
        targets = targetIDs.map(node)
        pairs = pairIDs.map { (node($0.0), node($0.1)) }
        let people = "[" + targetIDs.map { "s\($0)" }.joined(separator: ", ") + "]"
        let from = "[" + pairIDs.map { "s\($0.0)" }.joined(separator: ", ") + "]"
        let to = "[" + pairIDs.map { "s\($0.1)" }.joined(separator: ", ") + "]"
        influencersQuery = session.addSource(name: "influencers.mapl", text: "for p in \(people) { let found = influencers(p, 3) }\n")
        pathsQuery = session.addSource(name: "paths.mapl", text: """
            let path_from = \(from)
            let path_to = \(to)
            for i in 0..len(path_from) - 1 { let found = strongest_path(path_from[i], path_to[i]) }

            """)
        baselineQuery = session.addSource(name: "baseline.mapl", text: "for p in \(people) { let found = p }\n")
        session.allowRedeclaration = true  // the query scripts declare their names on every run
        PlanFixture.expectSuccess(session.run(influencersQuery), "influencers query")
        PlanFixture.expectSuccess(session.run(pathsQuery), "strongest_path query")
        PlanFixture.expectSuccess(session.run(baselineQuery), "baseline query")
    }

    static func expectSuccess(_ outcome: Outcome, _ what: String) {
        switch outcome {
        case .success: return
        case .rejected(let diagnostics): fatalError("\(what) was rejected: \(diagnostics.prefix(3))")
        case .failed(let error): fatalError("\(what) failed: \(error)")
        }
    }
}

enum PlanMetrics {
    /// Plan bytes handled per second by one call (bigger is better).
    static let bytesPerSecond = BenchmarkMetric.custom("plan bytes/s", polarity: .prefersLarger, useScalingFactor: false)
    /// Resident memory kept by the built plan and its graph, per stakeholder.
    static let residentPerStakeholder = BenchmarkMetric.custom("resident B/stakeholder", polarity: .prefersSmaller, useScalingFactor: false)
    /// Building the influence graph from the built plan (its first use).
    static let graphBuildMilliseconds = BenchmarkMetric.custom("graph build ms", polarity: .prefersSmaller, useScalingFactor: false)

    static func seconds(_ elapsed: Swift.Duration) -> Double {
        let (seconds, attoseconds) = elapsed.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    static func rate(bytes: Int, _ elapsed: Swift.Duration) -> Int {
        let total = seconds(elapsed)
        return total > 0 ? Int(Double(bytes) / total) : 0
    }

    /// Returns freed heap memory to the system (glibc's malloc_trim, looked up at run
    /// time: it is not in the Glibc module). Does nothing elsewhere.
    static func trimMalloc() {
        #if os(Linux)
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        }
        #endif
    }

    /// The process's resident set now (Linux: /proc/self/statm), or 0 where unknown.
    static func residentSetBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
