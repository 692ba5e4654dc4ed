// The machine state a running program shares: the value stack that holds frames, the
// globals, the call depth, the output sink and the interrupt flag.

import Foundation
import Synchronization

/// Where Ctrl-C is recorded for a machine to notice at its next call or loop iteration
/// (and native work at its next look): the process's flag, or one of a machine's own.
public final class InterruptFlag: Sendable {
    private let requested = Atomic<Bool>(false)

    public init() {}

    // Every access is relaxed: the flag carries no other data. (The ordering argument
    // keeps the spelling of `Atomic`, which callers used before.)
    public func store(_ value: Bool, ordering _: AtomicStoreOrdering = .relaxed) { requested.store(value, ordering: .relaxed) }
    public func load(ordering _: AtomicLoadOrdering = .relaxed) -> Bool { requested.load(ordering: .relaxed) }
    public func exchange(_ value: Bool, ordering _: AtomicUpdateOrdering = .relaxed) -> Bool { requested.exchange(value, ordering: .relaxed) }
}

/// The process's flag, set from the Ctrl-C signal handler; every machine looks at it
/// unless given its own (`Machine.interruptFlag`). Touch it before installing a handler
/// that stores to it, so the handler never runs its lazy initialisation.
public let maplInterruptRequested = InterruptFlag()

/// The state of one session's running programs. Not thread-safe: one thread drives it.
public final class Machine {
    /// The deepest nesting of calls before "call depth exceeded". Documented in README.
    public static let maxCallDepth = 10_000
    static let stackCapacity = 1 << 20
    /// How many stack slots are initialized when a machine is made; more are initialized
    /// on demand, doubling, so a session (every plan opened with `open_plan` has one)
    /// touches stack memory in proportion to the depth its code reaches. (The capacity
    /// is only address space until used.)
    static let initialStackSlots = 256

    /// Makes sure the value stack is usable up to `end` (exclusive); throws "call depth
    /// exceeded" when it would run past its capacity. A pointer below the stack (into
    /// another machine's) is refused too, rather than written through unchecked.
    @inline(__always)
    func reserve(_ end: UnsafeMutablePointer<Value>, _ span: Span) throws {
        if end > registers.pointee.stackReady || end < stack { try growStack(to: end, span) }
    }

    private func growStack(to end: UnsafeMutablePointer<Value>, _ span: Span) throws {
        guard end >= stack, end <= stackEnd else { throw RuntimeError(.callDepthExceeded(limit: Machine.maxCallDepth), at: span) }
        let ready = registers.pointee.stackReady
        let newReady = min(stackEnd, max(end, ready + (ready - stack)))
        ready.initialize(repeating: .nil, count: newReady - ready)
        registers.pointee.stackReady = newReady
    }

    let stack: UnsafeMutablePointer<Value>
    let stackEnd: UnsafeMutablePointer<Value>
    private var globalCapacity: Int

    /// The state every call and loop touches, kept behind a pointer: a stored `var`
    /// of a class costs a dynamic exclusivity check on each access, a pointee does not.
    struct Registers {
        var depth = 0
        /// Where `return` leaves its value for the call that is finishing.
        var returnValue: Value = .nil
        /// Counts down to the next look at the interrupt flag.
        var pollCountdown = 1024
        /// Counts looks at the interrupt flag down to the next look at memory.
        var memoryCountdown = 16
        /// See `stackFloor`.
        var stackFloor: UInt = 0
        /// Value-stack slots below this are initialized; more are initialized on demand,
        /// so a short script does not pay for touching the whole stack.
        var stackReady: UnsafeMutablePointer<Value>
    }

    /// The value stack and the registers, shared by a session and the plans it opens
    /// with `open_plan`: a function of an opened plan, called from the opener's code,
    /// runs in frames above its caller's and returns through the same register.
    final class ValueStack {
        let stack: UnsafeMutablePointer<Value>
        let registers: UnsafeMutablePointer<Registers>

        init() {
            stack = SpareStacks.take() ?? ValueStack.fresh()
            registers = .allocate(capacity: 1)
            registers.initialize(to: Registers(stackReady: stack + Machine.initialStackSlots))
        }

        /// A new stack, its first `initialStackSlots` initialized.
        private static func fresh() -> UnsafeMutablePointer<Value> {
            let stack = UnsafeMutablePointer<Value>.allocate(capacity: Machine.stackCapacity)
            stack.initialize(repeating: .nil, count: Machine.initialStackSlots)
            return stack
        }

        deinit {
            let ready = registers.pointee.stackReady - stack
            registers.deinitialize(count: 1)
            registers.deallocate()
            // Given back as a new one starts: its first slots nil, the rest uninitialized.
            stack.update(repeating: .nil, count: Machine.initialStackSlots)
            (stack + Machine.initialStackSlots).deinitialize(count: ready - Machine.initialStackSlots)
            if !SpareStacks.giveBack(stack, touched: ready) {
                stack.deinitialize(count: Machine.initialStackSlots)
                stack.deallocate()
            }
        }
    }

    /// Value stacks of machines that are gone, kept for the next machines: a session
    /// (and `Session.check` makes one each time) then starts without allocating its
    /// 16 MB of address space, which costs little natively but much under AddressSanitizer
    /// (2 MB of shadow memory poisoned per allocation). A few are kept, and only stacks
    /// whose code stayed shallow, so little touched memory is held.
    enum SpareStacks {
        /// A stack given back: `initialStackSlots` slots initialized to nil, the rest not.
        private struct Spare: @unchecked Sendable {
            // (Owned by the list alone while it is in it.)
            let stack: UnsafeMutablePointer<Value>
        }
        private static let spares = Mutex<[Spare]>([])
        static let limit = 4
        /// A stack that had more slots than this initialized is freed, not kept.
        static let touchedLimit = 1 << 16

        static func take() -> UnsafeMutablePointer<Value>? {
            spares.withLock { $0.popLast()?.stack }
        }

        /// Keeps `stack` (reset as `take` gives it) if there is room; false if not kept.
        static func giveBack(_ stack: UnsafeMutablePointer<Value>, touched: Int) -> Bool {
            guard touched <= touchedLimit else { return false }
            return spares.withLock { list in
                guard list.count < limit else { return false }
                list.append(Spare(stack: stack))
                return true
            }
        }
    }

    /// This machine's globals (each session has its own), behind a pointer as the
    /// registers are.
    struct Globals {
        var values: UnsafeMutablePointer<Value>
        /// Whether each global has been given a value (functions and entities are set
        /// before statements run; a top-level `let` when it runs).
        var isSet: UnsafeMutablePointer<Bool>
    }

    let valueStack: ValueStack
    let registers: UnsafeMutablePointer<Registers>
    private let globalTable: UnsafeMutablePointer<Globals>
    /// Whether the value stack is another machine's (this one's plan was opened by it).
    let sharesStack: Bool

    var globals: UnsafeMutablePointer<Value> { globalTable.pointee.values }
    var globalIsSet: UnsafeMutablePointer<Bool> { globalTable.pointee.isSet }
    var depth: Int {
        get { registers.pointee.depth }
        set { registers.pointee.depth = newValue }
    }
    var returnValue: Value {
        get { registers.pointee.returnValue }
        set { registers.pointee.returnValue = newValue }
    }
    /// Calls stop with "call depth exceeded" when the native stack gets this low, even
    /// below `maxCallDepth`: a call whose expressions nest deeply uses more stack.
    var stackFloor: UInt {
        get { registers.pointee.stackFloor }
        set { registers.pointee.stackFloor = newValue }
    }
    /// Receives everything `print` writes, one call per printed line (with its newline).
    public var output: (String) -> Void
    /// What `today()` returns; fixed by MAPL_TODAY so examples print stable output.
    public var today: Day
    /// The account plan the session's declarations built.
    public let plan = Plan()
    /// The session that drives this machine (`open_plan` loads files through it).
    weak var session: Session?
    /// Where this machine looks for Ctrl-C (a plan opened by another machine looks where
    /// its opener does).
    public var interruptFlag: InterruptFlag
    /// The cells of the capture-free functions compiled for this machine (see SelfCell).
    var selfCells: [SelfCell] = []

    /// - Parameter other: a machine whose value stack this one runs on (the opener's, for a
    ///   plan opened with `open_plan`); by default it has one of its own.
    public init(output: @escaping (String) -> Void, today: Day, sharingStackOf other: Machine? = nil) {
        valueStack = other?.valueStack ?? ValueStack()
        sharesStack = other != nil
        stack = valueStack.stack
        stackEnd = stack + Machine.stackCapacity
        registers = valueStack.registers
        globalCapacity = 64
        let values = UnsafeMutablePointer<Value>.allocate(capacity: globalCapacity)
        values.initialize(repeating: .nil, count: globalCapacity)
        let flags = UnsafeMutablePointer<Bool>.allocate(capacity: globalCapacity)
        flags.initialize(repeating: false, count: globalCapacity)
        globalTable = .allocate(capacity: 1)
        globalTable.initialize(to: Globals(values: values, isSet: flags))
        self.output = output
        self.today = today
        interruptFlag = other?.interruptFlag ?? maplInterruptRequested
    }

    deinit {
        globals.deinitialize(count: globalCapacity)
        globals.deallocate()
        globalIsSet.deallocate()
        globalTable.deinitialize(count: 1)
        globalTable.deallocate()
    }

    /// Makes room for `count` globals; called between runs, never while code runs.
    func reserveGlobals(_ count: Int) {
        guard count > globalCapacity else { return }
        // Doubling, or exactly enough when that is more (a plan's ids come all at once:
        // doubled, many slots would never be used).
        let capacity = max(count, globalCapacity * 2)
        let grown = UnsafeMutablePointer<Value>.allocate(capacity: capacity)
        grown.moveInitialize(from: globals, count: globalCapacity)
        (grown + globalCapacity).initialize(repeating: .nil, count: capacity - globalCapacity)
        globals.deallocate()
        let flags = UnsafeMutablePointer<Bool>.allocate(capacity: capacity)
        flags.moveInitialize(from: globalIsSet, count: globalCapacity)
        (flags + globalCapacity).initialize(repeating: false, count: capacity - globalCapacity)
        globalIsSet.deallocate()
        globalTable.pointee.values = grown
        globalTable.pointee.isSet = flags
        globalCapacity = capacity
    }

    /// The current value of a global, for hosts (REPL, tests).
    public func global(_ slot: Int) -> Value {
        slot >= 0 && slot < globalCapacity ? globals[slot] : .nil
    }

    /// Drops every value the session holds, breaking the cycles through this machine:
    /// compiled code holds the machine, and the machine holds it in its globals
    /// (functions), its plan (rules, code fields) and the plans it opened. Without this a
    /// session that declared a function or a rule is never freed.
    public func clear() {
        for index in 0..<globalCapacity { globals[index] = .nil; globalIsSet[index] = false }
        plan.removeAll()
        if let session { for opened in session.openedPlans.values { opened.machine.clear() } }
        for cell in selfCells { cell.release() }
        selfCells = []
        // (A shared stack is its owner's to clear: its frames may be in use.)
        guard !sharesStack else { return }
        for index in 0..<(registers.pointee.stackReady - stack) { stack[index] = .nil }
        returnValue = .nil
        depth = 0
    }

    /// Sets `stackFloor` for the thread about to run code, from where its stack is now
    /// and how big it is (`withLargeStack` records that; other threads are assumed to
    /// have 512 KiB), keeping a margin for the deepest expression between two calls. A
    /// plan opened by a running program is set up on that program's thread and stack: it
    /// keeps the opener's guard, which allows no more.
    func prepareStackGuard() {
        var marker: UInt8 = 0
        let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        let size = (Thread.current.threadDictionary[largeStackKey] as? Int) ?? (512 << 10)
        let usable = UInt(size - min(max(size / 8, 128 << 10), 16 << 20))
        let floor = here > usable ? here - usable : 0
        stackFloor = sharesStack ? max(floor, stackFloor) : floor
    }

    /// Throws `interrupted` if Ctrl-C was pressed since the last look.
    @inline(__always)
    func poll(_ span: Span) throws {
        registers.pointee.pollCountdown -= 1
        if registers.pointee.pollCountdown <= 0 {
            registers.pointee.pollCountdown = 1024
            if interruptFlag.exchange(false, ordering: .relaxed) {
                throw RuntimeError(.interrupted, at: span)
            }
            // Memory is looked at every 16th time (reading it costs a few microseconds);
            // large allocations look sooner (`MemoryBudget.note`).
            registers.pointee.memoryCountdown -= 1
            if registers.pointee.memoryCountdown <= 0 {
                registers.pointee.memoryCountdown = 16
                try MemoryBudget.check(span)
            }
        }
    }

    /// Makes the running program stop at its next look at the interrupt flag, as if
    /// Ctrl-C were pressed again: for the places that turn an error into a finding and go
    /// on (a rule, a field), where an interruption must not end. (Most of the looks may
    /// fall in the rules a loop runs; the loop would then never see it.)
    func interruptAtNextPoll() {
        maplInterruptRequested.store(true, ordering: .relaxed)
        registers.pointee.pollCountdown = 1
    }

    /// Calls a function value from a built-in (e.g. a sort key); `top` is the first free slot.
    func call(_ callee: Value, _ arguments: [Value], top: Frame, span: Span) throws -> Value {
        switch callee {
        case .function(let closure):
            let proto = closure.proto
            guard proto.arity == arguments.count else {
                throw RuntimeError(.wrongArity(name: proto.name, expected: Arity(proto.arity), got: arguments.count), at: span)
            }
            try prepareFrame(for: proto, at: top, span: span)
            if proto.needsSelfSlot { top[0] = callee }
            for (index, argument) in arguments.enumerated() { top[index + 1] = argument }
            return try enter(proto, frame: top, span: span)
        case .builtin(let index):
            // The arguments go on the value stack; the built-in's own calls start above them.
            try reserve(top + arguments.count, span)
            for (offset, argument) in arguments.enumerated() { top[offset] = argument }
            defer { for offset in 0..<arguments.count { top[offset] = .nil } }
            return try Builtins.call(index, UnsafeBufferPointer(start: top, count: arguments.count),
                                     CallContext(machine: self, span: span, top: top + arguments.count))
        default:
            throw RuntimeError(.notCallable(callee.typeName), at: span)
        }
    }

    /// Checks the call depth, makes room for a callee's frame at `next`, and looks at
    /// the interrupt flag: what every call does before filling in the frame.
    @inline(__always)
    func prepareFrame(for proto: FunctionProto, at next: Frame, span: Span) throws {
        guard depth < Machine.maxCallDepth else {
            throw RuntimeError(.callDepthExceeded(limit: Machine.maxCallDepth), at: span)
        }
        try reserve(next + proto.frameSize, span)
        try poll(span)
    }

    /// Calls a built-in with one or two arguments put in stack slots at `top`, so no
    /// array is made (the common case of `floor(x)`, `push(xs, x)`).
    func callBuiltin(_ index: Int, _ a: Value, _ b: Value? = nil, top: Frame, span: Span) throws -> Value {
        let count = b == nil ? 1 : 2
        try reserve(top + count, span)
        top[0] = a
        if let b { top[1] = b }
        defer { for offset in 0..<count { top[offset] = .nil } }
        return try Builtins.call(index, UnsafeBufferPointer(start: top, count: count), CallContext(machine: self, span: span, top: top + count))
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
        // Take the value out, leaving nil, without an extra copy.
        return withUnsafeMutablePointer(to: &registers.pointee.returnValue) { slot in
            let result = slot.move()
            slot.initialize(to: .nil)
            return result
        }
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

/// Looks at the interrupt flag every 4,096 ticks, for native work that runs no mapl
/// code (a sort of millions of items, loading a large plan): Ctrl-C stops it as it
/// stops a loop.
struct InterruptCheck {
    private let flag: InterruptFlag
    private var countdown = 4096

    init(_ machine: Machine) { flag = machine.interruptFlag }

    mutating func tick(_ span: Span) throws(RuntimeError) {
        countdown -= 1
        guard countdown <= 0 else { return }
        countdown = 4096
        if flag.exchange(false, ordering: .relaxed) { throw RuntimeError(.interrupted, at: span) }
    }

    /// Whether Ctrl-C was pressed (checked every 4,096 ticks; the flag is left set for
    /// the caller to report).
    mutating func requested() -> Bool {
        countdown -= 1
        guard countdown <= 0 else { return false }
        countdown = 4096
        return flag.load(ordering: .relaxed)
    }
}
