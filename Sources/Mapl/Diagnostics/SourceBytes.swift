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
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return .failure(SourceReadError(code: errno)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(SourceReadError(code: errno)) }
        if status.st_mode & S_IFMT == S_IFDIR { return .failure(SourceReadError(code: EISDIR)) }
        let size = Int(status.st_size)
        if size >= Int(Int32.max) { return .failure(SourceReadError(code: EFBIG)) }
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
        // More than the hint (a growing file or a stream): read on in pieces.
        var piece = [UInt8](repeating: 0, count: sizeHint == 0 ? 65_536 : 4_096)
        while true {
            let got = piece.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 { return .failure(SourceReadError(code: errno)) }
            if got == 0 { break }
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

/// Why a source file could not be read: an `errno` value.
public struct SourceReadError: Error, Sendable {
    public let code: Int32

    /// The system's wording ("No such file or directory").
    public var message: String { String(cString: strerror(code)) }
}
