// libidn's stringprep, for the SASLprep profile (RFC 4013). Debian: libidn-dev.
#include <stringprep.h>
