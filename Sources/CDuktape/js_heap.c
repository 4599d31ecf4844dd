// The heap: its allocator (a byte budget, and a list of blocks so a heap that died in a fatal
// error can still be freed), the check that stops running code, and the protected runs that
// evaluate sources and call functions.
#include "js_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct docstore_js_block {
    docstore_js_block *previous;
    docstore_js_block *next;
    size_t size;
    size_t padding;
};
_Static_assert(sizeof(docstore_js_block) % _Alignof(max_align_t) == 0, "blocks keep their payload aligned");

// MARK: Allocator

static void link_block(docstore_js *js, docstore_js_block *block) {
    block->previous = NULL;
    block->next = js->blocks;
    if (js->blocks != NULL) js->blocks->previous = block;
    js->blocks = block;
}

static void unlink_block(docstore_js *js, docstore_js_block *block) {
    if (block->previous != NULL) block->previous->next = block->next; else js->blocks = block->next;
    if (block->next != NULL) block->next->previous = block->previous;
}

static int fits(docstore_js *js, size_t more) {
    if (more <= js->memory_limit - js->memory_used && more <= SIZE_MAX - sizeof(docstore_js_block)) return 1;
    // Duktape collects garbage and retries once, then throws a RangeError the script may catch.
    js->limit_hit = 1;
    return 0;
}

static void *heap_alloc(void *udata, duk_size_t size) {
    docstore_js *js = udata;
    if (size == 0 || !fits(js, size)) return NULL;
    docstore_js_block *block = malloc(sizeof *block + size);
    if (block == NULL) {
        js->limit_hit = 1;
        return NULL;
    }
    block->size = size;
    link_block(js, block);
    js->memory_used += size;
    return block + 1;
}

static void heap_free(void *udata, void *pointer) {
    docstore_js *js = udata;
    if (pointer == NULL) return;
    docstore_js_block *block = (docstore_js_block *) pointer - 1;
    unlink_block(js, block);
    js->memory_used -= block->size;
    free(block);
}

static void *heap_realloc(void *udata, void *pointer, duk_size_t size) {
    docstore_js *js = udata;
    if (pointer == NULL) return heap_alloc(udata, size);
    if (size == 0) {
        heap_free(udata, pointer);
        return NULL;
    }
    docstore_js_block *block = (docstore_js_block *) pointer - 1;
    size_t old = block->size;
    if (size > old && !fits(js, size - old)) return NULL;
    unlink_block(js, block);
    docstore_js_block *moved = realloc(block, sizeof *moved + size);
    if (moved == NULL) {
        link_block(js, block);
        js->limit_hit = 1;
        return NULL;
    }
    moved->size = size;
    link_block(js, moved);
    js->memory_used = js->memory_used - old + size;
    return moved + 1;
}

static void free_blocks(docstore_js *js) {
    docstore_js_block *block = js->blocks;
    while (block != NULL) {
        docstore_js_block *next = block->next;
        free(block);
        block = next;
    }
    js->blocks = NULL;
    js->memory_used = 0;
}

// MARK: Stopping

// Duktape's default fatal handler aborts the process. A fatal error leaves the heap unusable,
// so the run that hit it jumps back out and the heap's blocks are freed without Duktape.
static void heap_fatal(void *udata, const char *message) {
    (void) message;
    docstore_js *js = udata;
    if (js != NULL && js->running) longjmp(js->recover, 1);
    abort();
}

static uint64_t now_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t) now.tv_sec * 1000000000u + (uint64_t) now.tv_nsec;
}

static uint64_t deadline_after(uint64_t timeout_ms) {
    uint64_t now = now_ns();
    if (timeout_ms > (UINT64_MAX - now) / 1000000u) return UINT64_MAX;
    return now + timeout_ms * 1000000u;
}

// Duktape's executor calls this every DUK_HTHREAD_INTCTR_DEFAULT (256 Ki) instructions.
int docstore_js_should_stop(void *udata) {
    docstore_js *js = udata;
    if (js == NULL || !js->running) return 0;
    if (js->stop != 0) return 1;
    if (js->poll != NULL && js->poll(js->poll_context)) {
        js->stop = DOCSTORE_JS_INTERRUPTED;
        return 1;
    }
    if (now_ns() >= js->deadline_ns) {
        js->stop = DOCSTORE_JS_TIMED_OUT;
        return 1;
    }
    return 0;
}

// MARK: Heap

static duk_ret_t capture_builtins(duk_context *ctx, void *udata) {
    (void) udata;
    duk_push_global_stash(ctx);
    duk_get_global_string(ctx, "Date");
    duk_get_prop_string(ctx, -1, "prototype");
    duk_put_prop_string(ctx, -3, DOCSTORE_JS_DATE_PROTOTYPE);
    duk_put_prop_string(ctx, -2, DOCSTORE_JS_DATE);
    duk_get_global_string(ctx, "RegExp");
    duk_get_prop_string(ctx, -1, "prototype");
    duk_put_prop_string(ctx, -3, DOCSTORE_JS_REGEXP_PROTOTYPE);
    duk_pop(ctx);
    duk_push_object(ctx);
    duk_put_prop_string(ctx, -2, DOCSTORE_JS_FUNCTIONS);
    return 0;
}

docstore_js *docstore_js_create(size_t memory_limit) {
    docstore_js *js = calloc(1, sizeof *js);
    if (js == NULL) return NULL;
    js->memory_limit = memory_limit;
    js->next_function_id = 1;
    js->deadline_ns = UINT64_MAX;
    js->running = 1;
    if (setjmp(js->recover) != 0) {
        free_blocks(js);
        free(js);
        return NULL;
    }
    js->ctx = duk_create_heap(heap_alloc, heap_realloc, heap_free, js, heap_fatal);
    if (js->ctx == NULL) {
        free_blocks(js);
        free(js);
        return NULL;
    }
    if (duk_safe_call(js->ctx, capture_builtins, NULL, 0, 1) != DUK_EXEC_SUCCESS) {
        duk_destroy_heap(js->ctx);
        free_blocks(js);
        free(js);
        return NULL;
    }
    duk_pop(js->ctx);
    js->running = 0;
    return js;
}

void docstore_js_destroy(docstore_js *js) {
    if (js == NULL) return;
    if (js->ctx != NULL && !js->crashed) {
        // Finalizers run here; stopped from the start, none of them can hold the caller up.
        js->running = 1;
        js->poll = NULL;
        js->stop = DOCSTORE_JS_TIMED_OUT;
        if (setjmp(js->recover) == 0) duk_destroy_heap(js->ctx);
        js->running = 0;
    }
    free_blocks(js);
    free(js);
}

size_t docstore_js_memory_used(const docstore_js *js) {
    return js == NULL ? 0 : js->memory_used;
}

void docstore_js_free_text(char *text) {
    free(text);
}

// MARK: Runs

typedef struct {
    docstore_js *js;
    const char *input;
    size_t input_length;
    int64_t function_id;
    size_t array_limit;
    docstore_js_status status;
    docstore_js_text text;
    /// RethinkDB's message for a value that has no datum.
    const char *message;
    int over_array_limit;
} docstore_js_run;

static duk_ret_t eval_body(duk_context *ctx, void *udata) {
    docstore_js_run *run = udata;
    duk_eval_lstring(ctx, run->input, run->input_length);
    if (duk_is_function(ctx, -1)) {
        int64_t id = run->js->next_function_id++;
        duk_push_global_stash(ctx);
        duk_get_prop_string(ctx, -1, DOCSTORE_JS_FUNCTIONS);
        duk_push_number(ctx, (double) id);
        duk_dup(ctx, -4);
        duk_put_prop(ctx, -3);
        duk_pop_2(ctx);
        run->status = DOCSTORE_JS_FUNCTION;
        run->function_id = id;
        return 1;
    }
    run->message = docstore_js_to_json(ctx, &run->text, run->array_limit, &run->over_array_limit);
    run->status = DOCSTORE_JS_VALUE;
    return 1;
}

static duk_ret_t call_body(duk_context *ctx, void *udata) {
    docstore_js_run *run = udata;
    duk_push_lstring(ctx, run->input, run->input_length);
    duk_json_decode(ctx, -1);
    duk_idx_t arguments = duk_get_top_index(ctx);
    duk_push_global_stash(ctx);
    duk_get_prop_string(ctx, -1, DOCSTORE_JS_FUNCTIONS);
    duk_push_number(ctx, (double) run->function_id);
    duk_get_prop(ctx, -2);
    if (!duk_is_function(ctx, -1)) {
        run->message = "JavaScript function not found.";
        return 1;
    }
    duk_size_t count = duk_get_length(ctx, arguments);
    duk_require_stack(ctx, (duk_idx_t) count + 1);
    for (duk_size_t index = 0; index < count; index++) {
        duk_get_prop_index(ctx, arguments, (duk_uarridx_t) index);
        docstore_js_revive_times(ctx);
    }
    // `this` is undefined, so a sloppy-mode function sees the global object, as in RethinkDB.
    duk_call(ctx, (duk_idx_t) count);
    if (duk_is_function(ctx, -1)) {
        run->message = "Returning functions from within `r.js` is unsupported.";
        return 1;
    }
    run->message = docstore_js_to_json(ctx, &run->text, run->array_limit, &run->over_array_limit);
    run->status = DOCSTORE_JS_VALUE;
    return 1;
}

static docstore_js_result text_result(docstore_js_status status, docstore_js_text *text) {
    docstore_js_result result = { status, 0, text->bytes, text->length };
    text->bytes = NULL;
    return result;
}

static docstore_js_result message_result(docstore_js_status status, const char *message, size_t length) {
    docstore_js_text text = { NULL, 0, 0, 0 };
    docstore_js_text_append_string(&text, message, length, 0);
    if (text.failed) {
        free(text.bytes);
        docstore_js_result failed = { DOCSTORE_JS_OUT_OF_MEMORY, 0, NULL, 0 };
        return failed;
    }
    return text_result(status, &text);
}

// What the protected call left: its value (on the stack top) and the run's notes.
static docstore_js_result outcome(docstore_js *js, docstore_js_run *run, duk_int_t code) {
    docstore_js_result plain = { DOCSTORE_JS_ERROR, 0, NULL, 0 };
    if (code == DUK_EXEC_SUCCESS) {
        if (run->text.failed) {
            plain.status = DOCSTORE_JS_OUT_OF_MEMORY;
        } else if (run->over_array_limit) {
            plain.status = DOCSTORE_JS_ARRAY_LIMIT;
        } else if (run->message != NULL) {
            return message_result(DOCSTORE_JS_ERROR, run->message, strlen(run->message));
        } else if (run->status == DOCSTORE_JS_FUNCTION) {
            plain.status = DOCSTORE_JS_FUNCTION;
            plain.function_id = run->function_id;
        } else {
            return text_result(DOCSTORE_JS_VALUE, &run->text);
        }
        return plain;
    }
    if (js->stop == 0 && !js->limit_hit) {
        // The exception's own string, as RethinkDB reports it (no prefix); a `toString` of the
        // script's that throws or loops gives Duktape's fallback text or the timeout.
        duk_size_t length = 0;
        const char *message = duk_safe_to_lstring(js->ctx, -1, &length);
        if (js->stop == 0) return message_result(DOCSTORE_JS_ERROR, message, length);
    }
    plain.status = js->stop != 0 ? js->stop : DOCSTORE_JS_OUT_OF_MEMORY;
    return plain;
}

static docstore_js_result perform(docstore_js *js, docstore_js_run *run, const docstore_js_limits *limits,
                                  duk_safe_call_function body) {
    docstore_js_result crashed = { DOCSTORE_JS_CRASHED, 0, NULL, 0 };
    if (js == NULL || js->crashed) return crashed;
    js->deadline_ns = deadline_after(limits->timeout_ms);
    js->poll = limits->poll;
    js->poll_context = limits->poll_context;
    js->stop = 0;
    js->limit_hit = 0;
    js->running = 1;
    if (setjmp(js->recover) != 0) {
        js->running = 0;
        js->crashed = 1;
        js->ctx = NULL;
        free_blocks(js);
        free(run->text.bytes);
        return crashed;
    }
    duk_int_t code = duk_safe_call(js->ctx, body, run, 0, 1);
    docstore_js_result result = outcome(js, run, code);
    free(run->text.bytes);
    duk_pop(js->ctx);
    js->running = 0;
    js->poll = NULL;
    return result;
}

docstore_js_result docstore_js_eval(docstore_js *js, const char *source, size_t length,
                                    const docstore_js_limits *limits) {
    docstore_js_run run = { 0 };
    run.js = js;
    run.input = source;
    run.input_length = length;
    run.array_limit = limits->array_limit;
    return perform(js, &run, limits, eval_body);
}

docstore_js_result docstore_js_call(docstore_js *js, int64_t function_id, const char *arguments,
                                    size_t length, const docstore_js_limits *limits) {
    docstore_js_run run = { 0 };
    run.js = js;
    run.input = arguments;
    run.input_length = length;
    run.function_id = function_id;
    run.array_limit = limits->array_limit;
    return perform(js, &run, limits, call_body);
}

static duk_ret_t release_body(duk_context *ctx, void *udata) {
    docstore_js_run *run = udata;
    duk_push_global_stash(ctx);
    duk_get_prop_string(ctx, -1, DOCSTORE_JS_FUNCTIONS);
    duk_push_number(ctx, (double) run->function_id);
    duk_del_prop(ctx, -2);
    return 0;
}

void docstore_js_release(docstore_js *js, int64_t function_id) {
    docstore_js_run run = { 0 };
    run.js = js;
    run.function_id = function_id;
    // Dropping the last reference may run a finalizer: it gets a short leash.
    docstore_js_limits limits = { 100, 0, NULL, NULL };
    docstore_js_result result = perform(js, &run, &limits, release_body);
    free(result.text);
}
