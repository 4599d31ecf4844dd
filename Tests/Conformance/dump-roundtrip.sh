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
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" serve --port 0 --data-dir "$work/data" 2>"$work/serve.log" &
pid=$!
port=
for _ in $(seq 1 200); do
  port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$work/serve.log" | head -1)
  [ -n "$port" ] && break
  sleep 0.05
done
[ -n "$port" ] || { echo "docstore serve did not start:"; cat "$work/serve.log"; exit 1; }
mkdir "$work/files"
python3 "$root/Tests/Conformance/dump_roundtrip.py" "$bin" "127.0.0.1:$port" "$work/files"
