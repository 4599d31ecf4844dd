#!/usr/bin/env bash
# Fuzzes the JSON parser and the wire-protocol front end with libFuzzer and AddressSanitizer.
#
#   Fuzz/run.sh [SECONDS] [TARGET...]      SECONDS per target (60 by default); TARGET json, protocol
#
# The targets are built with `swiftc -sanitize=fuzzer,address` straight from the sources they
# test; their dependencies (swift-nio, swift-crypto, RE2's and S2's shims, ...) come from the
# package's debug build in .build, without sanitizers.
# Each run starts from Fuzz/corpus/<target> plus every saved crash in Fuzz/regressions/<target>,
# and grows a working corpus in .build-fuzz/work/<target>. A crash stops the run with status 1
# and leaves its input in .build-fuzz/findings/<target>/: fix it, then copy the input to
# Fuzz/regressions/<target>/ so that `swift test` replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json protocol)

scratch=.build-fuzz
out=$scratch/fuzz
mkdir -p "$out"
export SWIFT_BACKTRACE=enable=no   # the Swift backtracer stalls under libFuzzer's signal handling

flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -D DOCSTORE_FUZZ -enable-testing -package-name DocStore
       -I Sources/CSQLite -Xlinker -lsqlite3 -I Sources/CArchive -Xlinker -larchive -I Sources/CLibIDN -Xlinker -lidn)
library_sources=$(find Sources/DocumentStore -name '*.swift' | sort)
mkdir -p "$out/modules"

# A package target as a module and static library of its own in $out/modules, for the
# targets the fuzzed code imports (DocumentModel below the library and the ReQL evaluator,
# both of them below the server).
build_module() {
  local name=$1; shift
  swiftc "${flags[@]}" -module-name "$name" -I "$out/modules" -emit-module -emit-module-path "$out/modules/$name.swiftmodule" \
    -emit-library -static "$@" -o "$out/lib$name.a" 2> >(grep -v "Cannot export local symbol" >&2)
}

# The migrations, embedded as SwiftPM's `.embedInCode` would.
python3 - > "$out/PackageResources.swift" <<'PY'
import glob, os
print("struct PackageResources {")
for path in sorted(glob.glob("migrations/*.sql")):
    name = os.path.basename(path)
    # SwiftPM's names: the leading digit becomes `_`, dots become `_` (0001_catalog.sql -> _001_catalog_sql).
    ident = "_" + name[1:].replace(".", "_")
    print("static let %s: [UInt8] = [%s]" % (ident, ",".join(map(str, open(path, "rb").read()))))
print("}")
PY
# The C, C++ and Swift dependencies (the library evaluates ReQL, which runs on Duktape, RE2, S2,
# GeographicLib and swift-crypto; the server adds swift-nio, swift-nio-ssl and libidn) come from
# the package's own debug build, the one `swift build`/`swift test` makes in .build
# (DOCSTORE_DEPS_BUILD names another). Building them again in release took most of this
# script's time (swift-nio and two copies of BoringSSL, about 20 minutes on 2 cores), and the
# fuzzers need coverage of DocStore's code only, which is built here with the sanitizers.
deps=${DOCSTORE_DEPS_BUILD:-.build/debug}
maps=()
prepared=false
build_dependencies() {
  $prepared && return 0
  if [ ! -d "$deps/Modules" ]; then
    echo "fuzz: no package build in $deps; building it"
    swift build >/dev/null
  fi
  maps=()
  for map in "$deps"/*.build/module.modulemap "${deps%/*}"/checkouts/*/Sources/*/include/module.modulemap \
             Sources/CRE2/include/module.modulemap Sources/CDuktape/include/module.modulemap; do
    [ -f "$map" ] && maps+=(-Xcc "-fmodule-map-file=$map" -Xcc "-I$(dirname "$map")")
  done
  # Every object of the dependencies, in one archive: the linker then takes only the members
  # the fuzzed code reaches. Left out: DocStore's Swift targets (the fuzzers compile those
  # sources themselves), executables and tools (each has a `main`), and test support.
  # Some object names hold spaces ("Integer rank.swift.o"): one array element per line.
  local objects=()
  mapfile -t objects < <(find "$deps/" -path '*.build/*.o' \
    | grep -v -E '/(DocumentModel|DocumentStore|DocumentStoreServer|ReQL|DocStoreCLI|Spawn|docstore[^/]*|[^/]*Tests|DocStorePackage[^/]*|NIOTestUtils|generate_[^/]*|snippet_extract|Snippets|[^/]*-tool)\.build/' || true)
  [ ${#objects[@]} -gt 0 ] || { echo "fuzz: no dependency objects in $deps" >&2; exit 1; }
  rm -f "$out/libdependencies.a"
  ar rcs "$out/libdependencies.a" "${objects[@]}"
  build_module DocumentModel $(find Sources/DocumentModel -name '*.swift' | sort)
  build_module ReQL -I "$deps/Modules" "${maps[@]}" $(find Sources/ReQL -name '*.swift' | sort)
  prepared=true
}

build_json() {
  echo "fuzz: building json"
  build_dependencies
  # One module with the library's sources, so the checks reach its internals.
  swiftc "${flags[@]}" -module-name FuzzJSON -I "$out/modules" -I "$deps/Modules" "${maps[@]}" $library_sources "$out/PackageResources.swift" \
    Tests/ReliabilityTests/Fuzz/FuzzFailure.swift Tests/ReliabilityTests/Fuzz/JSONFuzzCheck.swift Fuzz/json/FuzzJSON.swift \
    "$out/libReQL.a" "$out/libDocumentModel.a" "$out/libdependencies.a" -lre2 -ls2 -lGeographicLib -lstdc++ -o "$out/fuzz-json" 2> >(grep -v "Cannot export local symbol" >&2)
}

build_protocol() {
  echo "fuzz: building protocol"
  build_dependencies
  # The server's sources import these as modules of their own.
  build_module DocumentStore -I "$deps/Modules" "${maps[@]}" $library_sources "$out/PackageResources.swift"
  # The whole server module's sources (whatever files the protocol layer has today), with the
  # checks in the same module so that they reach its internals.
  swiftc "${flags[@]}" -module-name FuzzProtocol -I "$out/modules" -I "$deps/Modules" "${maps[@]}" \
    $(find Sources/DocumentStoreServer -name '*.swift' | sort) \
    Tests/ReliabilityTests/Fuzz/FuzzFailure.swift Tests/ReliabilityTests/Fuzz/ProtocolFuzzCheck.swift Fuzz/protocol/FuzzProtocol.swift \
    "$out/libDocumentStore.a" "$out/libReQL.a" "$out/libDocumentModel.a" "$out/libdependencies.a" -lre2 -ls2 -lGeographicLib -lstdc++ -o "$out/fuzz-protocol" 2> >(grep -v "Cannot export local symbol" >&2)
}

status=0
for target in "${targets[@]}"; do
  "build_$target"
  work=$scratch/work/$target
  findings=$scratch/findings/$target
  mkdir -p "$work" "$findings"
  log=$out/$target.log
  echo "fuzz: running $target for ${seconds}s"
  set +e
  ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 "$out/fuzz-$target" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=4096 -max_len=16384 -print_final_stats=1 -artifact_prefix="$findings/" \
    "$work" Fuzz/corpus/"$target" Fuzz/regressions/"$target" > "$log" 2>&1
  code=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [ $code -ne 0 ]; then
    status=1
    echo "fuzz: $target FAILED (exit $code); the input is in $findings/, the log in $log:"
    grep -E "fuzz invariant|ERROR: AddressSanitizer|Fatal error|SUMMARY|Test unit written" "$log" | head -20
  fi
  echo "fuzz: $target: ${runs:-0} executions in ${seconds}s, $([ $code -eq 0 ] && echo 0 || echo 1) crashes"
done
exit $status
