// The machine state a running program shares: the value stack that holds frames, the
// globals, the call depth, the output sink and the interrupt flag.

import Foundation
import Synchronization

/// Set from a signal handler (Ctrl-C) to stop the running evaluation at its next call or
/// loop iteration; the machine clears it when it stops.
public let maplInterruptRequested = Atomic<Bool>(false)

/// The state of one session's running programs. Not thread-safe: one thread drives it.
public final class Machine {
    /// The deepest nesting of calls before "call depth exceeded". Documented in README.
    public static let maxCallDepth = 10_000
    static let stackCapacity = 1 << 20

    let stack: UnsafeMutablePointer<Value>
    let stackEnd: UnsafeMutablePointer<Value>
    private(set) var globals: UnsafeMutablePointer<Value>
    private var globalCapacity: Int
    /// Whether each global has been given a value (functions and entities are set
    /// before statements run; a top-level `let` when it runs).
    var globalIsSet: [Bool] = Array(repeating: false, count: 64)
    var depth = 0
    /// Where `return` leaves its value for the call that is finishing.
    var returnValue: Value = .nil
    /// Counts down to the next look at the interrupt flag (an atomic load each time
    /// would be cheap, but not free on every call).
    var pollCountdown = 1024
    /// Receives everything `print` writes, one call per printed line (with its newline).
    public var output: (String) -> Void
    /// What `today()` returns; fixed by MAPL_TODAY so examples print stable output.
    public var today: Day
    /// The account plan the session's declarations built.
    public let plan = Plan()

    public init(output: @escaping (String) -> Void, today: Day) {
        stack = .allocate(capacity: Machine.stackCapacity)
        stack.initialize(repeating: .nil, count: Machine.stackCapacity)
        stackEnd = stack + Machine.stackCapacity
        globalCapacity = 64
        globals = .allocate(capacity: globalCapacity)
        globals.initialize(repeating: .nil, count: globalCapacity)
        self.output = output
        self.today = today
    }

    deinit {
        stack.deinitialize(count: Machine.stackCapacity)
        stack.deallocate()
        globals.deinitialize(count: globalCapacity)
        globals.deallocate()
    }

    /// Makes room for `count` globals; called between runs, never while code runs.
    func reserveGlobals(_ count: Int) {
        guard count > globalCapacity else { return }
        var capacity = globalCapacity
        while capacity < count { capacity *= 2 }
        let grown = UnsafeMutablePointer<Value>.allocate(capacity: capacity)
        grown.moveInitialize(from: globals, count: globalCapacity)
        (grown + globalCapacity).initialize(repeating: .nil, count: capacity - globalCapacity)
        globals.deallocate()
        globals = grown
        globalIsSet += Array(repeating: false, count: capacity - globalCapacity)
        globalCapacity = capacity
    }

    /// The current value of a global, for hosts (REPL, tests).
    public func global(_ slot: Int) -> Value {
        slot >= 0 && slot < globalCapacity ? globals[slot] : .nil
    }

    /// Drops every value the session holds, breaking closure ↔ global cycles.
    public func clear() {
        for index in 0..<globalCapacity { globals[index] = .nil; globalIsSet[index] = false }
        for index in 0..<Machine.stackCapacity { stack[index] = .nil }
        returnValue = .nil
        depth = 0
    }

    /// Calls stop with "call depth exceeded" when the native stack gets this low, even
    /// below `maxCallDepth`: a call whose expressions nest deeply uses more stack.
    var stackFloor: UInt = 0

    /// Sets `stackFloor` for the thread about to run code, from where its stack is now
    /// and how big it is (`withLargeStack` records that; other threads are assumed to
    /// have 512 KiB), keeping a margin for the deepest expression between two calls.
    func prepareStackGuard() {
        var marker: UInt8 = 0
        let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        let size = (Thread.current.threadDictionary[largeStackKey] as? Int) ?? (512 << 10)
        let usable = UInt(size - min(max(size / 8, 128 << 10), 16 << 20))
        stackFloor = here > usable ? here - usable : 0
    }

    /// Throws `interrupted` if Ctrl-C was pressed since the last look.
    @inline(__always)
    func poll(_ span: Span) throws {
        pollCountdown -= 1
        if pollCountdown <= 0 {
            pollCountdown = 1024
            if maplInterruptRequested.exchange(false, ordering: .relaxed) {
                throw RuntimeError(.interrupted, at: span)
            }
        }
    }

    /// Calls a function value from a built-in (e.g. a sort key); `top` is the first free slot.
    func call(_ callee: Value, _ arguments: [Value], top: Frame, span: Span) throws -> Value {
        switch callee {
        case .function(let closure):
            let proto = closure.proto
            guard proto.arity == arguments.count else {
                throw RuntimeError(.wrongArity(name: proto.name, expected: Arity(proto.arity), got: arguments.count), at: span)
            }
            guard depth < Machine.maxCallDepth, top + proto.frameSize <= stackEnd else {
                throw RuntimeError(.callDepthExceeded(limit: Machine.maxCallDepth), at: span)
            }
            top[0] = callee
            for (index, argument) in arguments.enumerated() { top[index + 1] = argument }
            return try enter(proto, frame: top, span: span)
        case .builtin(let index):
            return try Builtins.call(index, arguments, CallContext(machine: self, span: span, top: top))
        default:
            throw RuntimeError(.notCallable(callee.typeName), at: span)
        }
    }

    /// Runs a function whose frame is filled in; adds this call to an error's trace.
    @inline(__always)
    func enter(_ proto: FunctionProto, frame: Frame, span: Span) throws -> Value {
        var marker: UInt8 = 0
        let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        if here < stackFloor { throw RuntimeError(.callDepthExceeded(limit: Machine.maxCallDepth), at: span) }
        depth += 1
        defer {
            depth -= 1
            for index in 0..<proto.frameSize { frame[index] = .nil }
        }
        do {
            _ = try proto.body(frame)
        } catch let error as RuntimeError {
            error.appendTrace(.init(function: proto.name, callSite: span))
            throw error
        }
        let result = returnValue
        returnValue = .nil
        return result
    }
}

/// What a built-in may use: the machine, the call's span, and free stack space.
struct CallContext {
    let machine: Machine
    let span: Span
    let top: Frame

    func fail(_ function: String, _ message: String) -> RuntimeError {
        RuntimeError(.invalidArgument(function: function, message: message), at: span)
    }
}
