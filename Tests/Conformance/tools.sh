#!/usr/bin/env bash
# RethinkDB's data tools, unpatched, against `docstore serve`: `rethinkdb import` (JSON,
# newline-delimited JSON, CSV; --force, --clients 8, --hard-durability), `export` (JSON, CSV),
# `dump`, `restore` (into a second server) and `index-rebuild --force`. After each round trip
# the data and the secondary indexes must be what they were (tools_compare.py `same`).
#   Tests/Conformance/tools.sh [DOCSTORE_BIN]     (needs: pip install rethinkdb==2.4.10.post1)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$(cd "$here/../.." && swift build --show-bin-path)/docstore}
work=$(mktemp -d)
source "$here/serve.sh"

tool() { python3 -m rethinkdb "$@" >"$work/tool.out" 2>&1 || { cat "$work/tool.out"; return 1; }; }
compare() { python3 "$here/tools_compare.py" same "$@"; }
status=0
step() {
  local name=$1; shift
  if "$@"; then echo "ok    $name"; else echo "FAIL  $name"; status=1; fi
}

start_server "$work/a.log" --data-dir "$work/a-data"; a=$port
start_server "$work/b.log" --data-dir "$work/b-data"; b=$port
start_server "$work/c.log" --data-dir "$work/c-data"; c=$port
python3 "$here/tools_compare.py" seed "$a" tools

# JSON: export one database, import the directory into the second server, 8 clients, hard.
step "export json" tool export -c "127.0.0.1:$a" -d "$work/json" -e tools --format json
step "import json (--clients 8 --hard-durability)" tool import -c "127.0.0.1:$b" -d "$work/json" --clients 8 --hard-durability
step "json round trip is identical" compare "$a" tools "$b" tools
# --force imports into tables that exist (the rows replace themselves: nothing changes).
step "import json --force over existing tables" tool import -c "127.0.0.1:$b" -d "$work/json" --force
step "forced import left the data identical" compare "$a" tools "$b" tools

# Newline-delimited JSON, imported into one server, exported and imported into the other.
# (--pkey: without it the tool sends `table_create(primary_key=None)`, which RethinkDB refuses too.)
python3 "$here/tools_compare.py" ndjson "$work/items.json"
step "import ndjson" tool import -c "127.0.0.1:$a" -f "$work/items.json" --format json --table nd.items --pkey id
step "export ndjson's table" tool export -c "127.0.0.1:$a" -d "$work/nd" -e nd
step "import it" tool import -c "127.0.0.1:$b" -d "$work/nd" --clients 8
step "ndjson round trip is identical" compare "$a" nd "$b" nd

# CSV: every value a string, so a flat table of strings goes round unchanged.
python3 "$here/tools_compare.py" flatcsv "$work/flat.csv"
step "import csv" tool import -c "127.0.0.1:$a" -f "$work/flat.csv" --format csv --table flat.rows --pkey id
step "export csv" tool export -c "127.0.0.1:$a" -d "$work/csv" -e flat.rows --format csv --fields id,name,city
step "import exported csv" tool import -c "127.0.0.1:$b" -d "$work/csv" --force
step "csv round trip is identical" compare "$a" flat "$b" flat --strings

# dump and restore every database into a third server, then rebuild its indexes.
step "dump" tool dump -c "127.0.0.1:$a" -f "$work/all.tar.gz"
step "restore into a second server" tool restore -c "127.0.0.1:$c" "$work/all.tar.gz"
for db in tools nd flat; do
  step "restored $db is identical" compare "$a" "$db" "$c" "$db"
done
step "index-rebuild --force" tool index_rebuild -c "127.0.0.1:$c" --force
step "rebuilt indexes are identical" compare "$a" tools "$c" tools
exit $status
