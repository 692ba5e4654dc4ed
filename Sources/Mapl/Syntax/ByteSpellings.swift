// A few fixed words found by their UTF-8 bytes (keywords, entity kinds): the lexer and
// the parser see most of a plan's words, and making a String of each to look it up
// would cost more than reading it.

import Foundation

/// Fixed words, each with its meaning, looked up by their bytes.
struct ByteSpellings<Meaning: Sendable>: Sendable {
    private let words: [(bytes: [UInt8], meaning: Meaning)]
    /// The longest word's length: longer byte runs are no word.
    let longest: Int

    init(_ words: [(String, Meaning)]) {
        self.words = words.map { (Array($0.0.utf8), $0.1) }
        longest = self.words.map(\.bytes.count).max() ?? 0
    }

    /// The meaning of the word spelled by `bytes`, if it is one of these.
    func meaning(of bytes: UnsafeBufferPointer<UInt8>) -> Meaning? {
        guard bytes.count <= longest, let start = bytes.baseAddress else { return nil }
        for (spelling, meaning) in words where spelling.count == bytes.count && spelling.first == bytes.first {
            if spelling.withUnsafeBufferPointer({ $0.baseAddress.map { memcmp($0, start, bytes.count) == 0 } ?? false }) { return meaning }
        }
        return nil
    }
}
