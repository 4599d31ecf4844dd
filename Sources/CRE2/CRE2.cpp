#include "CRE2.h"

#include <re2/re2.h>

#include <new>
#include <vector>

struct docstore_re2 {
    re2::RE2 regex;
    docstore_re2(const char *pattern, size_t length)
        : regex(re2::StringPiece(pattern, length), re2::RE2::Quiet) {}
};

extern "C" docstore_re2 *docstore_re2_new(const char *pattern, size_t length) {
    return new docstore_re2(pattern, length);
}

extern "C" void docstore_re2_free(docstore_re2 *regex) {
    delete regex;
}

extern "C" int docstore_re2_ok(const docstore_re2 *regex) {
    return regex->regex.ok() ? 1 : 0;
}

extern "C" const char *docstore_re2_error(const docstore_re2 *regex) {
    return regex->regex.error().c_str();
}

extern "C" const char *docstore_re2_error_arg(const docstore_re2 *regex) {
    return regex->regex.error_arg().c_str();
}

extern "C" int docstore_re2_group_count(const docstore_re2 *regex) {
    return regex->regex.NumberOfCapturingGroups();
}

extern "C" int docstore_re2_match(const docstore_re2 *regex, const char *text, size_t length,
                                  long *starts, long *ends, int count) {
    // An empty Swift string may come as a null pointer; RE2 reports a group at a null
    // position as not taking part, so give the empty text a real address.
    static const char empty[1] = {0};
    if (text == nullptr) text = empty;
    std::vector<re2::StringPiece> groups(count);
    re2::StringPiece input(text, length);
    if (!regex->regex.Match(input, 0, length, re2::RE2::UNANCHORED, groups.data(), count)) {
        return 0;
    }
    for (int i = 0; i < count; ++i) {
        if (groups[i].data() == nullptr) {
            starts[i] = -1;
            ends[i] = -1;
        } else {
            starts[i] = static_cast<long>(groups[i].data() - text);
            ends[i] = starts[i] + static_cast<long>(groups[i].size());
        }
    }
    return 1;
}
