// Compiled as C, and called from Swift as ordinary external functions. Swift's own
// optimizer knows the runtime's reference-counting entry points by name and may move,
// pair off or rebuild calls to them (turning a non-atomic retain into an atomic one);
// calls to these wrappers it leaves alone. libswiftCore, which defines the two entry
// points, is linked into every Swift program.
#include "runtime.h"

extern void *swift_nonatomic_retain(void *object);
extern void swift_nonatomic_release(void *object);

void *mapl_retain_unshared(void *object) { return swift_nonatomic_retain(object); }

void mapl_release_unshared(void *object) { swift_nonatomic_release(object); }

