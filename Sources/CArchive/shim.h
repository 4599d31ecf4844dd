#ifndef DOCSTORE_CARCHIVE_SHIM_H
#define DOCSTORE_CARCHIVE_SHIM_H
// libarchive: the tar.gz archives of `docstore dump` and `docstore restore`, in the layout of
// RethinkDB's `rethinkdb dump` (Python's tarfile writes and reads the same ustar/pax format).
#include <archive.h>
#include <archive_entry.h>
#endif
