// Entry points of the Swift runtime that Swift code cannot name itself: reference
// counting without atomic instructions, for objects only one thread touches at a time.
// libswiftCore exports them (it is always linked); see Runtime/ThreadConfinedCounts.swift.
#ifndef MAPL_SWIFT_RUNTIME_H
#define MAPL_SWIFT_RUNTIME_H

void *_Nonnull swift_nonatomic_retain_n(void *_Nonnull object, unsigned int n);
void swift_nonatomic_release(void *_Nonnull object);

#endif
