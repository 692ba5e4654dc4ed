import CSwiftRuntime

// Reference counts without atomic instructions, for lists of entities built and freed in
// bulk.
//
// Why: `influencers(p, 3)` on a large plan answers with a list of a thousand people.
// Putting each person in the list and freeing the list again cost an atomic increment
// and an atomic decrement of that person's reference count: lock-prefixed instructions of
// about 20 cycles each, two thirds of the whole query. The Swift runtime's non-atomic
// entry points count the same way with plain loads and stores.
//
// Why it is safe: an entity, and every Value, list or record that holds one, is used by
// one thread at a time, and goes from one thread to another only once the first is done
// with it and a join or a semaphore orders the two. None of these types is Sendable, so
// Swift 6 rejects sharing them except through unchecked places, and each of those keeps
// to the rule:
//   - `withLargeStack` (Session.swift; the CLI and the REPL run programs through it) runs
//     the work on a thread of its own and waits for it;
//   - the lexer thread (Syntax/TokenSupply.swift) hands over tokens, names and literals;
//   - Graphviz export (Export/Graphviz.swift) moves bytes to and from `dot`;
//   - the fuzz harness moves a session between threads, one after the other.
// On one thread, atomic and non-atomic updates of a count are interchangeable, so these
// lists mix freely with values counted the ordinary way. The thread sanitizer cannot see
// a breach (the Swift runtime is not instrumented), so a test lists every place that
// makes a thread or shares a type unchecked, and fails on a new one until it has been
// checked against this rule (ThreadConfinedCountsTests.threadSites).
// Should Value or Entity ever become Sendable, this file has to go.

/// Makes the entity lists of one influence graph's answers, and takes their storage back
/// when they are freed. A freed list's storage is kept (all `.nil`) and filled in place
/// for the next answer: allocating a buffer per answer and destroying its slots one by
/// one when it was freed cost as much as the search. Holds one spare buffer: the
/// largest freed since it was last taken.
final class EntityListRecycler {
    private var spare = ContiguousArray<Value>()

    /// A list of the entity values of `entities[index]` for each of `indices` (each below
    /// `entities.count`), counted without atomic instructions, as is its release.
    func list(of entities: UnsafeBufferPointer<Entity>, at indices: UnsafeBufferPointer<Int32>) -> ListObject {
        let count = indices.count
        func fill(_ base: UnsafeMutablePointer<Value>) {
            for (slot, index) in indices.enumerated() {
                let retained = mapl_retain_unshared(Unmanaged.passUnretained(entities[Int(index)]).toOpaque())
                // Written over uninitialized memory or a `.nil`, which has nothing to destroy.
                (base + slot).initialize(to: .entity(Unmanaged<Entity>.fromOpaque(retained).takeRetainedValue()))
            }
        }
        var items = ContiguousArray<Value>()
        // A spare much bigger than the answer is left for a bigger one: a small answer a
        // script keeps must not hold on to a big buffer.
        if spare.capacity > 0, spare.capacity <= 2 * count + 64 {
            swap(&items, &spare)
            assert(items.allSatisfy { if case .nil = $0 { true } else { false } }, "a spare holds only .nil")
            if items.count > count {
                items.removeLast(items.count - count)
            } else if items.count < count {
                items.append(contentsOf: repeatElement(Value.nil, count: count - items.count))
            }
            items.withUnsafeMutableBufferPointer { slots in
                if let base = slots.baseAddress { fill(base) }
            }
        } else {
            items = ContiguousArray(unsafeUninitializedCapacity: count) { buffer, initialized in
                if let base = buffer.baseAddress { fill(base) }
                initialized = count
            }
        }
        return RecycledList(items, recycler: self)
    }

    /// Takes back the storage of a list this recycler made, when the list is freed: its
    /// entities are released without atomic instructions, and if nothing else is left
    /// in it (a script may have added values) it becomes the spare. Answers whether lists
    /// or records are left, for the caller to free iteratively.
    func recycle(_ items: inout ContiguousArray<Value>) -> Bool {
        switch releaseEntitiesWithoutAtomics(&items) {
        case .nothing:
            if items.capacity > spare.capacity { swap(&items, &spare) }
            return false
        case .values:
            return false
        case .containers:
            return true
        }
    }
}

/// A list an `EntityListRecycler` made (a subclass, so that other lists do not carry the
/// reference): its entities are released without atomic instructions, and its storage
/// goes back to the recycler.
final class RecycledList: ListObject {
    let recycler: EntityListRecycler

    init(_ items: ContiguousArray<Value>, recycler: EntityListRecycler) {
        self.recycler = recycler
        super.init(items)
    }

    // Runs before ListObject's deinit, which frees what is left (lists and records,
    // iteratively).
    deinit {
        if !recycler.recycle(&items) { items = [] }
    }
}

/// What is left of a list once its entities are released.
private enum Leftovers { case nothing, values, containers }

/// Releases the entities among `values` without atomic instructions and leaves `.nil` in
/// their slots. Only for storage an `EntityListRecycler` made: were the buffer shared with
/// another array (a script copied the list), making it writable would copy it first,
/// which is correct but costs what it saves.
private func releaseEntitiesWithoutAtomics(_ values: inout ContiguousArray<Value>) -> Leftovers {
    values.withUnsafeMutableBufferPointer { slots in
        guard let base = slots.baseAddress else { return .nothing }
        var left = Leftovers.nothing
        for index in slots.indices {
            switch slots[index] {
            case .entity(let entity):
                let object = Unmanaged.passUnretained(entity).toOpaque()
                // Overwritten without being destroyed: the release below is the one the
                // slot owed.
                (base + index).initialize(to: .nil)
                mapl_release_unshared(object)
            case .nil:
                continue
            case .list, .record:
                left = .containers
            default:
                if left == .nothing { left = .values }
            }
        }
        return left
    }
}
