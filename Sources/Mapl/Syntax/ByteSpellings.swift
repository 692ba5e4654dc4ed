// A few fixed words found by their UTF-8 bytes (entity kinds; the lexer numbers names and
// keywords itself, see FixedNames): making a String of each word to look it up would
// cost more than reading it. Most words looked up are none of these, so a lookup
// first rejects by length and first byte, which costs a few instructions.

import Foundation

/// Fixed words, each with its meaning, looked up by their bytes.
struct ByteSpellings<Meaning: Sendable>: Sendable {
    /// The words, shortest first, so that the words of one length are together.
    private let words: [(bytes: [UInt8], meaning: Meaning)]
    /// For each length up to `longest`, where its words start in `words`; one more entry
    /// marks the end of the last.
    private let starts: [Int]
    /// For each length up to `longest`, a bit per first byte of its words (bit `byte & 63`:
    /// a filter, which lets through other bytes with the same low six bits).
    private let firstBytes: [UInt64]
    /// The longest word's length: longer byte runs are no word.
    let longest: Int

    init(_ words: [(String, Meaning)]) {
        self.words = words.map { (Array($0.0.utf8), $0.1) }.sorted { $0.bytes.count < $1.bytes.count }
        longest = self.words.last?.bytes.count ?? 0  // (the words are sorted by length)
        var starts = [Int](repeating: self.words.count, count: longest + 2)
        var firstBytes = [UInt64](repeating: 0, count: longest + 1)
        for (index, word) in self.words.enumerated().reversed() {
            starts[word.bytes.count] = index
            if let first = word.bytes.first { firstBytes[word.bytes.count] |= 1 << (first & 63) }
        }
        // A length without words starts where the next longer one does.
        for length in stride(from: longest, through: 0, by: -1) where starts[length] > starts[length + 1] {
            starts[length] = starts[length + 1]
        }
        self.starts = starts
        self.firstBytes = firstBytes
    }

    /// The meaning of the word spelled by `bytes`, if it is one of these.
    @inline(__always)
    func meaning(of bytes: UnsafeBufferPointer<UInt8>) -> Meaning? {
        let length = bytes.count
        guard length <= longest, length > 0, firstBytes[length] >> (bytes[0] & 63) & 1 != 0 else { return nil }
        return candidate(bytes)
    }

    /// The meaning of `bytes` among the words of its length (1...longest).
    @inline(never)  // (rarely reached: kept out of the callers' loops)
    private func candidate(_ bytes: UnsafeBufferPointer<UInt8>) -> Meaning? {
        guard let start = bytes.baseAddress else { return nil }
        for index in starts[bytes.count]..<starts[bytes.count + 1] where words[index].bytes[0] == bytes[0] {
            // (Each word here has `bytes.count` bytes, one or more.)
            if words[index].bytes.withUnsafeBufferPointer({ $0.baseAddress.map { memcmp($0, start, bytes.count) == 0 } ?? false }) {
                return words[index].meaning
            }
        }
        return nil
    }
}
