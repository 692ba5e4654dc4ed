// The bytes of one source text, read whole into memory. Places in a source are 32-bit
// byte offsets, so a source holds less than 2 GB.

import Foundation

/// The bytes of a source text, immutable (an array, so copies share one buffer).
public struct SourceBytes: RandomAccessCollection, Sendable {
    private let bytes: [UInt8]

    /// A copy of `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var count: Int { bytes.count }

    /// The contents of the file at `path`. Fails with `errno`'s reason when it cannot be
    /// opened or read, is a directory, or holds 2 GB or more (`EFBIG`).
    public static func contents(ofFile path: String) -> Result<SourceBytes, SourceReadError> {
        // Non-blocking, so that opening a FIFO (which would wait for a writer) returns
        // at once and is refused below; only regular files are sources.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(SourceReadError(code: errno)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(SourceReadError(code: errno)) }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .failure(SourceReadError(code: EISDIR))
        case S_IFIFO: return .failure(SourceReadError(code: 0, notAFile: "a named pipe (FIFO)"))
        case S_IFCHR, S_IFBLK: return .failure(SourceReadError(code: 0, notAFile: "a device"))
        default: return .failure(SourceReadError(code: 0, notAFile: "not a regular file"))
        }
        let size = Int(status.st_size)
        if size >= Int(Int32.max) { return .failure(SourceReadError(code: EFBIG)) }
        return contents(ofDescriptor: descriptor, sizeHint: size)
    }

    /// Everything left to read from an open descriptor (standard input, say), in one
    /// array: `sizeHint` bytes first, then on in pieces should there be more. Fails with
    /// `errno`'s reason, or `EFBIG` at 2 GB or more.
    /// - Parameter limit: the most bytes read before giving up with `EFBIG`.
    public static func contents(ofDescriptor descriptor: Int32, sizeHint: Int = 0, limit: Int = maxBytes) -> Result<SourceBytes, SourceReadError> {
        read(descriptor, sizeHint: sizeHint, limit: limit).map(SourceBytes.init)
    }

    /// The largest source: places in it are 32-bit byte offsets.
    public static let maxBytes = Int(Int32.max) - 1

    private static func read(_ descriptor: Int32, sizeHint: Int, limit: Int) -> Result<[UInt8], SourceReadError> {
        var failure: Int32 = 0
        // Read straight into the array's storage (no zero-filling first).
        var bytes = [UInt8](unsafeUninitializedCapacity: Swift.max(0, sizeHint)) { buffer, initialized in
            while initialized < buffer.count {
                let got = Foundation.read(descriptor, buffer.baseAddress.map { $0 + initialized }, buffer.count - initialized)
                if got < 0 { failure = errno; return }
                if got == 0 { return }
                initialized += got
            }
        }
        if failure != 0 { return .failure(SourceReadError(code: failure)) }
        // More than the hint (a growing file or a stream): read on in pieces, stopping
        // at the size limit rather than after it (stdin may be /dev/zero).
        var piece = [UInt8](repeating: 0, count: sizeHint == 0 ? 65_536 : 4_096)
        while true {
            let got = piece.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got < 0 { return .failure(SourceReadError(code: errno)) }
            if got == 0 { break }
            if bytes.count + got > limit { return .failure(SourceReadError(code: EFBIG)) }
            bytes.append(contentsOf: piece[0..<got])
        }
        return .success(bytes)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    @inline(__always)
    public subscript(position: Int) -> UInt8 { bytes[position] }

    /// Calls `body` with the bytes in place.
    @inline(__always)
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer(body)
    }

    /// (So that `Array(bytes)` and `String(decoding:as:)` copy in one go.)
    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        try bytes.withUnsafeBufferPointer(body)
    }
}

/// Why a source file could not be read: an `errno` value, or what the path is when it
/// is not a file.
public struct SourceReadError: Error, Sendable {
    public let code: Int32
    /// "a device", "a named pipe (FIFO)": a path that is not a regular file.
    public var notAFile: String?

    public init(code: Int32, notAFile: String? = nil) {
        self.code = code
        self.notAFile = notAFile
    }

    /// The system's wording ("No such file or directory").
    public var message: String { String(cString: strerror(code)) }

    /// Why, as the end of "cannot read 'x': …".
    public var reason: String {
        if let notAFile { return notAFile.hasPrefix("not") ? notAFile : "it is \(notAFile), not a file" }
        switch code {
        case ENOENT: return "no such file"
        case EISDIR: return "it is a directory"
        case EFBIG: return "larger than 2 GB"
        case ELOOP: return "too many levels of symbolic links"
        case EACCES, EPERM: return "permission denied"
        default: return message.lowercased()
        }
    }
}
