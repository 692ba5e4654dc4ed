// The bytes of one source text. A small text is a copy in memory; a large plan file is
// mapped read-only instead, so that the pages already read can be handed back to the
// system (`releasePages`) and are read again from the file only if something looks at
// them later (a warning's line). A 60 MB plan then never has all its text in memory at
// once, where a copy held all of it until the end of the run.

import CSwiftRuntime
import Foundation

/// The bytes of a source text, immutable, shared by reference.
///
/// Limit: a mapped file that another program truncates while mapl runs makes the reads
/// beyond its new end fault (SIGBUS), as with any tool that maps its input; the CLI
/// turns that fault into an error message (`reportTruncatedFiles`). A file rewritten in
/// place without shrinking gives wrong line numbers in messages, not a crash.
public struct SourceBytes: RandomAccessCollection, @unchecked Sendable {
    // Unchecked Sendable: the memory is never written after the storage is made, and
    // the storage lives as long as any copy of this value.
    private let storage: Storage
    private let base: UnsafePointer<UInt8>
    public let count: Int

    /// Files at least this large are mapped rather than read (the size at which the
    /// parser also lexes on a thread of its own).
    public static let mappedFromBytes = 1 << 20

    /// A copy of `bytes`.
    public init(_ bytes: [UInt8]) {
        storage = Storage(copying: bytes)
        base = UnsafePointer(storage.base)
        count = bytes.count
    }

    private init(storage: Storage, count: Int) {
        self.storage = storage
        base = UnsafePointer(storage.base)
        self.count = count
    }

    /// The contents of the file at `path`: mapped when it is a regular file of at least
    /// `mappedFromBytes`, else read. Fails with `errno`'s reason when it cannot be opened
    /// or read, is a directory, or holds 2 GB or more (`EFBIG`).
    public static func contents(ofFile path: String) -> Result<SourceBytes, SourceReadError> {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return .failure(SourceReadError(code: errno)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(SourceReadError(code: errno)) }
        if status.st_mode & S_IFMT == S_IFDIR { return .failure(SourceReadError(code: EISDIR)) }
        let size = Int(status.st_size)
        // Places in a source are 32-bit byte offsets.
        if size >= Int(Int32.max) { return .failure(SourceReadError(code: EFBIG)) }
        if status.st_mode & S_IFMT == S_IFREG, size >= mappedFromBytes,
           let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapping != MAP_FAILED {
            // Read front to back: the system may read ahead and drop behind.
            _ = madvise(mapping, size, MADV_SEQUENTIAL)
            return .success(SourceBytes(storage: Storage(mapping: mapping, length: size), count: size))
        }
        return contents(ofDescriptor: descriptor, sizeHint: size)
    }

    /// Everything left to read from an open descriptor (standard input, say), in one
    /// array: `sizeHint` bytes first, then on in pieces should there be more. Fails with
    /// `errno`'s reason, or `EFBIG` at 2 GB or more.
    public static func contents(ofDescriptor descriptor: Int32, sizeHint: Int = 0) -> Result<SourceBytes, SourceReadError> {
        read(descriptor, sizeHint: sizeHint).flatMap { bytes in
            bytes.count < Int(Int32.max) ? .success(SourceBytes(bytes)) : .failure(SourceReadError(code: EFBIG))
        }
    }

    private static func read(_ descriptor: Int32, sizeHint: Int) -> Result<[UInt8], SourceReadError> {
        var bytes = [UInt8](repeating: 0, count: Swift.max(0, sizeHint))
        var filled = 0
        while filled < bytes.count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                Foundation.read(descriptor, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
            }
            if got < 0 { return .failure(SourceReadError(code: errno)) }
            if got == 0 { break }
            filled += got
        }
        bytes.removeLast(bytes.count - filled)
        var piece = [UInt8](repeating: 0, count: 65_536)
        while true {
            let got = piece.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 { return .failure(SourceReadError(code: errno)) }
            if got == 0 { break }
            bytes.append(contentsOf: piece[0..<got])
        }
        return .success(bytes)
    }

    /// Makes a read of a mapped file that another program truncated meanwhile end the
    /// process with a message and exit status 74 rather than a crash (SIGBUS). For a
    /// command-line program to call once at start: it installs a signal handler.
    public static func reportTruncatedFiles() { mapl_report_source_faults() }

    /// Whether the bytes are a mapped file (whose pages `releasePages` hands back).
    public var isMapped: Bool { storage.mappedLength > 0 }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    @inline(__always)
    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < count, "source offset out of range")
        return base[position]
    }

    /// Calls `body` with the bytes in place.
    @inline(__always)
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(UnsafeBufferPointer(start: base, count: count)) }
    }

    /// (So that `Array(bytes)` and `String(decoding:as:)` copy in one go.)
    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        try withUnsafeBufferPointer(body)
    }

    /// Hands the whole pages inside `range` of a mapped file back to the system; reading
    /// them again reads the file again. Nothing happens to bytes held in memory.
    public func releasePages(_ range: Range<Int>) {
        guard storage.mappedLength > 0 else { return }
        let page = SourceBytes.pageSize
        let lower = (Swift.max(0, range.lowerBound) + page - 1) / page * page
        let upper = Swift.min(range.upperBound, count) / page * page
        guard upper > lower else { return }
        _ = madvise(storage.base + lower, upper - lower, MADV_DONTNEED)
    }

    /// Hands back the 2 MB blocks around `range` after a text the parser has passed was
    /// read again (a message's line, a declaration's places): the kernel may keep a file
    /// in folios of up to 2 MB, and a read maps the whole folio, not the page read, so a
    /// few dozen messages held 10 MB of a large plan. A no-op for a copy.
    public func releasePages(around range: Range<Int>) {
        guard storage.mappedLength > 0 else { return }
        let block = 2 << 20, page = SourceBytes.pageSize
        let lower = Swift.min(Swift.max(0, range.lowerBound), count) / block * block
        let upper = Swift.min((Swift.max(range.upperBound, range.lowerBound) / block + 1) * block, (count + page - 1) / page * page)
        guard upper > lower else { return }
        _ = madvise(storage.base + lower, upper - lower, MADV_DONTNEED)
    }

    private static let pageSize = Swift.max(4096, sysconf(Int32(_SC_PAGESIZE)))

    /// Owns the memory: an allocation, or a mapping unmapped when the last user is gone.
    private final class Storage: @unchecked Sendable {
        let base: UnsafeMutablePointer<UInt8>
        /// The mapping's length; 0 for an allocation.
        let mappedLength: Int

        init(copying bytes: [UInt8]) {
            // At least one byte, so that the base is a real allocation for an empty text.
            let made = UnsafeMutablePointer<UInt8>.allocate(capacity: Swift.max(1, bytes.count))
            bytes.withUnsafeBufferPointer { buffer in
                if let source = buffer.baseAddress { made.initialize(from: source, count: buffer.count) }
            }
            base = made
            mappedLength = 0
        }

        init(mapping: UnsafeMutableRawPointer, length: Int) {
            base = mapping.assumingMemoryBound(to: UInt8.self)
            mappedLength = length
        }

        deinit {
            if mappedLength > 0 { munmap(base, mappedLength) } else { base.deallocate() }
        }
    }
}

/// Why a source file could not be read: an `errno` value.
public struct SourceReadError: Error, Sendable {
    public let code: Int32

    /// The system's wording ("No such file or directory").
    public var message: String { String(cString: strerror(code)) }
}
