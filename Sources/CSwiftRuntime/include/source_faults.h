#ifndef MAPL_SOURCE_FAULTS_H
#define MAPL_SOURCE_FAULTS_H

/// Reading a page of a mapped plan file that another program has since truncated raises
/// SIGBUS (BUS_ADRERR): this makes that a message and exit status 74 (EX_IOERR) instead
/// of a crash. Any other SIGBUS goes to the handler that was there before. For a
/// command-line program to call once at start.
void mapl_report_source_faults(void);

#endif
