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

extension ListObject {
    /// A list of the entity values of `entities[index]` for each of `indices` (each below
    /// `entities.count`), counted without atomic instructions, as is its release.
    convenience init(confinedEntitiesOf entities: UnsafeBufferPointer<Entity>, at indices: UnsafeBufferPointer<Int32>) {
        self.init(ContiguousArray(unsafeUninitializedCapacity: indices.count) { buffer, initialized in
            for (slot, index) in indices.enumerated() {
                let object = Unmanaged.passUnretained(entities[Int(index)]).toOpaque()
                // `swift_nonatomic_retain_n` rather than `swift_nonatomic_retain`: the
                // compiler knows the latter by name and turns it into an atomic retain.
                let retained = swift_nonatomic_retain_n(object, 1)
                buffer.initializeElement(at: slot, to: .entity(Unmanaged<Entity>.fromOpaque(retained).takeRetainedValue()))
            }
            initialized = indices.count
        })
        releasesEntitiesWithoutAtomics = true
    }
}

/// Releases the entities among `values` without atomic instructions and leaves `.nil` in
/// their slots; answers whether lists or records remain (a script may have added some).
/// Only for a list made with `ListObject(confinedEntitiesOf:at:)`: were the buffer shared
/// with another array (a script copied the list), making it writable would copy it
/// first, which is correct but costs what it saves.
func releaseEntitiesWithoutAtomics(_ values: inout ContiguousArray<Value>) -> Bool {
    values.withUnsafeMutableBufferPointer { slots in
        guard let base = slots.baseAddress else { return false }
        var containers = false
        for index in slots.indices {
            switch slots[index] {
            case .entity(let entity):
                let object = Unmanaged.passUnretained(entity).toOpaque()
                // Overwritten without being destroyed: the release below is the one the
                // slot owed.
                (base + index).initialize(to: .nil)
                swift_nonatomic_release(object)
            case .list, .record:
                containers = true
            default:
                continue
            }
        }
        return containers
    }
}
