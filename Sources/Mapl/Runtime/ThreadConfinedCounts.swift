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
// one thread at a time. None of these types is Sendable, so Swift 6 refuses to share them
// between threads (the compiler checks every global too), and the one hand-off there is,
// `withLargeStack`, waits for the other thread to finish, which orders that thread's
// counting before ours. On one thread, atomic and non-atomic updates of a count are
// interchangeable, so these lists mix freely with values counted the ordinary way.
// Should Value or Entity ever become Sendable, this file has to go.

/// Makes the entity lists of one influence graph's answers, and takes their storage back
/// when they are freed. A freed list's storage is kept (all `.nil`) and filled in place
/// for the next answer: allocating a buffer per answer and destroying its slots one by
/// one when it was freed cost as much as the search. Holds one spare buffer, the one
/// of the largest list freed since the last answer.
final class EntityListRecycler {
    private var spare = ContiguousArray<Value>()

    /// A list of the entity values of `entities[index]` for each of `indices` (each below
    /// `entities.count`), counted without atomic instructions, as is its release.
    func list(of entities: UnsafeBufferPointer<Entity>, at indices: UnsafeBufferPointer<Int32>) -> ListObject {
        var items = ContiguousArray<Value>()
        swap(&items, &spare)
        if items.count > indices.count {
            items.removeLast(items.count - indices.count)
        } else if items.count < indices.count {
            items.append(contentsOf: repeatElement(Value.nil, count: indices.count - items.count))
        }
        items.withUnsafeMutableBufferPointer { slots in
            guard let base = slots.baseAddress else { return }
            for (slot, index) in indices.enumerated() {
                let object = Unmanaged.passUnretained(entities[Int(index)]).toOpaque()
                // `swift_nonatomic_retain_n` rather than `swift_nonatomic_retain`: the
                // compiler knows the latter by name and turns it into an atomic retain.
                let retained = swift_nonatomic_retain_n(object, 1)
                // Written over a `.nil`, which has nothing to destroy.
                (base + slot).initialize(to: .entity(Unmanaged<Entity>.fromOpaque(retained).takeRetainedValue()))
            }
        }
        let list = ListObject(items)
        list.recycler = self
        return list
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
                swift_nonatomic_release(object)
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
