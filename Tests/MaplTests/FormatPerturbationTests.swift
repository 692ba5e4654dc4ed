// Canonical means independent of the author's spacing: every corpus file, with its
// indentation, spaces between tokens and blank lines scrambled (line breaks kept, so
// the program means the same), must format to the same text as the original.

import Testing
@testable import Mapl

/// A small deterministic generator (SplitMix64), so a failure can be reproduced.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Perturb {
    /// The text with the whitespace between tokens replaced: random runs of spaces and
    /// tabs inside lines (where tokens were apart or even touching), random indentation,
    /// extra blank lines and carriage returns. Comments and tokens are copied as they are.
    static func scramble(_ text: String, seed: UInt64) -> String {
        var random = SplitMix(state: seed)
        let source = SourceFile(id: 0, name: "t", text: text)
        let bytes = source.bytes
        let tokens = Lexer.lex(source).tokens
        var out: [UInt8] = []
        var previousEnd = 0
        func blanks() -> [UInt8] {
            (0..<Int.random(in: 0...3, using: &random)).map { _ in Bool.random(using: &random) ? 32 : 9 }
        }
        for token in tokens {
            let gap = bytes[previousEnd..<Int(token.start)]
            let pieces = gap.split(separator: 10, omittingEmptySubsequences: false)
            for (number, piece) in pieces.enumerated() {
                let comment = piece.firstIndex(of: UInt8(ascii: "#")).map { Array(bytes[$0..<piece.endIndex]) }
                let isFirst = number == 0 && previousEnd > 0
                if let comment {
                    // Keep a trailing comment where it is: its column is the author's.
                    out += isFirst ? Array(piece) : blanks() + comment
                } else if isFirst && pieces.count == 1 && token.kind != .endOfFile {
                    out += [32] + blanks()  // between two tokens of one line
                } else {
                    out += blanks()
                }
                if number < pieces.count - 1 {
                    if Bool.random(using: &random) { out.append(13) }
                    out.append(10)
                    // A blank line may become several (a comment line must not gain one).
                    if number > 0, comment == nil, Int.random(in: 0..<3, using: &random) == 0 { out.append(10) }
                }
            }
            out += bytes[Int(token.start)..<Int(token.end)]
            previousEnd = Int(token.end)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

@Suite("formatter ignores the author's spacing")
struct FormatPerturbationTests {
    @Test(arguments: FormatCorpus.files())
    func scrambledSpacingFormatsTheSame(_ file: CorpusFile) throws {
        let text = try FormatCorpus.read(file.path)
        guard case .formatted(let expected) = FormatCorpus.format(text, name: file.path) else { return }
        for seed in UInt64(1)...3 {
            let scrambled = Perturb.scramble(text, seed: seed &* 1_000_003 &+ UInt64(file.path.utf8.count))
            guard case .formatted(let result) = FormatCorpus.format(scrambled, name: file.path) else {
                Issue.record("\(file.path), seed \(seed): the scrambled text does not format")
                return
            }
            #expect(Self.withoutCommentPadding(result) == Self.withoutCommentPadding(expected), "\(file.path), seed \(seed)")
        }
    }

    /// Trailing comments keep the column they were written at, which scrambling moves;
    /// everything else must match exactly.
    static func withoutCommentPadding(_ text: String) -> String {
        text.replacing(/[ ]+#/, with: " #")
    }
}
