// A C face for RE2 (C++), so the ReQL target can compile and run RethinkDB's regular
// expressions (`match`) with the same engine and syntax RethinkDB uses.
#ifndef DOCSTORE_CRE2_H
#define DOCSTORE_CRE2_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct docstore_re2 docstore_re2;

/// Compiles `pattern` (UTF-8, `length` bytes) quietly; never returns NULL. Check
/// `docstore_re2_ok` before matching; free with `docstore_re2_free`.
docstore_re2 *docstore_re2_new(const char *pattern, size_t length);
void docstore_re2_free(docstore_re2 *regex);

/// Whether the pattern compiled; if not, RE2's message and the part of the pattern at fault.
int docstore_re2_ok(const docstore_re2 *regex);
const char *docstore_re2_error(const docstore_re2 *regex);
const char *docstore_re2_error_arg(const docstore_re2 *regex);

/// The number of capturing groups (not counting the whole match).
int docstore_re2_group_count(const docstore_re2 *regex);

/// Finds the first match anywhere in `text`. On a match returns 1 and fills `starts[i]` and
/// `ends[i]` (byte offsets) for the whole match (i = 0) and each group, -1 for a group that
/// took no part; `count` is 1 + the group count. Returns 0 when nothing matches.
int docstore_re2_match(const docstore_re2 *regex, const char *text, size_t length,
                       long *starts, long *ends, int count);

#ifdef __cplusplus
}
#endif

#endif
