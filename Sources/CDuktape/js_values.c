// Values between ReQL and JavaScript, with the rules of RethinkDB's js_job.cc: datums come in
// as JSON (times become Dates); results go out as JSON, and what has no datum (undefined,
// functions, RegExps, non-finite numbers, cycles) is refused with RethinkDB's message.
#include "js_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/// RethinkDB's TO_JSON_RECURSION_LIMIT ("picked from a hat").
#define RECURSION_LIMIT 500

// MARK: Text

void docstore_js_text_append(docstore_js_text *text, const char *bytes, size_t length) {
    if (text->failed) return;
    if (length > text->capacity - text->length) {
        size_t capacity = text->capacity < 256 ? 256 : text->capacity;
        while (capacity - text->length < length) {
            if (capacity > SIZE_MAX / 2) {
                text->failed = 1;
                return;
            }
            capacity *= 2;
        }
        char *grown = realloc(text->bytes, capacity);
        if (grown == NULL) {
            text->failed = 1;
            return;
        }
        text->bytes = grown;
        text->capacity = capacity;
    }
    memcpy(text->bytes + text->length, bytes, length);
    text->length += length;
}

static void append_literal(docstore_js_text *text, const char *literal) {
    docstore_js_text_append(text, literal, strlen(literal));
}

// One code point of Duktape's extended UTF-8 (up to 7 bytes); U+FFFD for a malformed sequence,
// which then counts as one byte.
static size_t decode(const unsigned char *bytes, size_t length, uint32_t *point) {
    unsigned char lead = bytes[0];
    size_t count;
    uint32_t value;
    if (lead < 0x80) {
        *point = lead;
        return 1;
    } else if (lead >= 0xc0 && lead < 0xe0) {
        count = 2; value = lead & 0x1f;
    } else if (lead >= 0xe0 && lead < 0xf0) {
        count = 3; value = lead & 0x0f;
    } else if (lead >= 0xf0 && lead < 0xf8) {
        count = 4; value = lead & 0x07;
    } else {
        *point = 0xfffd;
        return 1;
    }
    if (count > length) {
        *point = 0xfffd;
        return 1;
    }
    for (size_t index = 1; index < count; index++) {
        if ((bytes[index] & 0xc0) != 0x80) {
            *point = 0xfffd;
            return 1;
        }
        value = (value << 6) | (bytes[index] & 0x3f);
    }
    *point = value > 0x10ffff ? 0xfffd : value;
    return count;
}

static void append_point(docstore_js_text *text, uint32_t point) {
    char out[4];
    size_t count;
    if (point < 0x80) {
        out[0] = (char) point; count = 1;
    } else if (point < 0x800) {
        out[0] = (char) (0xc0 | (point >> 6)); out[1] = (char) (0x80 | (point & 0x3f)); count = 2;
    } else if (point < 0x10000) {
        out[0] = (char) (0xe0 | (point >> 12)); out[1] = (char) (0x80 | ((point >> 6) & 0x3f));
        out[2] = (char) (0x80 | (point & 0x3f)); count = 3;
    } else {
        out[0] = (char) (0xf0 | (point >> 18)); out[1] = (char) (0x80 | ((point >> 12) & 0x3f));
        out[2] = (char) (0x80 | ((point >> 6) & 0x3f)); out[3] = (char) (0x80 | (point & 0x3f)); count = 4;
    }
    docstore_js_text_append(text, out, count);
}

void docstore_js_text_append_string(docstore_js_text *text, const char *bytes, size_t length, int json) {
    const unsigned char *input = (const unsigned char *) bytes;
    if (json) docstore_js_text_append(text, "\"", 1);
    size_t index = 0;
    while (index < length) {
        // Plain ASCII goes over in runs.
        size_t run = index;
        while (run < length && input[run] < 0x80 && (!json || (input[run] >= 0x20 && input[run] != '"' && input[run] != '\\'))) run++;
        if (run > index) {
            docstore_js_text_append(text, bytes + index, run - index);
            index = run;
            continue;
        }
        uint32_t point;
        index += decode(input + index, length - index, &point);
        if (point >= 0xd800 && point < 0xdc00) {
            uint32_t low = 0;
            size_t next = index < length ? decode(input + index, length - index, &low) : 0;
            if (next > 0 && low >= 0xdc00 && low < 0xe000) {
                point = 0x10000 + ((point - 0xd800) << 10) + (low - 0xdc00);
                index += next;
            } else {
                point = 0xfffd;
            }
        } else if (point >= 0xdc00 && point < 0xe000) {
            point = 0xfffd;
        }
        if (json && point < 0x80) {
            char escaped[8];
            switch (point) {
            case '"': append_literal(text, "\\\""); break;
            case '\\': append_literal(text, "\\\\"); break;
            case '\n': append_literal(text, "\\n"); break;
            case '\r': append_literal(text, "\\r"); break;
            case '\t': append_literal(text, "\\t"); break;
            case '\b': append_literal(text, "\\b"); break;
            case '\f': append_literal(text, "\\f"); break;
            default:
                snprintf(escaped, sizeof escaped, "\\u%04x", (unsigned) point);
                append_literal(text, escaped);
            }
        } else {
            append_point(text, point);
        }
    }
    if (json) docstore_js_text_append(text, "\"", 1);
}

static void append_number(docstore_js_text *text, double value) {
    char digits[32];
    // 17 significant digits read back as the same double.
    int count = snprintf(digits, sizeof digits, "%.17g", value);
    docstore_js_text_append(text, digits, (size_t) count);
}

// MARK: JavaScript to JSON

// Whether the object on the stack top has the stashed prototype `key` as its own prototype,
// the test RethinkDB makes for Dates and RegExps.
static int has_prototype(duk_context *ctx, const char *key) {
    duk_get_prototype(ctx, -1);
    duk_push_global_stash(ctx);
    duk_get_prop_string(ctx, -1, key);
    int same = duk_is_object(ctx, -3) && duk_get_heapptr(ctx, -3) == duk_get_heapptr(ctx, -1);
    duk_pop_3(ctx);
    return same;
}

static const char *value_to_json(duk_context *ctx, docstore_js_text *out, size_t array_limit, int *over, int depth);

static const char *object_to_json(duk_context *ctx, docstore_js_text *out, size_t array_limit, int *over, int depth) {
    if (duk_is_function(ctx, -1)) return "Cannot convert function to ql::datum_t.";
    if (duk_is_array(ctx, -1)) {
        duk_size_t length = duk_get_length(ctx, -1);
        if (length > array_limit) {
            *over = 1;
            return "";
        }
        docstore_js_text_append(out, "[", 1);
        for (duk_size_t index = 0; index < length; index++) {
            if (index > 0) docstore_js_text_append(out, ",", 1);
            duk_get_prop_index(ctx, -1, (duk_uarridx_t) index);
            const char *error = value_to_json(ctx, out, array_limit, over, depth);
            duk_pop(ctx);
            if (error != NULL) return error;
        }
        docstore_js_text_append(out, "]", 1);
        return NULL;
    }
    if (has_prototype(ctx, DOCSTORE_JS_REGEXP_PROTOTYPE)) return "Cannot convert RegExp to ql::datum_t.";
    if (has_prototype(ctx, DOCSTORE_JS_DATE_PROTOTYPE)) {
        duk_get_prop_string(ctx, -1, "valueOf");
        duk_dup(ctx, -2);
        duk_call_method(ctx, 0);
        double milliseconds = duk_to_number(ctx, -1);
        duk_pop(ctx);
        if (!isfinite(milliseconds)) return "Invalid Date in JS environment";
        append_literal(out, "{\"$reql_type$\":\"TIME\",\"epoch_time\":");
        // RethinkDB multiplies by the reciprocal; dividing can differ in the last bit.
        append_number(out, milliseconds * (1.0 / 1000.0));
        append_literal(out, ",\"timezone\":\"+00:00\"}");
        return NULL;
    }
    // Own enumerable string keys, as RethinkDB takes them (no symbols).
    docstore_js_text_append(out, "{", 1);
    duk_enum(ctx, -1, DUK_ENUM_OWN_PROPERTIES_ONLY);
    int first = 1;
    while (duk_next(ctx, -1, 1)) {
        duk_require_stack(ctx, 8);
        if (!first) docstore_js_text_append(out, ",", 1);
        first = 0;
        duk_size_t length = 0;
        const char *key = duk_to_lstring(ctx, -2, &length);
        docstore_js_text_append_string(out, key, length, 1);
        docstore_js_text_append(out, ":", 1);
        const char *error = value_to_json(ctx, out, array_limit, over, depth);
        duk_pop_2(ctx);
        if (error != NULL) {
            duk_pop(ctx);
            return error;
        }
    }
    duk_pop(ctx);
    docstore_js_text_append(out, "}", 1);
    return NULL;
}

static const char *value_to_json(duk_context *ctx, docstore_js_text *out, size_t array_limit, int *over, int depth) {
    if (depth == 0) return "Recursion limit exceeded in js_to_json (circular reference?).";
    duk_require_stack(ctx, 8);
    switch (duk_get_type(ctx, -1)) {
    case DUK_TYPE_UNDEFINED:
        return "Cannot convert javascript `undefined` to ql::datum_t.";
    case DUK_TYPE_NULL:
        append_literal(out, "null");
        return NULL;
    case DUK_TYPE_BOOLEAN:
        append_literal(out, duk_get_boolean(ctx, -1) ? "true" : "false");
        return NULL;
    case DUK_TYPE_NUMBER: {
        double value = duk_get_number(ctx, -1);
        if (!isfinite(value)) return "Number return value is not finite.";
        // JSON has no negative zero of its own; "-0" parses back to it.
        append_number(out, value);
        return NULL;
    }
    case DUK_TYPE_STRING: {
        if (duk_is_symbol(ctx, -1)) break;
        duk_size_t length = 0;
        const char *bytes = duk_get_lstring(ctx, -1, &length);
        docstore_js_text_append_string(out, bytes, length, 1);
        return NULL;
    }
    case DUK_TYPE_OBJECT:
        return object_to_json(ctx, out, array_limit, over, depth - 1);
    case DUK_TYPE_LIGHTFUNC:
        return "Cannot convert function to ql::datum_t.";
    default:
        break;
    }
    return "Unhandled value type when converting to ql::datum_t.";
}

const char *docstore_js_to_json(duk_context *ctx, docstore_js_text *out, size_t array_limit, int *over_array_limit) {
    return value_to_json(ctx, out, array_limit, over_array_limit, RECURSION_LIMIT);
}

// MARK: JSON to JavaScript

static int is_time(duk_context *ctx) {
    duk_get_prop_string(ctx, -1, "$reql_type$");
    int time = duk_is_string(ctx, -1) && strcmp(duk_get_string(ctx, -1), "TIME") == 0;
    duk_pop(ctx);
    return time;
}

void docstore_js_revive_times(duk_context *ctx) {
    if (!duk_is_object(ctx, -1)) return;
    duk_require_stack(ctx, 8);
    if (duk_is_array(ctx, -1)) {
        duk_size_t length = duk_get_length(ctx, -1);
        for (duk_size_t index = 0; index < length; index++) {
            duk_get_prop_index(ctx, -1, (duk_uarridx_t) index);
            docstore_js_revive_times(ctx);
            duk_put_prop_index(ctx, -2, (duk_uarridx_t) index);
        }
        return;
    }
    if (is_time(ctx)) {
        duk_get_prop_string(ctx, -1, "epoch_time");
        double seconds = duk_get_number(ctx, -1);
        duk_pop_2(ctx);
        duk_push_global_stash(ctx);
        duk_get_prop_string(ctx, -1, DOCSTORE_JS_DATE);
        duk_remove(ctx, -2);
        duk_push_number(ctx, seconds * 1000);
        duk_new(ctx, 1);
        return;
    }
    duk_enum(ctx, -1, DUK_ENUM_OWN_PROPERTIES_ONLY);
    while (duk_next(ctx, -1, 1)) {
        docstore_js_revive_times(ctx);
        duk_put_prop(ctx, -4);
    }
    duk_pop(ctx);
}
