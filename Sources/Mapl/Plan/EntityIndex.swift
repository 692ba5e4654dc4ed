// A plan's entities by declared id, without a copy of the ids: they are in the plan's
// tables already.

/// Entities by declared id, as an open-addressing hash table (linear probing) of
/// references into the plan's tables: 8 bytes a slot, where a dictionary from id to
/// entity takes 32 (a plan names hundreds of people, and a portfolio opens hundreds
/// of plans). The ids are not kept here: each lookup compares with the id in the
/// table, through the `id` function the caller passes.
struct EntityIndex {
    /// A reference to a row of a kind's table.
    struct Reference: Equatable {
        let kind: Int
        let row: Int
    }

    /// 0: empty; 1: an entry removed (probing goes on past it); else the kind ordinal
    /// in the high 32 bits and the row, plus 2, in the low.
    private var slots: [UInt64] = []
    /// Entries, and slots taken by entries or removed ones.
    private(set) var count = 0
    private var taken = 0

    private static let empty: UInt64 = 0, removed: UInt64 = 1

    private static func encode(_ reference: Reference) -> UInt64 {
        UInt64(truncatingIfNeeded: reference.kind) << 32 | (UInt64(truncatingIfNeeded: reference.row) + 2)
    }

    private static func decode(_ slot: UInt64) -> Reference {
        Reference(kind: Int(slot >> 32), row: Int(slot & 0xFFFF_FFFF) - 2)
    }

    /// The entry for `key`, if there is one.
    func find(_ key: String, id: (Reference) -> String) -> Reference? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var index = EntityIndex.hash(key) & mask
        while true {
            let slot = slots[index]
            if slot == EntityIndex.empty { return nil }
            if slot != EntityIndex.removed, id(EntityIndex.decode(slot)) == key { return EntityIndex.decode(slot) }
            index = (index + 1) & mask
        }
    }

    /// Makes `reference` the entry for `key`, in place of any before.
    mutating func insert(_ key: String, _ reference: Reference, id: (Reference) -> String) {
        reserve(count + 1, id: id)
        let mask = slots.count - 1
        var index = EntityIndex.hash(key) & mask
        var free: Int?
        while true {
            let slot = slots[index]
            if slot == EntityIndex.empty { break }
            if slot == EntityIndex.removed {
                if free == nil { free = index }
            } else if id(EntityIndex.decode(slot)) == key {
                slots[index] = EntityIndex.encode(reference)
                return
            }
            index = (index + 1) & mask
        }
        if let free {
            index = free
        } else {
            taken += 1
        }
        slots[index] = EntityIndex.encode(reference)
        count += 1
    }

    /// Takes out the entry for `key` if it is `reference`.
    mutating func remove(_ key: String, ifItIs reference: Reference, id: (Reference) -> String) {
        guard !slots.isEmpty else { return }
        let mask = slots.count - 1
        var index = EntityIndex.hash(key) & mask
        while slots[index] != EntityIndex.empty {
            if slots[index] == EntityIndex.encode(reference) {
                slots[index] = EntityIndex.removed
                count -= 1
                return
            }
            index = (index + 1) & mask
        }
    }

    /// Makes room for `total` entries, at most three quarters of the slots taken
    /// (counting removed ones, which a new table leaves behind).
    mutating func reserve(_ total: Int, id: (Reference) -> String) {
        guard (taken + max(0, total - count)) * 4 > slots.count * 3 else { return }
        var size = 8
        while size * 3 < total * 4 { size *= 2 }
        let old = slots
        slots = Array(repeating: EntityIndex.empty, count: size)
        count = 0
        taken = 0
        let mask = size - 1
        for slot in old where slot > EntityIndex.removed {
            var index = EntityIndex.hash(id(EntityIndex.decode(slot))) & mask
            while slots[index] != EntityIndex.empty { index = (index + 1) & mask }
            slots[index] = slot
            count += 1
            taken += 1
        }
    }

    /// The hash of an id (see `SeededHash`).
    static func hash(_ text: String) -> Int { Int(truncatingIfNeeded: SeededHash.of(text)) }
}
