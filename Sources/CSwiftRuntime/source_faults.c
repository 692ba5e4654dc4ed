// Large plan files are mapped into memory (SourceBytes.swift). Reading a page of one
// that another program has since truncated raises SIGBUS; see source_faults.h.
#include "source_faults.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

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
