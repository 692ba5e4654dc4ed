// Who reaches whom within N influence lines (`influencers`, `influenced`): a
// breadth-first search over the graph's adjacency arrays, answered nearest first, then
// in declaration order.
//
// Speed matters here (an editor asks as the user types; a scale check holds it to 5x
// networkx on 100k people and 1M lines), so the search works on raw buffers that live as long as the graph and are reused by every
// query: a query costs what it visits, not the size of the graph. Each layer is put in
// declaration (node) order with a bitmap over the nodes, which for the big outer layers
// is cheaper than any comparison sort: set one bit per node, then read the words back.

/// Buffers for reach queries over a graph of `count` nodes, allocated on the first query.
/// Every index written is a node number below `count` (the graph's arrays guarantee it),
/// and each node enters `found` at most once per query, so they never overflow.
final class ReachScratch {
    let count: Int
    /// A node is visited in the current query when its mark equals `generation`.
    let visited: UnsafeMutablePointer<UInt32>
    var generation: UInt32 = 0
    /// The query's own node, then the nodes found, layer after layer.
    let found: UnsafeMutablePointer<Int32>
    /// One bit per node; all clear between queries (ordering a layer clears what it set).
    let bits: UnsafeMutablePointer<UInt64>
    let wordCount: Int
    /// One bit per word of `bits` that has a bit set; all clear between queries.
    let summary: UnsafeMutablePointer<UInt64>

    init(count: Int) {
        self.count = count
        visited = .allocate(capacity: max(count, 1))
        visited.initialize(repeating: 0, count: max(count, 1))
        found = .allocate(capacity: count + 1)
        found.initialize(repeating: 0, count: count + 1)
        wordCount = (count + 63) / 64 + 1
        bits = .allocate(capacity: wordCount)
        bits.initialize(repeating: 0, count: wordCount)
        summary = .allocate(capacity: wordCount / 64 + 1)
        summary.initialize(repeating: 0, count: wordCount / 64 + 1)
    }

    deinit {
        visited.deallocate()
        found.deallocate()
        bits.deallocate()
        summary.deallocate()
    }

    /// A fresh mark for a new query (clearing the old marks once when it wraps around).
    func nextMark() -> UInt32 {
        generation &+= 1
        if generation == 0 {
            visited.update(repeating: 0, count: max(count, 1))
            generation = 1
        }
        return generation
    }
}

extension InfluenceGraph {
    /// People who reach `node` within `steps` lines (upstream when `upstream`), nearest
    /// first, then in declaration order. The node itself is not included.
    public func within(_ node: Int, steps: Int, upstream: Bool) -> [(node: Int, distance: Int)] {
        reach(node, steps: steps, upstream: upstream) { nodes, layerEnds in
            var found: [(node: Int, distance: Int)] = []
            found.reserveCapacity(nodes.count)
            var layer = 0
            for (index, person) in nodes.enumerated() {
                while index >= layerEnds[layer] { layer += 1 }
                found.append((Int(person), layer + 1))
            }
            return found
        }
    }

    /// The people `within` finds, as the stakeholder values of a list.
    func peopleWithin(_ node: Int, steps: Int, upstream: Bool) -> ListObject {
        reach(node, steps: steps, upstream: upstream) { nodes, _ in
            ListObject(ContiguousArray(nodes.map { Value.entity(people[Int($0)]) }))
        }
    }

    /// Breadth-first search from `node`, one layer at a time; hands `body` the nodes found
    /// (each layer in node order) and where each layer ends in them. The buffer is only
    /// valid inside `body`. (Not for concurrent use: a plan belongs to one session.)
    func reach<Result>(_ node: Int, steps: Int, upstream: Bool, _ body: (UnsafeBufferPointer<Int32>, [Int]) -> Result) -> Result {
        let scratch: ReachScratch
        if let existing = reachScratch, existing.count == people.count {
            scratch = existing
        } else {
            scratch = ReachScratch(count: people.count)
            reachScratch = scratch
        }
        guard node >= 0, node < scratch.count, steps >= 1 else { return body(UnsafeBufferPointer(start: nil, count: 0), []) }
        let mark = scratch.nextMark()
        let visited = scratch.visited, found = scratch.found
        var layerEnds: [Int] = []
        let starts = upstream ? inStart : outStart
        let neighbours = upstream ? inSource : outTarget
        let end = starts.withUnsafeBufferPointer { start in
            neighbours.withUnsafeBufferPointer { next in
                visited[node] = mark
                found[0] = Int32(node)
                // found[frontier ..< layerStart] is the last layer, found[layerStart ..< end] the one being found.
                var frontier = 0, layerStart = 1, end = 1
                while layerEnds.count < steps && frontier < layerStart {
                    for index in frontier..<layerStart {
                        let current = Int(found[index])
                        for edge in Int(start[current])..<Int(start[current + 1]) {
                            let neighbour = next[edge]
                            if visited[Int(neighbour)] != mark {
                                visited[Int(neighbour)] = mark
                                found[end] = neighbour
                                end += 1
                            }
                        }
                    }
                    if end == layerStart { break }
                    InfluenceGraph.orderLayer(UnsafeMutableBufferPointer(start: found + layerStart, count: end - layerStart), bits: scratch.bits, summary: scratch.summary)
                    layerEnds.append(end - 1)  // counted without the query's own node at found[0]
                    frontier = layerStart
                    layerStart = end
                }
                return end
            }
        }
        return body(UnsafeBufferPointer(start: found + 1, count: end - 1), layerEnds)
    }

    /// Puts distinct node numbers in increasing order. Small layers use the standard sort;
    /// bigger ones set a bit per node in `bits`, and a bit per word of `bits` in `summary`
    /// (both all clear on entry, left clear), then read back only the words that have a
    /// bit set. (Reading every word between the smallest and the largest node cost a
    /// mispredicted branch on about every other word of a sparse layer.)
    static func orderLayer(_ layer: UnsafeMutableBufferPointer<Int32>, bits: UnsafeMutablePointer<UInt64>, summary: UnsafeMutablePointer<UInt64>) {
        var nodes = layer
        guard nodes.count > 32 else {
            nodes.sort()
            return
        }
        var smallest = Int32.max, largest = Int32.min
        for node in nodes {
            smallest = min(smallest, node)
            largest = max(largest, node)
        }
        guard smallest >= 0 else {
            nodes.sort()
            return
        }
        for node in nodes {
            let word = Int(node) >> 6
            bits[word] |= 1 &<< UInt64(node & 63)
            summary[word >> 6] |= 1 &<< UInt64(word & 63)
        }
        var slot = 0
        for group in (Int(smallest) >> 12)...(Int(largest) >> 12) {
            var words = summary[group]
            summary[group] = 0
            while words != 0 {
                let word = group << 6 | words.trailingZeroBitCount
                words &= words &- 1
                var set = bits[word]
                bits[word] = 0
                let base = Int32(word << 6)
                while set != 0 {
                    nodes[slot] = base | Int32(set.trailingZeroBitCount)
                    slot += 1
                    set &= set &- 1
                }
            }
        }
    }
}
