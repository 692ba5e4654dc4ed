// Reference counting without atomic instructions, for objects only one thread touches
// at a time: the Swift runtime's non-atomic entry points, behind functions of our own.
// See Sources/Mapl/Runtime/ThreadConfinedCounts.swift for when they may be used.
#ifndef MAPL_SWIFT_RUNTIME_H
#define MAPL_SWIFT_RUNTIME_H

/// swift_nonatomic_retain: one more strong reference to `object`; answers `object`.
void *_Nonnull mapl_retain_unshared(void *_Nonnull object);

/// swift_nonatomic_release: one strong reference to `object` fewer (freeing it at zero).
void mapl_release_unshared(void *_Nonnull object);

/// Reading a page of a mapped plan file that another program has since truncated raises
/// SIGBUS (BUS_ADRERR): this makes that a message and exit status 74 (EX_IOERR) instead
/// of a crash. Any other SIGBUS goes to the handler that was there before. For a
/// command-line program to call once at start.
void mapl_report_source_faults(void);

#endif
