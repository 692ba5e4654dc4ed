// The system's SQLite (libsqlite3), for `mapl export --format sqlite`.
#ifndef MAPL_CSQLITE_SHIM_H
#define MAPL_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
