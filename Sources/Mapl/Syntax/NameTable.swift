// Interned spellings of names for the compact forms of a large plan (LineBatch): each
// distinct name becomes a small integer once, hashed straight from the source bytes,
// so the million repeated names of a plan's lines cost one cheap lookup each instead of
// a String made, hashed and compared at every phase.

import Foundation

/// Distinct names, numbered in the order first seen. Open addressing over FNV-1a hashes
/// of the bytes; the table doubles at half full. Used by one parser, then only read.
final class NameTable: @unchecked Sendable {
    // Unchecked exclusivity: the table is used by one parser, never re-entered, and this
    // is the hot loop of reading a large plan (checks were a third of its cost).
    /// The slot holds symbol + 1, or 0 when empty.
    @exclusivity(unchecked) private var slots: [Int32] = Array(repeating: 0, count: 1024)
    @exclusivity(unchecked) private var hashes: [UInt32] = []
    @exclusivity(unchecked) private var texts: [String] = []
    /// The UTF-8 spelling of each symbol, back to back.
    @exclusivity(unchecked) private var spellings: [UInt8] = []
    @exclusivity(unchecked) private var spellingStarts: [Int32] = [0]

    var count: Int { texts.count }

    /// The symbol for a spelling, made on first sight.
    func intern(_ name: ArraySlice<UInt8>) -> Int32 {
        name.withUnsafeBufferPointer { intern($0) }
    }

    func intern(_ name: UnsafeBufferPointer<UInt8>) -> Int32 {
        var hash: UInt32 = 2_166_136_261
        for byte in name { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        // FNV's low bits mix poorly (ids like s1234 differ in a few low bits); the table
        // indexes by low bits, so finish with murmur3's avalanche.
        hash ^= hash >> 16
        hash = hash &* 0x85EB_CA6B
        hash ^= hash >> 13
        hash = hash &* 0xC2B2_AE35
        hash ^= hash >> 16
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        let found: Int32? = slots.withUnsafeBufferPointer { slots in
            hashes.withUnsafeBufferPointer { hashes in
                spellings.withUnsafeBufferPointer { spellings in
                    spellingStarts.withUnsafeBufferPointer { starts in
                        while slots[slot] != 0 {
                            let symbol = Int(slots[slot] - 1)
                            if hashes[symbol] == hash {
                                let start = Int(starts[symbol]), end = Int(starts[symbol + 1])
                                if end - start == name.count, NameTable.same(spellings.baseAddress.map { $0 + start }, name.baseAddress, name.count) {
                                    return Int32(symbol)
                                }
                            }
                            slot = (slot + 1) & mask
                        }
                        return nil
                    }
                }
            }
        }
        if let found { return found }
        let symbol = Int32(texts.count)
        texts.append(String(decoding: name, as: UTF8.self))
        hashes.append(hash)
        spellings.append(contentsOf: name)
        spellingStarts.append(Int32(spellings.count))
        slots[slot] = symbol + 1
        if texts.count * 2 > slots.count { grow() }
        return symbol
    }

    private static func same(_ a: UnsafePointer<UInt8>?, _ b: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
        guard count > 0 else { return true }
        guard let a, let b else { return false }
        return memcmp(a, b, count) == 0
    }

    func text(_ symbol: Int32) -> String { texts[Int(symbol)] }

    /// The spelling's length in bytes (names are ASCII identifiers: also its columns).
    func length(_ symbol: Int32) -> Int32 { spellingStarts[Int(symbol) + 1] - spellingStarts[Int(symbol)] }

    private func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for symbol in hashes.indices {
            var slot = Int(hashes[symbol]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(symbol) + 1
        }
    }
}
