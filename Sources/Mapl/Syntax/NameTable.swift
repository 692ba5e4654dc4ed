// Interned spellings of names for the compact forms of a large plan (LineBatch): each
// distinct name becomes a small integer once, hashed straight from the source bytes,
// so the million repeated names of a plan's lines cost one cheap lookup each instead of
// a String made, hashed and compared at every phase.

import Foundation

/// Distinct names, numbered in the order first seen. Open addressing; the table doubles
/// at three quarters full. A slot holds the name's hash and length, its symbol and its
/// first eight bytes, so that a lookup of a short name (most ids) reads one slot and
/// nothing else: with a hundred thousand names, every other array read is a cache miss.
/// Used by one parser, then only read: the parser lets go of the table when it is done
/// (`finishInterning`), and the spellings stay.
final class NameTable: @unchecked Sendable {
    // Unchecked exclusivity: the table is used by one parser, never re-entered, and this
    // is the hot loop of reading a large plan (checks were a third of its cost).
    @exclusivity(unchecked) private var slots = [Slot](repeating: Slot(), count: 1024)
    /// Per symbol, its slot's tag (for growing the table).
    @exclusivity(unchecked) private var tags: [UInt32] = []
    /// The UTF-8 spelling of each symbol, back to back (no `String` per symbol: 16 bytes
    /// each, where most spellings take six).
    @exclusivity(unchecked) private var spellings: [UInt8] = []
    @exclusivity(unchecked) private var spellingStarts: [Int32] = [0]

    private struct Slot {
        /// The hash's high 24 bits and the length (up to 255) in the low 8.
        var tag: UInt32 = 0
        /// The symbol + 1, or 0 when the slot is empty.
        var symbolPlusOne: Int32 = 0
        /// The first eight bytes of the spelling, zero-padded.
        var prefix: UInt64 = 0
    }

    var count: Int { tags.count }

    /// The symbol for a spelling, made on first sight.
    func intern(_ name: ArraySlice<UInt8>) -> Int32 {
        name.withUnsafeBufferPointer { intern($0) }
    }

    /// The symbol for the spelling at `span` of a source's bytes (without making a
    /// slice, which costs a reference count on the source: this is the hot loop).
    func intern(_ span: Span, of bytes: SourceBytes) -> Int32 {
        bytes.withUnsafeBufferPointer { buffer in
            let start = Int(min(max(0, span.start), Int32(buffer.count))), end = Int(min(max(span.start, span.end), Int32(buffer.count)))
            return intern(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
    }

    /// The symbols for many spellings at once, in order (as `intern` one by one would
    /// number them). With a large table every lookup is a cache miss; here the slots of
    /// all the names are first read in one loop of independent loads, which the processor
    /// overlaps, so the lookups proper find them in the cache.
    func intern(_ spans: [Span], of bytes: SourceBytes) -> [Int32] {
        bytes.withUnsafeBufferPointer { buffer in
            let names = spans.map { span in
                let start = Int(min(max(0, span.start), Int32(buffer.count))), end = Int(min(max(span.start, span.end), Int32(buffer.count)))
                return UnsafeBufferPointer(rebasing: buffer[start..<end])
            }
            let hashes = names.map(NameTable.hash)
            if slots.isEmpty { rebuild(size: NameTable.size(holding: count + 1)) }
            let mask = slots.count - 1
            var touched: UInt32 = 0
            slots.withUnsafeBufferPointer { slots in
                for hash in hashes { touched &+= slots[Int(hash >> 8) & mask].tag }
            }
            lastTouch = touched  // (kept, so that the loads are not optimized away)
            return zip(names, hashes).map { intern($0, hash: $1) }
        }
    }

    /// The sum of the tags read by the last `intern(_:of:)` of many names.
    private var lastTouch: UInt32 = 0

    func intern(_ name: UnsafeBufferPointer<UInt8>) -> Int32 {
        intern(name, hash: NameTable.hash(name))
    }

    private static func hash(_ name: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in name { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        // FNV's low bits mix poorly (ids like s1234 differ in a few low bits); the table
        // indexes by them, so finish with murmur3's avalanche.
        hash ^= hash >> 16
        hash = hash &* 0x85EB_CA6B
        hash ^= hash >> 13
        hash = hash &* 0xC2B2_AE35
        hash ^= hash >> 16
        return hash
    }

    private func intern(_ name: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int32 {
        var prefix: UInt64 = 0
        for (index, byte) in name.prefix(8).enumerated() { prefix |= UInt64(byte) << (8 * UInt64(index)) }
        let tag = hash & ~0xFF | UInt32(min(name.count, 255))
        if slots.isEmpty { rebuild(size: NameTable.size(holding: count + 1)) }
        let mask = slots.count - 1
        var slot = Int(hash >> 8) & mask
        let found: Int32? = slots.withUnsafeBufferPointer { slots in
            while slots[slot].symbolPlusOne != 0 {
                let candidate = slots[slot]
                if candidate.tag == tag, candidate.prefix == prefix {
                    let symbol = candidate.symbolPlusOne - 1
                    // Same length (the tag has it, up to 255) and first eight bytes: the
                    // rest, if any, decides.
                    if name.count <= 8 { return symbol }
                    if sameRest(of: symbol, as: name) { return symbol }
                }
                slot = (slot + 1) & mask
            }
            return nil
        }
        if let found { return found }
        let symbol = Int32(tags.count)
        tags.append(tag)
        spellings.append(contentsOf: name)
        spellingStarts.append(Int32(spellings.count))
        slots[slot] = Slot(tag: tag, symbolPlusOne: symbol + 1, prefix: prefix)
        if tags.count * 4 > slots.count * 3 { rebuild(size: slots.count * 2) }
        return symbol
    }

    /// Whether the spelling of `symbol` (as long as `name`, with the same first eight
    /// bytes) has the same bytes after those.
    private func sameRest(of symbol: Int32, as name: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(spellingStarts[Int(symbol)]), end = Int(spellingStarts[Int(symbol) + 1])
        guard end - start == name.count, let base = name.baseAddress else { return false }
        return spellings.withUnsafeBufferPointer { spellings in
            guard let stored = spellings.baseAddress else { return false }
            return memcmp(stored + start + 8, base + 8, name.count - 8) == 0
        }
    }

    func text(_ symbol: Int32) -> String {
        let start = Int(spellingStarts[Int(symbol)]), end = Int(spellingStarts[Int(symbol) + 1])
        return spellings.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    /// The spelling's length in bytes (names are ASCII identifiers: also its columns).
    func length(_ symbol: Int32) -> Int32 { spellingStarts[Int(symbol) + 1] - spellingStarts[Int(symbol)] }

    /// Lets go of the hash table once no more names will be interned (the parser is
    /// done): the spellings stay. A later `intern` builds the table again.
    func finishInterning() { slots = [] }

    /// The smallest table size (a power of two) at most three quarters full with `count` names.
    private static func size(holding count: Int) -> Int {
        var size = 1024
        while count * 4 > size * 3 { size *= 2 }
        return size
    }

    private func rebuild(size: Int) {
        slots = [Slot](repeating: Slot(), count: size)
        let mask = slots.count - 1
        for symbol in tags.indices {
            var slot = Int(tags[symbol] >> 8) & mask
            while slots[slot].symbolPlusOne != 0 { slot = (slot + 1) & mask }
            var prefix: UInt64 = 0
            let start = Int(spellingStarts[symbol])
            for index in 0..<min(8, Int(spellingStarts[symbol + 1]) - start) {
                prefix |= UInt64(spellings[start + index]) << (8 * UInt64(index))
            }
            slots[slot] = Slot(tag: tags[symbol], symbolPlusOne: Int32(symbol) + 1, prefix: prefix)
        }
    }
}
