// Numbers for names, given straight from the source bytes: a plan repeats the same few
// thousand names (ids, scale words, field names) many times, and a name is hashed and
// compared as bytes, made a String only the first time. The lexer numbers each name as
// it reads it (hashing the bytes in the same pass); the parser then works with numbers.

import Foundation

/// Names numbered in order of first use (0, 1, 2, …), found by their UTF-8 bytes.
struct NameInterner: Sendable {
    private(set) var names: [String] = []
    private var hashes: [UInt32] = []
    /// Every name's bytes, one after another: a probe compares against these rather than
    /// against the `String` (which would retain and release it on every look).
    private var spellings: [UInt8] = []
    /// Name `n` is `spellings[ends[n - 1] ..< ends[n]]` (from 0 for the first): no
    /// allocation until a name is added.
    private var ends: [Int32] = []
    /// Open addressing with linear probing, at most three quarters full: a name's number
    /// plus one, or 0 for an empty bucket.
    private var buckets: [Int32] = []

    var count: Int { names.count }

    subscript(symbol: Int32) -> String { names[Int(symbol)] }

    /// The number of the name spelled by `bytes`, given on first use.
    mutating func symbol(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        symbol(bytes, hash: SeededHash.of(bytes))
    }

    /// The number of the name spelled by `bytes`, whose `SeededHash` is `fullHash` (the
    /// lexer hashes a name while it reads it), given on first use.
    @inline(__always)
    mutating func symbol(_ bytes: UnsafeBufferPointer<UInt8>, hash fullHash: UInt64) -> Int32 {
        let hash = UInt32(truncatingIfNeeded: fullHash)
        let mask = buckets.count - 1
        if mask > 0 {
            var bucket = Int(hash) & mask
            while true {
                let entry = buckets[bucket]
                if entry == 0 { break }
                let symbol = Int(entry) - 1
                if hashes[symbol] == hash, spells(symbol, bytes) { return Int32(symbol) }
                bucket = (bucket + 1) & mask
            }
        }
        return add(bytes, hash: hash)
    }

    /// Numbers a name not seen before.
    @inline(never)  // (once per distinct name: kept out of the lexer's loop)
    private mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int32 {
        if buckets.isEmpty { buckets = Array(repeating: 0, count: 256) }
        let mask = buckets.count - 1
        var bucket = Int(hash) & mask
        while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
        let symbol = names.count
        names.append(String(decoding: bytes, as: UTF8.self))
        hashes.append(hash)
        spellings.append(contentsOf: bytes)
        ends.append(Int32(spellings.count))
        buckets[bucket] = Int32(symbol + 1)
        if names.count * 4 > buckets.count * 3 { rehash(buckets.count * 2) }
        return Int32(symbol)
    }

    /// The number of `name`, given on first use.
    mutating func symbol(_ name: String) -> Int32 {
        var name = name
        return name.withUTF8 { symbol($0) }
    }

    private mutating func rehash(_ size: Int) {
        buckets = Array(repeating: 0, count: size)
        let mask = size - 1
        for (symbol, hash) in hashes.enumerated() {
            var bucket = Int(hash) & mask
            while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
            buckets[bucket] = Int32(symbol + 1)
        }
    }

    /// Whether name `symbol` is spelled by `bytes`.
    private func spells(_ symbol: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = symbol == 0 ? 0 : Int(ends[symbol - 1]), end = Int(ends[symbol])
        guard end - start == bytes.count else { return false }
        return spellings.withUnsafeBufferPointer { stored in
            guard let left = stored.baseAddress, let right = bytes.baseAddress else { return true }  // (both empty)
            return memcmp(left + start, right, bytes.count) == 0
        }
    }
}

/// The hash of names and ids in mapl's own tables (the name interner, the plan's index
/// of ids): FNV-1a over the bytes, a few instructions a byte where `Hasher` seeds and
/// finalizes a SipHash for each, from a start drawn once per process, so that a crafted
/// plan cannot count on its names colliding (the tables probe linearly).
enum SeededHash {
    private static let seed = UInt64.random(in: 1...UInt64.max)

    /// The hash of `bytes`, folded so that its low bits depend on every byte.
    static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash = start
        for byte in bytes { hash = adding(byte, to: hash) }
        return finished(hash)
    }

    // The same hash a byte at a time, for a reader that hashes while it scans (begin
    // with `start`, add each byte, then `finished`).
    static var start: UInt64 { 0xcbf2_9ce4_8422_2325 ^ seed }
    @inline(__always)
    static func adding(_ byte: UInt8, to hash: UInt64) -> UInt64 { (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    @inline(__always)
    static func finished(_ hash: UInt64) -> UInt64 { hash ^ (hash >> 32) }

    /// The hash of a text's UTF-8.
    static func of(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { of($0) }
    }
}

/// The names every lexer numbers first, so that they have the same numbers in every
/// text: the keywords (the names numbered below `keywords.count`, which is how the lexer
/// tells a keyword), then the words the parser asks about (entity kinds, `import`,
/// `rule`, the query words that end a field's value, the fields of a shorthand line).
struct FixedNames: Sendable {
    static let shared = FixedNames()

    /// A table of names holding these, to number a text's names from.
    let interner: NameInterner
    /// Keyword `n`'s token kind.
    let keywords: [TokenKind]
    let importWord, ruleWord, whereWord, sortWord, groupWord: Int32
    let fromWord, toWord, strengthWord: Int32
    /// For each fixed name, the ordinal of the entity kind it spells, or -1 (a name
    /// numbered later spells no kind).
    let kindOrdinals: [Int16]

    private init() {
        var interner = NameInterner()
        let keywords = TokenKind.keywords.sorted { $0.value.rawValue < $1.value.rawValue }
        for (spelling, _) in keywords { _ = interner.symbol(spelling) }
        self.keywords = keywords.map(\.value)
        (importWord, ruleWord) = (interner.symbol("import"), interner.symbol("rule"))
        (whereWord, sortWord, groupWord) = (interner.symbol("where"), interner.symbol("sort"), interner.symbol("group"))
        (fromWord, toWord, strengthWord) = (interner.symbol("from"), interner.symbol("to"), interner.symbol("strength"))
        let kinds = Schema.kinds.map { (interner.symbol($0.name), $0.ordinal) }
        var kindOrdinals = [Int16](repeating: -1, count: interner.count)
        for (name, ordinal) in kinds { kindOrdinals[Int(name)] = Int16(ordinal) }
        self.kindOrdinals = kindOrdinals
        self.interner = interner
    }
}
