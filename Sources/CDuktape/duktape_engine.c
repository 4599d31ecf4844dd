// Duktape itself, compiled from the amalgamated source Debian's duktape-dev ships for
// embedding. Debian's prebuilt libduktape has no way to stop running code
// (DUK_USE_INTERRUPT_COUNTER and DUK_USE_EXEC_TIMEOUT_CHECK are off, and both are compile-time
// options), and `r.js` needs its timeout, so the engine is built here with Debian's
// configuration plus that one check.
#if !__has_include("/usr/share/duktape/duktape.c")
#error "Duktape's source is missing: apt-get install duktape-dev"
#endif

#define DUK_COMPILING_DUKTAPE
#include "/usr/share/duktape/duk_config.h"
#define DUK_USE_INTERRUPT_COUNTER
#define DUK_USE_EXEC_TIMEOUT_CHECK docstore_js_should_stop
// Defined in js_heap.c: nonzero once the running code must stop (timeout or cancellation).
int docstore_js_should_stop(void *udata);

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Weverything"
#include "/usr/share/duktape/duktape.c"
#pragma clang diagnostic pop
