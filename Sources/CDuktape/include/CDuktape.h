// DocStore's JavaScript engine for `r.js`: Duktape 2.7 behind a few calls that never throw.
//
// Duktape reports errors with longjmp, which must never cross a Swift frame, so nothing of its
// API is exposed here: every call below runs the engine inside a protected call and returns a
// status. Values cross as JSON text (RethinkDB's TIME pseudotype for JavaScript dates).
#ifndef CDUKTAPE_H
#define CDUKTAPE_H

#include <stddef.h>
#include <stdint.h>

/// One JavaScript heap with a memory budget. Used by one thread at a time.
typedef struct docstore_js docstore_js;

typedef enum {
    /// `text` is the value as JSON.
    DOCSTORE_JS_VALUE = 0,
    /// The source evaluated to a function, kept in the heap under `function_id`.
    DOCSTORE_JS_FUNCTION = 1,
    /// `text` is the message: the exception's string, or why the value has no JSON form.
    DOCSTORE_JS_ERROR = 2,
    /// The run went past its timeout.
    DOCSTORE_JS_TIMED_OUT = 3,
    /// The poll function asked the run to stop.
    DOCSTORE_JS_INTERRUPTED = 4,
    /// The value holds an array longer than `array_limit`.
    DOCSTORE_JS_ARRAY_LIMIT = 5,
    /// The run failed after the heap reached its memory budget.
    DOCSTORE_JS_OUT_OF_MEMORY = 6,
    /// The engine hit a fatal error; the heap is gone (its memory freed) and every later call
    /// answers this. Destroy it and make another.
    DOCSTORE_JS_CRASHED = 7,
} docstore_js_status;

typedef struct {
    uint64_t timeout_ms;
    size_t array_limit;
    /// Asked every few hundred thousand instructions; nonzero stops the run. May be NULL.
    int (*poll)(void *context);
    void *poll_context;
} docstore_js_limits;

typedef struct {
    docstore_js_status status;
    int64_t function_id;
    /// UTF-8, not NUL-terminated; free it with docstore_js_free_text. NULL when empty.
    char *text;
    size_t length;
} docstore_js_result;

/// A new heap that may hold at most `memory_limit` bytes; NULL if even that fails.
docstore_js *docstore_js_create(size_t memory_limit);
void docstore_js_destroy(docstore_js *js);

/// Evaluates `source` as global code: a function stays in the heap, anything else comes back
/// as JSON.
docstore_js_result docstore_js_eval(docstore_js *js, const char *source, size_t length,
                                    const docstore_js_limits *limits);

/// Calls a function `docstore_js_eval` kept, with the elements of the JSON array `arguments`.
docstore_js_result docstore_js_call(docstore_js *js, int64_t function_id, const char *arguments,
                                    size_t length, const docstore_js_limits *limits);

/// Lets the heap collect a function `docstore_js_eval` kept.
void docstore_js_release(docstore_js *js, int64_t function_id);

/// How many bytes the heap holds now.
size_t docstore_js_memory_used(const docstore_js *js);

void docstore_js_free_text(char *text);

#endif
