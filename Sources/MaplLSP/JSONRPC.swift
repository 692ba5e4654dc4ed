// JSON-RPC 2.0 over a byte stream with LSP's framing: each message is a header block
// (`Content-Length: N`, other headers ignored) and N bytes of JSON. Reading never trusts
// the client: a missing or absurd length, a header block without an end or a body that
// is not JSON is reported, never a crash or a hang on memory.

import Foundation

/// A request id: a number or a string, echoed back in the response.
public enum RequestID: Codable, Hashable, Sendable {
    case number(Int)
    case string(String)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) { self = .number(number) } else { self = .string(try container.decode(String.self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        }
    }
}

/// A JSON-RPC error object.
public struct ResponseError: Error, Codable, Sendable {
    public var code: Int
    public var message: String

    public static let parseError = -32700, invalidRequest = -32600, methodNotFound = -32601, invalidParams = -32602
    public static let internalError = -32603, serverNotInitialized = -32002, requestFailed = -32803

    public init(_ code: Int, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// What every incoming message has; the params are decoded once the method is known.
struct IncomingHeader: Decodable {
    var id: RequestID?
    var method: String?
}

/// The params of an incoming message, decoded as `P`.
struct IncomingParams<P: Decodable>: Decodable {
    var params: P
}

/// Reads framed messages from a file descriptor.
final class MessageReader {
    /// Bodies larger than this are refused (an editor's documents are far smaller; a
    /// bogus length must not make the server allocate it).
    static let maxBody = 256 << 20
    /// A header block longer than this is not LSP.
    static let maxHeader = 8 << 10

    enum Failure: Error, Equatable {
        case endOfInput
        /// The stream cannot be understood from here on (bad framing): stop.
        case badFraming(String)
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var position = 0

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// The next message's body.
    func next() throws(Failure) -> [UInt8] {
        var length: Int?
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { throw .badFraming("a header line without ':'") }
            if parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-length" {
                guard let value = Int(parts[1].trimmingCharacters(in: .whitespaces)), value >= 0 else {
                    throw .badFraming("Content-Length is not a number")
                }
                guard value <= MessageReader.maxBody else { throw .badFraming("a message of \(value) bytes is too large") }
                length = value
            }
        }
        guard let length else { throw .badFraming("a message without Content-Length") }
        return try read(count: length)
    }

    private func fill() throws(Failure) {
        if position > 0 && position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { throw .endOfInput }
            buffer.append(contentsOf: chunk[0..<count])
            return
        }
    }

    /// A header line without its CR LF.
    private func readLine() throws(Failure) -> String {
        var line: [UInt8] = []
        while true {
            while position < buffer.count {
                let byte = buffer[position]
                position += 1
                if byte == 10 {
                    if line.last == 13 { line.removeLast() }
                    return String(decoding: line, as: UTF8.self)
                }
                line.append(byte)
                if line.count > MessageReader.maxHeader { throw .badFraming("a header line longer than \(MessageReader.maxHeader) bytes") }
            }
            try fill()
        }
    }

    private func read(count: Int) throws(Failure) -> [UInt8] {
        while buffer.count - position < count { try fill() }
        let body = Array(buffer[position..<position + count])
        position += count
        return body
    }
}

/// Writes framed messages to a file descriptor.
final class MessageWriter {
    private let descriptor: Int32
    private let lock = NSLock()

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// Writes one message; false when the stream is closed.
    @discardableResult
    func send(_ body: Data) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        var message = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
        message += body
        return message.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return false }
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, base + offset, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
    }
}
