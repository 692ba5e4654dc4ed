// Standard output and error, written in full and checked: a full disk or a closed
// stream is remembered, so the command can say so and exit 74 instead of reporting
// success over a truncated output.

import Foundation

/// Writes to a file descriptor, optionally buffered. Used by one thread at a time (the
/// program's, or the evaluation thread it waits for).
public final class StreamWriter: @unchecked Sendable {
    /// Everything mapl prints goes through these two.
    public static let standardOutput = StreamWriter(STDOUT_FILENO, buffered: true)
    public static let standardError = StreamWriter(STDERR_FILENO, buffered: false)

    /// Exit status when standard output could not be written (sysexits' EX_IOERR).
    public static let ioErrorStatus: Int32 = 74

    let descriptor: Int32
    /// Buffered output is written once 64 KiB gather, on `flush()`, and before anything
    /// goes to standard error (so the two stay in order).
    public var buffered: Bool
    private var buffer: [UInt8] = []
    /// The errno of the first write that failed; later writes are dropped.
    public private(set) var failure: Int32?

    init(_ descriptor: Int32, buffered: Bool) {
        self.descriptor = descriptor
        self.buffered = buffered
    }

    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if !buffered || buffer.count >= 1 << 16 { flush() }
    }

    public func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if !buffered || buffer.count >= 1 << 16 { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil else { return }
        if let problem = StreamWriter.writeAll(descriptor, buffer) { failure = problem }
    }

    /// What went wrong, for a message: "no space left on device".
    public var failureReason: String? { failure.map { String(cString: strerror($0)).lowercased() } }

    /// Writes every byte, retrying after interrupts; the errno of a failure, else nil.
    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { raw -> Int32? in
            guard let base = raw.baseAddress else { return nil }
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, base + offset, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written < 0 { return errno }
                if written == 0 { return EIO }
                offset += written
            }
            return nil
        }
    }
}
