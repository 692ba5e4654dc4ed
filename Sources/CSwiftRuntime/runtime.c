// Compiled as C, and called from Swift as ordinary external functions. Swift's own
// optimizer knows the runtime's reference-counting entry points by name and may move,
// pair off or rebuild calls to them (turning a non-atomic retain into an atomic one);
// calls to these wrappers it leaves alone. libswiftCore, which defines the two entry
// points, is linked into every Swift program.
#include "runtime.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

extern void *swift_nonatomic_retain(void *object);
extern void swift_nonatomic_release(void *object);

void *mapl_retain_unshared(void *object) { return swift_nonatomic_retain(object); }

void mapl_release_unshared(void *object) { swift_nonatomic_release(object); }

// Large plan files are mapped (SourceBytes.swift); see mapl_report_source_faults.
static struct sigaction mapl_previous_bus_action;

static void mapl_source_fault(int signo, siginfo_t *info, void *context) {
    (void)context;
    if (info == NULL || info->si_code != BUS_ADRERR) {
        // Not a read past the end of a mapped file (a signal sent with kill, a misaligned
        // or hardware fault): handled as before, so the crash report is not lost. A fault
        // comes again when the instruction is retried; a sent signal is sent again.
        sigaction(signo, &mapl_previous_bus_action, NULL);
        if (info == NULL || info->si_code <= 0) raise(signo);
        return;
    }
    static const char message[] =
        "mapl: a plan file shrank while mapl was reading it (another program changed it); run again\n";
    ssize_t written = write(2, message, sizeof message - 1);
    (void)written;
    _exit(74);
}

void mapl_report_source_faults(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = mapl_source_fault;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGBUS, &action, &mapl_previous_bus_action);
}
