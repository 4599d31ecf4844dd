#!/usr/bin/env bash
# DocStore's benchmarks against the raw-C SQLite baseline, measured in the same run.
#   Benchmarks/run.sh [RUNS]     (default 3 runs per figure; medians are reported)
#   BENCH_SECTIONS=server Benchmarks/run.sh [RUNS]   only the server section (and the C baseline)
#   DOCSTORE_BIN_DIR=DIR ...     use the binaries in DIR instead of building
# Prints a table: each DocStore figure, the C figure it is compared with, and the ratio.
# The server section drives `docstore serve` with the official Go driver (Benchmarks/ServerLoad;
# apt-get install -y golang-go golang-gopkg-rethinkdb-rethinkdb-go.v6-dev).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED_DIR:-$root/../shared}
runs=${1:-3}
sections=${BENCH_SECTIONS:-all}
export BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/docstore-bench}
cd "$root"

if [ -n "${DOCSTORE_BIN_DIR:-}" ]; then
  bin=$DOCSTORE_BIN_DIR  # binaries built already (another build's figures, under the same load)
else
  echo "building (release)..." >&2
  swift build -c release --product docstore >/dev/null
  swift build -c release --product docstore-bench >/dev/null
  bin=$(swift build -c release --show-bin-path)
fi

echo "C baseline (shared/bench/run-baseline.sh)..." >&2
baseline=$(bash "$shared/bench/run-baseline.sh")
data=$BENCH_DIR/data
db=$BENCH_DIR/db/docstore.sqlite
out=$(mktemp)
trap 'rm -f "$out" "$BENCH_DIR/db/floor.sqlite"*' EXIT
# SQLite's floor for what DocStore cannot tune away (Benchmarks/SQLiteFloor/sqlite_floor.c).
floor=$BENCH_DIR/bin/sqlite_floor
gcc -O2 -o "$floor" "$root/Benchmarks/SQLiteFloor/sqlite_floor.c" -lsqlite3

# Each measurement appends one JSON line {"name", ...}; run N times for medians.
measure() {
  local name=$1; shift
  for _ in $(seq 1 "$runs"); do
    "$@" | python3 -c "import json,sys; d=json.loads(sys.stdin.read()); d['name']='$name'; print(json.dumps(d))" >>"$out"
  done
}
cli_insert() {  # docstore insert of a file: wall time and peak memory from GNU time
  local name=$1 file=$2
  for _ in $(seq 1 "$runs"); do
    rm -f "$db" "$db-wal" "$db-shm"
    /usr/bin/time -f '%e %M' -o "$out.time" "$bin/docstore" --db "$db" insert bench "$file" --durability hard >/dev/null 2>&1
    read -r seconds kb <"$out.time"
    echo "{\"name\":\"$name\",\"seconds\":$seconds,\"maxrss_kb\":$kb}" >>"$out"
  done
}

reads() { echo "$BENCH_DIR/db/reads_$1.sqlite"; }
if [ "$sections" = all ]; then
echo "DocStore..." >&2
measure "bulk library" "$bin/docstore-bench" bulk "$data/docs_100000.ndjson" "$db"
# Issue 11: the same insert into a table with three indexes (email; [address.city, age]; tags, multi).
measure "bulk library, 3 indexes" "$bin/docstore-bench" bulk "$data/docs_100000.ndjson" "$db" --indexes
# Issue 11's floor: the same documents and the same entries written by C (SQLiteFloor/sqlite_floor.c).
for mode in none entries lean; do
  measure "C floor $mode" "$floor" "$mode" "$data/docs_100000.ndjson" "$BENCH_DIR/db/floor.sqlite"
done
# Issue 13: the same insert into a table whose change log is on.
measure "bulk library, change log" "$bin/docstore-bench" bulk "$data/docs_100000.ndjson" "$db" --changes
# A feed in one process following 200 soft inserts of another, 20 ms apart.
measure "feed latency" "$bin/docstore-bench" feed-latency "$BENCH_DIR/db/feed.sqlite" --count 200 --interval-ms 20
cli_insert "bulk docstore insert" "$data/docs_100000.ndjson"
measure "generated keys (v4)" "$bin/docstore-bench" bulk "$data/noid_100000.ndjson" "$db"
measure "generated keys (v7)" "$bin/docstore-bench" bulk "$data/noid_100000.ndjson" "$db" --uuid7
measure "upsert replace" "$bin/docstore-bench" upsert "$data/docs_100000.ndjson" "$data/upsert_100000.ndjson" "$db" --conflict replace
measure "upsert update" "$bin/docstore-bench" upsert "$data/docs_100000.ndjson" "$data/upsert_100000.ndjson" "$db" --conflict update
measure "single hard" "$bin/docstore-bench" single "$data/docs_10000.ndjson" "$db" --count 1000
measure "single soft" "$bin/docstore-bench" single "$data/docs_10000.ndjson" "$db" --count 1000 --soft
measure "single hard on writer" "$bin/docstore-bench" single "$data/docs_10000.ndjson" "$db" --count 1000 --on-writer
measure "single soft on writer" "$bin/docstore-bench" single "$data/docs_10000.ndjson" "$db" --count 1000 --soft --on-writer

million=$BENCH_DIR/data/noid_1000000.ndjson
[ -f "$million" ] || for _ in $(seq 1 10); do cat "$data/noid_100000.ndjson"; done >"$million"
runs_saved=$runs; runs=1
cli_insert "1M NDJSON import" "$million"
runs=$runs_saved

# Issue 11: reads through an index on 10,000 and 1,000,000 documents derived from the 100,000
# (IndexBench.swift says how). Each table and its index are built once, then read $runs times.
trap 'rm -f "$out" "$BENCH_DIR/db/floor.sqlite"* "$(reads 10000)"* "$(reads 1000000)"*' EXIT
runs_saved=$runs; runs=1
for n in 10000 1000000; do
  echo "index reads: building $n documents and their index..." >&2
  measure "prepare reads $n" "$bin/docstore-bench" prepare-reads "$data/noid_100000.ndjson" "$(reads $n)" --count $n
done
runs=$runs_saved
for n in 10000 1000000; do
  measure "reads $n" "$bin/docstore-bench" reads "$data/noid_100000.ndjson" "$(reads $n)" --lookups 1000
done
fi

# Issue 14: the server under load, from the Go driver (one process, its goroutines the clients).
echo "server (docstore serve + Go driver)..." >&2
[ "$sections" = all ] || cli_insert "bulk docstore insert" "$data/docs_100000.ndjson"
load=$BENCH_DIR/bin/serverload
(cd "$root/Benchmarks/ServerLoad" && GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off go build -o "$load" .)
serve_dir=$(mktemp -d)
"$bin/docstore" serve --port 0 --data-dir "$serve_dir" 2>"$serve_dir.log" &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null || true; rm -rf "$out" "$serve_dir" "$serve_dir.log" "$BENCH_DIR/db/floor.sqlite"* "$(reads 10000)"* "$(reads 1000000)"*' EXIT
for _ in $(seq 1 100); do grep -q "listening on" "$serve_dir.log" 2>/dev/null && break; sleep 0.1; done
addr=$(grep -o 'listening on [^,]*' "$serve_dir.log" | awk '{print $3}')
measure "server 16 single hard" "$load" single "$addr" "$data/docs_10000.ndjson" --clients 16 --count 600 --durability hard
measure "server 16 single soft" "$load" single "$addr" "$data/docs_10000.ndjson" --clients 16 --count 600 --durability soft
measure "server rtt" "$load" rtt "$addr" "$data/docs_10000.ndjson" --count 2000
measure "server 8 batch 200" "$load" batch "$addr" "$data/docs_100000.ndjson" --clients 8 --batch 200
# `rethinkdb import` (the official Python driver's tool, pip install rethinkdb) of the same file,
# with its defaults (8 clients, batches of 200, soft). It picks its reader by the file's extension,
# so it reads the NDJSON through a .json hard link (it resolves symbolic ones); --pkey id because without it this driver's tool
# sends table_create(primary_key=null). Wall time, and the CPU the tool and the server spent.
if python3 -c 'import rethinkdb' 2>/dev/null; then
  ln -f "$data/docs_100000.ndjson" "$BENCH_DIR/data/docs_100000.json" 2>/dev/null || cp "$data/docs_100000.ndjson" "$BENCH_DIR/data/docs_100000.json"
  for i in $(seq 1 "$runs"); do
    s0=$(awk '{print $14+$15}' "/proc/$serve_pid/stat")
    /usr/bin/time -f '%e %U %S' -o "$out.time" python3 -m rethinkdb import -c "$addr" -f "$BENCH_DIR/data/docs_100000.json" \
      --format json --table "bench.import$i" --pkey id --force >/dev/null 2>&1
    s1=$(awk '{print $14+$15}' "/proc/$serve_pid/stat")
    read -r seconds user sys <"$out.time"
    echo "{\"name\":\"server rethinkdb import\",\"seconds\":$seconds,\"tool_cpu_s\":$(python3 -c "print($user+$sys)"),\"server_cpu_s\":$(python3 -c "print(($s1-$s0)/$(getconf CLK_TCK))")}" >>"$out"
  done
else
  echo "rethinkdb import: not measured (pip install rethinkdb==2.4.10.post1)" >&2
fi
kill $serve_pid; wait $serve_pid 2>/dev/null || true
# The batches' floor: the same documents committed durably 200 at a time (no grouping) and
# 1,600 at a time (all 8 clients' batches in every commit, the most group commit can do).
for n in 200 1600; do
  measure "C floor commits $n" "$floor" commits $n "$data/docs_100000.ndjson" "$BENCH_DIR/db/floor.sqlite"
done

python3 - "$out" "$data/expected_100000.json" <<PY
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
expected = json.load(open(sys.argv[2]))
base = {}
for line in """$baseline""".splitlines():
    if "{" in line:
        label, _, js = line.partition("{")
        base[label.strip()] = json.loads("{" + js)
def c(label, field="total_s"):
    return base[label][field]
def med(name, field="seconds"):
    vals = [r[field] for r in rows if r["name"] == name]
    return statistics.median(vals), len(vals)
def counts_ok(name):
    ok = True
    for r in rows:
        if r["name"] == name:
            if name.startswith("upsert"):
                ok &= (r["inserted"], r["replaced"], r["unchanged"]) == (expected["inserted"], expected["replaced"], expected["unchanged"])
            elif "inserted" in r and name.startswith(("bulk", "generated")):
                ok &= r["inserted"] == 100000 and r["errors"] == 0
    return ok
cfull = c("--rowid --cache 65536 --sync full")
def library_report():
    table = [
        ("bulk insert, library (hard)", "bulk library", cfull, "C rowid+cache+sync full", 1.15),
        ("bulk insert, docstore insert", "bulk docstore insert", cfull, "C rowid+cache+sync full", 1.25),
        ("generated keys v4, library", "generated keys (v4)", c("genkey --rowid --cache 65536"), "C genkey", 1.25),
        ("generated keys v7, library", "generated keys (v7)", c("genkey --rowid --cache 65536"), "C genkey", 1.0),
        ("upsert conflict=replace", "upsert replace", c("upsert on conflict --rowid"), "C upsert", 1.3),
        ("upsert conflict=update", "upsert update", c("upsert on conflict --rowid"), "C upsert", 1.3),
    ]
    print("%-32s %10s %10s  %-26s %7s %6s %s" % ("figure", "DocStore", "C", "C mode", "ratio", "goal", "counts"))
    for title, name, cval, cname, goal in table:
        m, n = med(name)
        print("%-32s %9.3fs %9.3fs  %-26s %6.2fx %5.2fx %s" % (title, m, cval, cname, m / cval, goal, "ok" if counts_ok(name) else "WRONG"))
    for title, name, clabel, goal in [("single insert, hard (per call)", "single hard", "autocommit WAL --sync full", 1.15),
                                      ("single insert, soft (per call)", "single soft", "autocommit WAL --sync normal", 2.0),
                                      ("single hard, task on writer", "single hard on writer", "autocommit WAL --sync full", 1.15),
                                      ("single soft, task on writer", "single soft on writer", "autocommit WAL --sync normal", 2.0)]:
        m, n = med(name, "per_insert_ms")
        cv = c(clabel, "per_commit_ms")
        print("%-32s %8.3fms %8.3fms  %-26s %6.2fx %5.2fx" % (title, m, cv, clabel, m / cv, goal))
    m, _ = med("bulk library, 3 indexes")
    plain, _ = med("bulk library")
    print("%-32s %9.3fs %9.3fs  %-26s %6.2fx %5.2fx %s" % ("bulk insert, 3 indexes", m, plain, "same insert, no index", m / plain, 1.5,
          "ok" if counts_ok("bulk library, 3 indexes") else "WRONG"))
    none, _ = med("C floor none")
    for title, name in [("  C: the same entries, same layout", "C floor entries"), ("  C: one BLOB key per entry, no value", "C floor lean")]:
        m, _ = med(name)
        print("%-32s %9.3fs %9.3fs  %-26s %6.2fx %5.2fx %s" % (title, m, none, "C, documents alone", m / none, 1.5,
              "(SQLite's floor: no index function evaluated)"))
    m, _ = med("bulk library, change log")
    print("%-32s %9.3fs %9.3fs  %-26s %6.2fx %5.2fx %s" % ("bulk insert, change log on", m, plain, "same insert, log off", m / plain, 1.3,
          "ok" if counts_ok("bulk library, change log") else "WRONG"))
    for title, field in [("feed latency across processes", "median_ms"), ("  p99", "p99_ms")]:
        m, _ = med("feed latency", field)
        print("%-32s %8.1fms  %s" % (title, m, "(median of each run's median; goal <= 20 ms)" if field == "median_ms" else "(median of each run's p99)"))
    def reads_ok():
        return all(r["lookups"] > 0 and r["get_all_found"] == r["lookups"] and r["between_found"] >= 9 * r["lookups"]
                   for r in rows if r["name"].startswith("reads "))
    for title, field in [("getAll on an index, 1M vs 10k", "get_all_ms"), ("between, limit 10, 1M vs 10k", "between_ms")]:
        big, _ = med("reads 1000000", field)
        small, _ = med("reads 10000", field)
        print("%-32s %8.3fms %8.3fms  %-26s %6.2fx %5.2fx %s" % (title, big, small, "the same on 10,000 docs", big / small, 2.0,
              "ok" if reads_ok() else "WRONG"))
    for n in (10000, 1000000):
        ins, _ = med("prepare reads %d" % n, "insert_seconds")
        idx, _ = med("prepare reads %d" % n, "index_seconds")
        print("%-32s %9.1fs  (insert %.1fs, soft; %.0f docs/s)" % ("index build, %s docs" % format(n, ","), idx, ins, n / idx))
    m, _ = med("bulk docstore insert", "maxrss_kb")
    print("%-32s %8.1fMiB" % ("peak memory, docstore insert 100k", m / 1024))
    m, _ = med("1M NDJSON import", "maxrss_kb")
    s, _ = med("1M NDJSON import")
    print("%-32s %8.1fMiB  (%.1fs; goal < 100 MiB)" % ("peak memory, 1M NDJSON import", m / 1024, s))
has = lambda name: any(r["name"] == name for r in rows)
if has("bulk library"):
    library_report()
def server_report():
    print("%-44s %12s %12s  %-30s %6s %6s" % ("server figure", "DocStore", "compared", "with", "ratio", "goal"))
    chard = 1000 / c("autocommit WAL --sync full", "per_commit_ms")
    csoft = 1000 / c("autocommit WAL --sync normal", "per_commit_ms")
    hard, _ = med("server 16 single hard", "docs_per_s")
    soft, _ = med("server 16 single soft", "docs_per_s")
    def line(title, value, other, what, ratio, goal, unit, at_least=True):
        ok = ratio >= goal if at_least else ratio <= goal
        print("%-44s %10.0f%-2s %10.0f%-2s  %-30s %5.2fx %s%4.1fx %s" % (title, value, unit, other, unit, what, ratio,
              ">=" if at_least else "<=", goal, "met" if ok else "NOT MET"))
    line("16 clients, single hard inserts", hard, chard, "C one commit per doc (full)", hard / chard, 3.0, "/s")
    line("16 clients, single hard vs the same at soft", hard, soft, "16 clients, single soft", hard / soft, 0.7, "/s")
    line("16 clients, single soft inserts", soft, csoft, "C autocommit (normal)", soft / csoft, 1.0, "/s")
    ins, _ = med("server rtt", "insert_ms")
    one, _ = med("server rtt", "expr_ms")
    print("%-44s %10.3fms %10.3fms  %-30s %5.2fx <=%4.1fx %s" % ("1 client, soft insert round trip", ins, one, "r.expr(1) round trip",
          ins / one, 2.0, "met" if ins / one <= 2.0 else "NOT MET"))
    batch, _ = med("server 8 batch 200")
    cli, _ = med("bulk docstore insert")
    print("%-44s %11.3fs %11.3fs  %-30s %5.2fx >=%4.1fx %s" % ("8 clients, batches of 200 (100,000 docs)", batch, cli, "docstore insert, same file",
          cli / batch, 0.8, "met" if cli / batch >= 0.8 else "NOT MET"))
    for n in (200, 1600):
        floor, _ = med("C floor commits %d" % n)
        print("%-44s %11.3fs %11.3fs  %-30s %5.2fx >=%4.1fx %s" % ("  C: the same, %d documents per commit" % n, floor, cli,
              "docstore insert, same file", cli / floor, 0.8, "(SQLite's floor: no server)"))
    print("%-44s %10.0f/s  (C autocommit: full %.0f/s, normal %.0f/s)" % ("server batch rate", 100000 / batch, chard, csoft))
    if has("server rethinkdb import"):
        imp, _ = med("server rethinkdb import")
        tool, _ = med("server rethinkdb import", "tool_cpu_s")
        srv, _ = med("server rethinkdb import", "server_cpu_s")
        print("%-44s %11.3fs %11.3fs  %-30s %5.2fx <=%4.1fx %s" % ("rethinkdb import of the same file", imp, cli, "docstore insert, same file",
              imp / cli, 2.0, "met" if imp / cli <= 2.0 else "NOT MET"))
        print("%-44s %11.1fs %11.1fs  %s" % ("  CPU: the import tool, the server", tool, srv, "(two cores: the tool's own CPU bounds the wall time)"))
server_report()
print("medians of %d runs; C figures from one run of run-baseline.sh in this run" % $runs)
PY
