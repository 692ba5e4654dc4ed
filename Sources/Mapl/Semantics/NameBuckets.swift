// A hash index from names to positions in an array its owner keeps (the global names,
// the plan's entities). A dictionary from name to value takes 24–48 bytes a bucket and
// a bucket per 0.75 names; a large plan has 150,000 ids in two such tables. Here a
// bucket is 4 bytes, and the names are read from the owner's array.

/// Open addressing with linear probing; at most three quarters full. Each bucket holds a
/// position + 1, or 0 when empty. A position whose name is gone (`name(at:)` is nil)
/// keeps its bucket, so that probes pass over it.
struct NameBuckets {
    private var buckets: [Int32] = []

    /// The bucket of `name`: where it is, with its position, or where it would go.
    func find(_ name: String, name nameAt: (Int) -> String?) -> (bucket: Int, position: Int?) {
        guard !buckets.isEmpty else { return (0, nil) }
        let mask = buckets.count - 1
        var bucket = name.hashValue & mask
        while buckets[bucket] != 0 {
            let position = Int(buckets[bucket]) - 1
            if nameAt(position) == name { return (bucket, position) }
            bucket = (bucket + 1) & mask
        }
        return (bucket, nil)
    }

    /// Records `position` (the last of `count` positions) in `bucket`, found empty by
    /// `find`; rebuilds the table when it gets too full.
    mutating func insert(_ position: Int, at bucket: Int, count: Int, name nameAt: (Int) -> String?) {
        if buckets.isEmpty || count * 4 > buckets.count * 3 {
            rebuild(holding: count, count: count, name: nameAt)
        } else {
            buckets[bucket] = Int32(position + 1)
        }
    }

    /// Makes room for `holding` positions, rebuilding the table from the `count`
    /// positions there are when it must grow.
    mutating func reserve(_ holding: Int, count: Int, name nameAt: (Int) -> String?) {
        var size = max(buckets.count, 64)
        while holding * 4 > size * 3 { size *= 2 }
        if size != buckets.count { rebuild(holding: holding, count: count, name: nameAt) }
    }

    private mutating func rebuild(holding: Int, count: Int, name nameAt: (Int) -> String?) {
        var size = max(buckets.count, 64)
        while holding * 4 > size * 3 { size *= 2 }
        buckets = [Int32](repeating: 0, count: size)
        let mask = size - 1
        for position in 0..<count {
            guard let name = nameAt(position) else { continue }
            var bucket = name.hashValue & mask
            while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
            buckets[bucket] = Int32(position + 1)
        }
    }
}
