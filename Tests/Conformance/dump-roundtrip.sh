#!/usr/bin/env bash
# Dumps both ways: `docstore dump` -> `rethinkdb restore` into `docstore serve`, and
# `rethinkdb dump` of `docstore serve` -> `docstore restore` (Tests/Conformance/dump_roundtrip.py).
#   Tests/Conformance/dump-roundtrip.sh [DOCSTORE_BIN]   (needs: pip install rethinkdb==2.4.10.post1)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if [ $# -ge 1 ]; then
  bin=$1
else
  swift build --product docstore >/dev/null
  bin=$(swift build --show-bin-path)/docstore
fi
work=$(mktemp -d)
source "$root/Tests/Conformance/serve.sh"
start_server "$work/serve.log" --data-dir "$work/data"
mkdir "$work/files"
python3 "$root/Tests/Conformance/dump_roundtrip.py" "$bin" "127.0.0.1:$port" "$work/files"
