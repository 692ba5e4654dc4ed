// The stakeholder graph as adjacency arrays (compressed rows), not dictionaries of
// names: informal influence lines with strengths, plus the formal reporting line.
//
// Strength composition: a line's strength is a share in (0, 1] (weak 0.3, medium 0.6,
// strong 0.9, or a percentage); a path is as strong as the product of its lines, so
// the strongest path is the shortest one under the weight -ln(strength).

import Foundation

public final class InfluenceGraph {
    /// Stakeholders in declaration order; a node is an index into this array.
    public let people: [Entity]
    private let nodeOf: [Entity: Int32]
    // Out-edges of node n: outTarget[outStart[n] ..< outStart[n+1]], likewise in-edges.
    let outStart: [Int32], outTarget: [Int32], outStrength: [Double]
    let inStart: [Int32], inSource: [Int32], inStrength: [Double]
    /// The node each person formally reports to, or -1.
    private let manager: [Int32]
    /// Buffers reused by the reach queries (InfluenceReach.swift), made by the first one.
    var reachScratch: ReachScratch?

    init(plan: Plan) {
        guard let stakeholderKind = Schema.kind(named: "stakeholder"), let influenceKind = Schema.kind(named: "influence") else {
            people = []; nodeOf = [:]; outStart = [0]; outTarget = []; outStrength = []
            inStart = [0]; inSource = []; inStrength = []; manager = []
            return
        }
        let people = plan.entities(of: stakeholderKind)
        self.people = people
        var nodeOf: [Entity: Int32] = [:]
        nodeOf.reserveCapacity(people.count)
        for (index, person) in people.enumerated() { nodeOf[person] = Int32(index) }
        self.nodeOf = nodeOf

        var edges: [(from: Int32, to: Int32, strength: Double)] = []
        edges.reserveCapacity(plan.count(of: influenceKind))
        let medium = Scales.strength.value(named: "medium")?.rank ?? 0.6
        plan.forEachLine(of: influenceKind) { from, to, strength in
            guard let a = nodeOf[from], let b = nodeOf[to] else { return }
            edges.append((a, b, strength?.rank ?? medium))
        }
        let count = people.count
        func compress(_ key: (Int) -> Int32, _ other: (Int) -> Int32) -> ([Int32], [Int32], [Double]) {
            var start = [Int32](repeating: 0, count: count + 1)
            for edge in edges.indices { start[Int(key(edge)) + 1] += 1 }
            for node in 0..<count { start[node + 1] += start[node] }
            var fill = start
            var target = [Int32](repeating: 0, count: edges.count)
            var strength = [Double](repeating: 0, count: edges.count)
            for edge in edges.indices {
                let slot = Int(fill[Int(key(edge))])
                target[slot] = other(edge)
                strength[slot] = edges[edge].strength
                fill[Int(key(edge))] += 1
            }
            return (start, target, strength)
        }
        (outStart, outTarget, outStrength) = compress({ edges[$0].from }, { edges[$0].to })
        (inStart, inSource, inStrength) = compress({ edges[$0].to }, { edges[$0].from })

        var manager = [Int32](repeating: -1, count: count)
        for (index, person) in people.enumerated() {
            if case .entity(let boss)? = person["reports_to"], let node = nodeOf[boss] { manager[index] = node }
        }
        self.manager = manager
    }

    public func node(of entity: Entity) -> Int? { nodeOf[entity].map(Int.init) }

    /// The path from `source` to `target` whose product of strengths is greatest
    /// (Dijkstra on -ln strength); nil when `target` cannot be reached.
    public func strongestPath(from source: Int, to target: Int) -> (path: [Int], strength: Double)? {
        var cost = [Double](repeating: .infinity, count: people.count)
        var previous = [Int32](repeating: -1, count: people.count)
        var done = [Bool](repeating: false, count: people.count)
        var heap = MinHeap()
        cost[source] = 0
        heap.push(0, Int32(source))
        while let (currentCost, current) = heap.pop() {
            let node = Int(current)
            if done[node] { continue }
            done[node] = true
            if node == target { break }
            if currentCost > cost[node] { continue }
            for edge in Int(outStart[node])..<Int(outStart[node + 1]) {
                let strength = outStrength[edge]
                guard strength > 0 else { continue }
                let neighbour = Int(outTarget[edge])
                let candidate = currentCost - Foundation.log(min(strength, 1))
                if candidate < cost[neighbour] {
                    cost[neighbour] = candidate
                    previous[neighbour] = current
                    heap.push(candidate, Int32(neighbour))
                }
            }
        }
        guard cost[target].isFinite else { return nil }
        var path = [target]
        var node = target
        while node != source {
            node = Int(previous[node])
            if node < 0 { return nil }
            path.append(node)
        }
        return (path.reversed(), Foundation.exp(-cost[target]))
    }

    /// PageRank over influence lines weighted by strength, as networkx computes it
    /// (damping 0.85, dangling people spread evenly, tolerance 1e-6 × n, 100 rounds).
    public func pageRank(damping: Double = 0.85, tolerance: Double = 1e-6, maxRounds: Int = 100) -> [Double] {
        let n = people.count
        guard n > 0 else { return [] }
        var outWeight = [Double](repeating: 0, count: n)
        for node in 0..<n {
            for edge in Int(outStart[node])..<Int(outStart[node + 1]) { outWeight[node] += outStrength[edge] }
        }
        var rank = [Double](repeating: 1 / Double(n), count: n)
        for _ in 0..<maxRounds {
            var dangling = 0.0
            for node in 0..<n where outWeight[node] == 0 { dangling += rank[node] }
            var next = [Double](repeating: (1 - damping) / Double(n) + damping * dangling / Double(n), count: n)
            for node in 0..<n where outWeight[node] > 0 {
                let share = damping * rank[node] / outWeight[node]
                for edge in Int(outStart[node])..<Int(outStart[node + 1]) {
                    next[Int(outTarget[edge])] += share * outStrength[edge]
                }
            }
            var error = 0.0
            for node in 0..<n { error += abs(next[node] - rank[node]) }
            rank = next
            if error < Double(n) * tolerance { break }
        }
        return rank
    }

    /// The formal line upwards: manager, their manager, … (stops at a cycle).
    public func chainOfCommand(_ node: Int) -> [Int] {
        var chain: [Int] = []
        var seen: Set<Int> = [node]
        var current = Int(manager[node])
        while current >= 0, seen.insert(current).inserted {
            chain.append(current)
            current = Int(manager[current])
        }
        return chain
    }

    /// Direct influencers (upstream) or influenced people (downstream) with strengths.
    public func neighbours(_ node: Int, upstream: Bool) -> [(node: Int, strength: Double)] {
        let start = upstream ? inStart : outStart
        let next = upstream ? inSource : outTarget
        let strength = upstream ? inStrength : outStrength
        return (Int(start[node])..<Int(start[node + 1])).map { (Int(next[$0]), strength[$0]) }
    }

    public var edgeCount: Int { outTarget.count }
}

/// A binary min-heap of (cost, node) for Dijkstra.
struct MinHeap {
    private var items: [(Double, Int32)] = []

    mutating func push(_ cost: Double, _ node: Int32) {
        items.append((cost, node))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if items[parent].0 <= items[child].0 { break }
            items.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> (Double, Int32)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count, items[left].0 < items[smallest].0 { smallest = left }
                if right < items.count, items[right].0 < items[smallest].0 { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
