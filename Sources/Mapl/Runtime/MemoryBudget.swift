// The memory a program may take: a budget (4 GiB unless `--max-memory` says otherwise)
// on how much the process's resident memory grows while one evaluation runs. Each
// object is limited on its own (`Limits`); this stops many of them together — strings
// kept in a list, copies of a record — with a runtime error where the program is,
// before the machine runs out.

import Foundation
import Synchronization

public enum MemoryBudget {
    /// The most an evaluation may add to the process's resident memory, in bytes.
    public static let limit = Atomic<Int>(4 << 30)
    /// Resident memory when the current evaluation started.
    static let baseline = Atomic<Int>(0)
    /// Bytes that large allocations have asked for since memory was last looked at.
    private static let pending = Atomic<Int>(0)
    /// Large allocations add up to this before memory is looked at again.
    static let lookEvery = 64 << 20

    /// Starts measuring for a new evaluation (the memory the session already holds, a
    /// loaded plan or values kept from earlier REPL inputs, is not counted again).
    public static func startEvaluation() {
        baseline.store(residentBytes() ?? 0, ordering: .relaxed)
        pending.store(0, ordering: .relaxed)
    }

    /// Notes a large allocation about to be made, looking at memory once enough add up.
    static func note(_ bytes: Int, _ span: Span) throws(RuntimeError) {
        if pending.add(bytes, ordering: .relaxed).newValue >= lookEvery { try check(span) }
    }

    /// Ends the evaluation with an error at `span` when it has taken more than its budget.
    static func check(_ span: Span) throws(RuntimeError) {
        pending.store(0, ordering: .relaxed)
        guard let resident = residentBytes() else { return }
        let budget = limit.load(ordering: .relaxed)
        if resident - baseline.load(ordering: .relaxed) > budget {
            throw RuntimeError(.memoryBudget(describe(budget)), at: span)
        }
    }

    /// `4 GiB`, `512 MiB`.
    public static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GiB" }
        if bytes >= 1 << 20 { return "\(bytes >> 20) MiB" }
        return "\(bytes) bytes"
    }

    /// A size as people write it: `512M`, `2G`, `1.5GiB`, `800MB`, or bytes.
    public static func parse(_ text: String) -> Int? {
        let (giga, mega, kilo) = (Double(1 << 30), Double(1 << 20), Double(1 << 10))
        let units: [(String, Double)] = [("GIB", giga), ("GB", giga), ("G", giga), ("MIB", mega), ("MB", mega), ("M", mega),
                                          ("KIB", kilo), ("KB", kilo), ("K", kilo)]
        let upper = text.uppercased().trimmingCharacters(in: .whitespaces)
        let (number, scale) = units.first { upper.hasSuffix($0.0) }.map { (String(upper.dropLast($0.0.count)), $0.1) } ?? (upper, 1)
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value > 0, (value * scale).isFinite, value * scale < 9e18 else { return nil }
        return Int(value * scale)
    }

    /// The process's resident memory, from /proc/self/statm (Linux); nil elsewhere.
    static func residentBytes() -> Int? {
        let descriptor = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        // "size resident shared …", in pages: the second number.
        var fields: [Int] = [], current = 0, inNumber = false
        for byte in buffer.prefix(count) {
            if byte >= 48 && byte <= 57 {
                current = current * 10 + Int(byte - 48)
                inNumber = true
            } else if inNumber {
                fields.append(current)
                (current, inNumber) = (0, false)
                if fields.count == 2 { break }
            }
        }
        guard fields.count == 2 else { return nil }
        return fields[1] * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
