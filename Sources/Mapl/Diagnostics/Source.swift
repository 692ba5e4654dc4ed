// Source text, byte-offset spans, and line/column lookup computed only when shown.

import Foundation
import Synchronization

/// Identifies one source text (a file, stdin, or one REPL input) within a `SourceMap`.
public typealias FileID = Int32

/// A half-open byte range `[start, end)` inside one source text.
public struct Span: Hashable, Sendable, CustomStringConvertible {
    public var file: FileID
    public var start: Int32
    public var end: Int32

    public init(file: FileID, start: Int32, end: Int32) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest span covering both (they must be in the same file).
    public func to(_ other: Span) -> Span {
        Span(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    public var description: String { "\(file):\(start)..<\(end)" }
}

/// One source text with a table of where every 16th line starts, so that line and column
/// are found (by binary search, then a scan of at most 15 lines) only when a diagnostic
/// is rendered. (A start per line would take more memory than the rest of a line's
/// tokens; the scan is short.)
public final class SourceFile: Sendable {
    public let id: FileID
    /// The name shown in diagnostics: a path, `<stdin>`, or `<repl:N>`.
    public let name: String
    /// The text as UTF-8 (only this one copy is kept: a plan can be tens of megabytes).
    public let bytes: SourceBytes
    /// Where lines 1, 17, 33, … start.
    private let sampledLineStarts: [Int32]
    private static let lineSampleShift = 4
    /// How many lines the text has (a final line break starts an empty last line).
    public let lineCount: Int
    /// Per 4 KiB block of `bytes`, how many UTF-8 continuation bytes come before it, so
    /// that a column far into a long line is counted without scanning the line (a
    /// diagnostic per token of a one-line file made rendering quadratic). Made on first
    /// need: ordinary lines never need it.
    private let continuationsBeforeBlock = Mutex<[Int32]?>(nil)
    private static let blockShift = 12
    /// Why the text is missing: the file it was read from changed or vanished after the
    /// text was let go (see `SourceMap.release`). Nil for a text in memory. A missing
    /// text has no bytes; its spans cannot be shown as lines.
    public let missingReason: String?

    /// The text, made from the bytes on each use.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public convenience init(id: FileID, name: String, text: String) {
        self.init(id: id, name: name, validUTF8: SourceBytes(Array(text.utf8)))
    }

    /// A text read as bytes; ill-formed UTF-8 is repaired (U+FFFD), as reading it into a
    /// String would.
    public convenience init(id: FileID, name: String, bytes: [UInt8]) {
        self.init(id: id, name: name, bytes: SourceBytes(bytes))
    }

    /// A text read from a file or stream; ill-formed UTF-8 is repaired (U+FFFD) in a copy.
    public convenience init(id: FileID, name: String, bytes: SourceBytes) {
        let valid = bytes.withUnsafeBufferPointer { buffer in
            SourceFile.isASCII(buffer) || String(validating: buffer, as: UTF8.self) != nil
        }
        self.init(id: id, name: name, validUTF8: valid ? bytes : SourceBytes(Array(String(decoding: bytes, as: UTF8.self).utf8)))
    }

    /// A text whose line table is known: one read again, the same as when first read.
    private init(id: FileID, name: String, validUTF8 bytes: SourceBytes, sampledLineStarts: [Int32], lineCount: Int) {
        self.id = id
        self.name = name
        self.bytes = bytes
        missingReason = nil
        self.sampledLineStarts = sampledLineStarts
        self.lineCount = lineCount
    }

    private init(id: FileID, name: String, validUTF8 bytes: SourceBytes, missingReason: String? = nil) {
        self.id = id
        self.name = name
        self.bytes = bytes
        self.missingReason = missingReason
        var starts: [Int32] = [0]
        var lines = 1
        bytes.withUnsafeBufferPointer { buffer in
            // memchr finds line ends many bytes at a time (a plan can be tens of megabytes).
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            let sampleMask = (1 << SourceFile.lineSampleShift) - 1
            while offset < buffer.count, let found = memchr(base + offset, Int32(UInt8(ascii: "\n")), buffer.count - offset) {
                offset = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                if lines & sampleMask == 0 { starts.append(Int32(offset)) }
                lines += 1
            }
        }
        self.sampledLineStarts = starts
        self.lineCount = lines
    }

    /// Whether every byte is ASCII, eight bytes at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        let words = raw.count / 8
        var any: UInt64 = 0
        for word in 0..<words { any |= raw.loadUnaligned(fromByteOffset: word * 8, as: UInt64.self) }
        for index in words * 8..<raw.count { any |= UInt64(raw[index]) }
        return any & 0x8080_8080_8080_8080 == 0
    }

    /// A text let go by `SourceMap.release`: where to read it again, its length and
    /// fingerprint to know it is the same text, and its line table (a few bytes per 16
    /// lines) so that the same text read again is not scanned for lines again.
    struct Released: Sendable {
        let id: FileID
        let name: String
        let path: String
        let count: Int
        let fingerprint: UInt64
        let sampledLineStarts: [Int32]
        let lineCount: Int

        init(_ file: SourceFile, path: String) {
            id = file.id
            name = file.name
            self.path = path
            count = file.bytes.count
            fingerprint = file.fingerprint()
            sampledLineStarts = file.sampledLineStarts
            lineCount = file.lineCount
        }

        /// The text read again from its file (repaired as it was when first read), or a
        /// missing text saying why when the file cannot be read or is not the same.
        func readAgain() -> SourceFile {
            switch SourceBytes.contents(ofFile: path) {
            case .failure(let error):
                return SourceFile(missing: id, name: name, reason: "\(name) can no longer be read (\(error.reason))")
            case .success(let bytes):
                // The bytes as they are, when they are the text as first read (which was
                // valid UTF-8 or repaired to it); else repaired, as when first read.
                if bytes.count == count, SourceFile.fingerprint(of: bytes) == fingerprint {
                    return SourceFile(id: id, name: name, validUTF8: bytes, sampledLineStarts: sampledLineStarts, lineCount: lineCount)
                }
                let file = SourceFile(id: id, name: name, bytes: bytes)
                guard file.bytes.count == count, file.fingerprint() == fingerprint else {
                    return SourceFile(missing: id, name: name, reason: "\(name) has changed since it was read")
                }
                return file
            }
        }
    }

    private convenience init(missing id: FileID, name: String, reason: String) {
        self.init(id: id, name: name, validUTF8: SourceBytes([]), missingReason: reason)
    }

    /// A 64-bit digest of the bytes (to notice a file that changed, not to resist one
    /// made to collide).
    func fingerprint() -> UInt64 { SourceFile.fingerprint(of: bytes) }

    /// A 64-bit digest of `bytes`, 32 at a time in four independent lanes (a text is
    /// digested when let go and again when read back: a few instructions per 8 bytes).
    /// Each word is multiplied in and the lane rotated, so that every bit reaches every
    /// other; the lanes and the length are mixed at the end.
    static func fingerprint(of bytes: SourceBytes) -> UInt64 {
        bytes.withUnsafeBufferPointer { buffer in
            let raw = UnsafeRawBufferPointer(buffer)
            let prime: UInt64 = 0x9E37_79B1_85EB_CA87
            func round(_ lane: UInt64, _ word: UInt64) -> UInt64 {
                let mixed = (lane ^ word) &* prime
                return mixed << 31 | mixed >> 33
            }
            var lanes: (UInt64, UInt64, UInt64, UInt64) = (0xCBF2_9CE4_8422_2325, 0x8422_2325_CBF2_9CE4, 0x1B87_3593_CC9E_2D51, 0x85EB_CA6B_C2B2_AE35)
            let blocks = raw.count / 32
            // (Through the base address: the buffer's own loads check their bounds each time.)
            if let base = raw.baseAddress {
                var at = base
                for _ in 0..<blocks {
                    lanes.0 = round(lanes.0, at.loadUnaligned(as: UInt64.self))
                    lanes.1 = round(lanes.1, at.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                    lanes.2 = round(lanes.2, at.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
                    lanes.3 = round(lanes.3, at.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
                    at += 32
                }
            }
            var hash = round(round(round(round(UInt64(raw.count), lanes.0), lanes.1), lanes.2), lanes.3)
            var tail: UInt64 = 0
            for index in blocks * 32..<raw.count {
                tail = tail << 8 | UInt64(raw[index])
                if index % 8 == 7 || index == raw.count - 1 {
                    hash = round(hash, tail)
                    tail = 0
                }
            }
            hash ^= hash >> 29
            return hash &* prime ^ (hash >> 32)
        }
    }

    /// Where a 1-based line starts (the end of the text for a line past the last).
    private func start(ofLine line: Int) -> Int {
        guard line >= 1, line <= lineCount else { return bytes.count }
        let sample = (line - 1) >> SourceFile.lineSampleShift
        // Never past the next sampled start.
        let limit = sample + 1 < sampledLineStarts.count ? Int(sampledLineStarts[sample + 1]) : bytes.count
        return lineStart(after: Int(sampledLineStarts[sample]), passing: (line - 1) - sample << SourceFile.lineSampleShift, before: limit).start
    }

    /// The start of the line `lines` line breaks on from `offset`, or of the last line
    /// that starts at or before `limit` if there are fewer; and how many were passed.
    private func lineStart(after offset: Int, passing lines: Int, before limit: Int) -> (start: Int, passed: Int) {
        var start = offset, passed = 0
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            while passed < lines, start < limit, let found = memchr(base + start, Int32(UInt8(ascii: "\n")), limit - start) {
                start = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                passed += 1
            }
        }
        return (start, passed)
    }

    /// 1-based line and column (column counted in Unicode scalars) of a byte offset.
    public func location(of offset: Int32) -> (line: Int, column: Int) {
        let clamped = Int(min(max(0, offset), Int32(bytes.count)))
        var low = 0, high = sampledLineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if Int(sampledLineStarts[mid]) <= clamped { low = mid } else { high = mid - 1 }
        }
        // On from the sampled line to the one holding the offset (at most 15 line ends).
        let (start, passed) = lineStart(after: Int(sampledLineStarts[low]), passing: .max, before: clamped)
        return (low << SourceFile.lineSampleShift + 1 + passed, 1 + scalarCount(start..<clamped))
    }

    /// The number of Unicode scalars in a byte range (counted as UTF-8 lead bytes).
    func scalarCount(_ range: Range<Int>) -> Int {
        guard range.count > 1 << SourceFile.blockShift else { return range.count - continuations(in: range) }
        return range.count - (continuations(before: range.upperBound) - continuations(before: range.lowerBound))
    }

    private func continuations(in range: Range<Int>) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var count = 0
            for index in range where buffer[index] & 0xC0 == 0x80 { count += 1 }
            return count
        }
    }

    /// Continuation bytes in `bytes[0..<offset]`.
    private func continuations(before offset: Int) -> Int {
        let blocks = continuationsBeforeBlock.withLock { table in
            if let table { return table }
            var made: [Int32] = [0]
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + 1 << SourceFile.blockShift)
                made.append(made[made.count - 1] + Int32(continuations(in: start..<end)))
                start = end
            }
            table = made
            return made
        }
        let block = offset >> SourceFile.blockShift
        return Int(blocks[block]) + continuations(in: block << SourceFile.blockShift..<offset)
    }

    /// The byte offset `count` scalars after (or, negative, before) `offset`, which
    /// starts a scalar, staying within `bounds`.
    func offset(_ offset: Int, movedBy count: Int, within bounds: Range<Int>) -> Int {
        var position = offset, left = abs(count)
        while left > 0 {
            if count > 0 {
                guard position < bounds.upperBound else { break }
                position += 1
                while position < bounds.upperBound, bytes[position] & 0xC0 == 0x80 { position += 1 }
            } else {
                guard position > bounds.lowerBound else { break }
                position -= 1
                while position > bounds.lowerBound, bytes[position] & 0xC0 == 0x80 { position -= 1 }
            }
            left -= 1
        }
        return position
    }

    /// The bytes of a 1-based line, without its line break.
    func lineRange(_ line: Int) -> Range<Int> {
        guard line >= 1, line <= lineCount else { return bytes.count..<bytes.count }
        let first = start(ofLine: line)
        var end = max(first, line < lineCount ? start(ofLine: line + 1) : bytes.count)
        while end > first, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        return first..<end
    }

    /// The text of a 1-based line, without its line break.
    public func lineText(_ line: Int) -> String {
        String(decoding: bytes[lineRange(line)], as: UTF8.self)
    }

    /// The source text a span covers.
    public func text(of span: Span) -> String {
        String(decoding: bytes(of: span), as: UTF8.self)
    }

    /// Whether the text at `span` is `word` (ASCII), compared without making a slice.
    func spells(_ word: StaticString, at span: Span) -> Bool {
        guard span.end - span.start == word.utf8CodeUnitCount, span.start >= 0, Int(span.end) <= bytes.count else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return word.utf8CodeUnitCount == 0 }
            return memcmp(base + Int(span.start), word.utf8Start, word.utf8CodeUnitCount) == 0
        }
    }

    /// Calls `body` with the bytes a span covers in place (clamped to the text).
    func withBytes<R>(of span: Span, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let range = clamped(span)
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// The bytes a span covers (clamped to the text).
    public func bytes(of span: Span) -> Slice<SourceBytes> { bytes[clamped(span)] }

    /// The byte offsets a span covers, clamped to the text.
    private func clamped(_ span: Span) -> Range<Int> {
        let start = Int(min(max(0, span.start), Int32(bytes.count)))
        let end = Int(min(max(span.start, span.end), Int32(bytes.count)))
        return start..<end
    }
}

/// Every source text of one session, by id. Spans name their file through it.
///
/// A text read from a file can be let go once nothing more is made from it (`release`:
/// the plans a script opens with `open_plan`, whose text is most of what they hold) and
/// is read again from its file when next asked for. A file that changed or vanished
/// meanwhile is not trusted: the text comes back missing, with the reason
/// (`SourceFile.missingReason`), rather than as lines that are no longer the ones the
/// spans point into.
public final class SourceMap: Sendable {
    private enum Entry {
        /// A text in memory, and the file to read it again from (nil: not from a file).
        case loaded(SourceFile, path: String?)
        /// A text let go, and how to know it again.
        case released(SourceFile.Released)
    }

    private let entries = Mutex<[Entry]>([])

    public init() {}

    /// Registers a text and returns it with its new id.
    @discardableResult
    public func add(name: String, text: String) -> SourceFile {
        append { SourceFile(id: $0, name: name, text: text) }
    }

    /// Registers a text read as bytes (see `SourceFile.init(id:name:bytes:)`).
    @discardableResult
    public func add(name: String, bytes: [UInt8]) -> SourceFile {
        add(name: name, bytes: SourceBytes(bytes))
    }

    /// Registers a text read from a file or stream (see `SourceBytes.contents(ofFile:)`).
    /// - Parameter path: the file it was read from, so that it can be let go and read
    ///   again (see `release`); nil for a text that cannot be read again.
    @discardableResult
    public func add(name: String, bytes: SourceBytes, readFrom path: String? = nil) -> SourceFile {
        append(path: path) { SourceFile(id: $0, name: name, bytes: bytes) }
    }

    private func append(path: String? = nil, _ make: (FileID) -> SourceFile) -> SourceFile {
        entries.withLock { entries in
            let file = make(FileID(entries.count))
            entries.append(.loaded(file, path: path))
            return file
        }
    }

    /// How many texts have been registered (the next one gets this id).
    public var count: Int { entries.withLock { $0.count } }

    /// The text with this id, read again from its file if it was let go (see `release`).
    public func file(_ id: FileID) -> SourceFile? {
        entries.withLock { entries in
            guard id >= 0, Int(id) < entries.count else { return nil }
            switch entries[Int(id)] {
            case .loaded(let file, _):
                return file
            case .released(let released):
                let file = released.readAgain()
                entries[Int(id)] = .loaded(file, path: file.missingReason == nil ? released.path : nil)
                return file
            }
        }
    }

    /// Lets go of the texts with these ids that were read from a file, keeping what is
    /// needed to read each again and to know it is unchanged (its length and a
    /// fingerprint of its bytes). Whoever still holds a `SourceFile` keeps its text;
    /// lookups through this map read it again on first need.
    public func release(_ ids: Range<FileID>) {
        entries.withLock { entries in
            for id in ids where id >= 0 && Int(id) < entries.count {
                guard case .loaded(let file, let path?) = entries[Int(id)] else { continue }
                entries[Int(id)] = .released(SourceFile.Released(file, path: path))
            }
        }
    }

    /// Whether the text with this id is in memory (false once let go, until asked for).
    func isLoaded(_ id: FileID) -> Bool {
        entries.withLock { entries in
            guard id >= 0, Int(id) < entries.count, case .loaded = entries[Int(id)] else { return false }
            return true
        }
    }
}
