#ifndef DOCSTORE_CSQLITE_SHIM_H
#define DOCSTORE_CSQLITE_SHIM_H
#include <sqlite3.h>

// SQLITE_TRANSIENT and SQLITE_STATIC are macros that cast integers to function pointers,
// which Swift cannot import; these give Swift the same destructor values.
static inline sqlite3_destructor_type docstore_sqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline sqlite3_destructor_type docstore_sqlite_static(void) { return SQLITE_STATIC; }
#endif
