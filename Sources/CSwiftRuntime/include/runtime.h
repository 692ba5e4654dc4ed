// Reference counting without atomic instructions, for objects only one thread touches
// at a time: the Swift runtime's non-atomic entry points, behind functions of our own.
// See Sources/Mapl/Runtime/ThreadConfinedCounts.swift for when they may be used.
#ifndef MAPL_SWIFT_RUNTIME_H
#define MAPL_SWIFT_RUNTIME_H

/// swift_nonatomic_retain: one more strong reference to `object`; answers `object`.
void *_Nonnull mapl_retain_unshared(void *_Nonnull object);

/// swift_nonatomic_release: one strong reference to `object` fewer (freeing it at zero).
void mapl_release_unshared(void *_Nonnull object);

#endif
