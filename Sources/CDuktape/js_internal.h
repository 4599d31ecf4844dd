// What the shim's files share. Only this folder includes duktape.h.
#ifndef DOCSTORE_JS_INTERNAL_H
#define DOCSTORE_JS_INTERNAL_H

#include <duktape.h>
#include <setjmp.h>

#include "CDuktape.h"

typedef struct docstore_js_block docstore_js_block;

struct docstore_js {
    duk_context *ctx;
    size_t memory_limit;
    size_t memory_used;
    /// An allocation was refused during the current run.
    int limit_hit;
    /// Every live allocation, so a heap that died in a fatal error can still be freed.
    docstore_js_block *blocks;
    int64_t next_function_id;
    int crashed;

    // The current run.
    int running;
    /// DOCSTORE_JS_TIMED_OUT or DOCSTORE_JS_INTERRUPTED once decided; stays until the run ends,
    /// so the error keeps coming back through every `catch` until the code is unwound.
    docstore_js_status stop;
    uint64_t deadline_ns;
    int (*poll)(void *context);
    void *poll_context;
    jmp_buf recover;
};

/// Text being built for a result: plain malloc, outside the heap's budget, since it leaves
/// the heap with the result.
typedef struct {
    char *bytes;
    size_t length;
    size_t capacity;
    int failed;
} docstore_js_text;

void docstore_js_text_append(docstore_js_text *text, const char *bytes, size_t length);

/// Appends Duktape's internal string bytes (CESU-8: surrogate pairs as two 3-byte sequences)
/// as UTF-8, lone surrogates and stray bytes as U+FFFD; with `json`, quoted and escaped.
void docstore_js_text_append_string(docstore_js_text *text, const char *bytes, size_t length, int json);

/// Global stash keys of the built-ins captured when the heap was made, so a script that
/// reassigns `Date` or `RegExp` cannot change how values convert.
#define DOCSTORE_JS_DATE "docstore.Date"
#define DOCSTORE_JS_DATE_PROTOTYPE "docstore.Date.prototype"
#define DOCSTORE_JS_REGEXP_PROTOTYPE "docstore.RegExp.prototype"
#define DOCSTORE_JS_FUNCTIONS "docstore.functions"

/// Writes the value on the stack top as JSON. Returns NULL, or RethinkDB's message for a value
/// that has no datum; sets `*over_array_limit` for an array longer than `array_limit`.
/// Runs inside a protected call (it reads properties, which may run getters).
const char *docstore_js_to_json(duk_context *ctx, docstore_js_text *out, size_t array_limit, int *over_array_limit);

/// Replaces the TIME pseudotype objects in the value on the stack top by Dates, as RethinkDB
/// hands times to JavaScript.
void docstore_js_revive_times(duk_context *ctx);

#endif
