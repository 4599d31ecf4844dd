#!/usr/bin/env bash
# The test suite, or the part FILTER selects, built and run under AddressSanitizer (and
# LeakSanitizer) in its own build folder, .build-asan.
#
#   Fuzz/asan-tests.sh [FILTER [SKIP]]
set -euo pipefail
cd "$(dirname "$0")/.."
# ASan's redzones make debug stack frames several times larger: the parser's 1,000 nesting
# levels then need more than the default 8 MiB. Threads take their stack size from this limit.
ulimit -s 65536 || echo "asan-tests: could not raise the stack limit; the deep-nesting tests may overflow under ASan"
export ASAN_OPTIONS="suppressions=$PWD/Fuzz/asan-suppressions.txt"
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan-suppressions.txt"
export SWIFT_BACKTRACE=enable=no   # ASan reports the fault itself
swift build --build-tests --sanitize=address --scratch-path .build-asan 2>&1 | grep -v "Cannot export local symbol" || true
swift test --skip-build --sanitize=address --scratch-path .build-asan ${1:+--filter "$1"} ${2:+--skip "$2"}
