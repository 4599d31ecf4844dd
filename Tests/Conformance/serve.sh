# Sourced by the conformance scripts: one way to run `docstore serve` for them.
#   bin=... work=...; source serve.sh; start_server LOG [serve options...]
# start_server starts a server on a free port and sets $port once it listens; every server
# started is killed, and $work removed, when the sourcing script exits.
pids=()
stop_servers() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop_servers EXIT

start_server() {
  local log=$1; shift
  port=""
  "$bin" serve --port 0 "$@" >/dev/null 2>"$log" &
  pids+=($!)
  for _ in $(seq 1 200); do
    port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$log" | head -1)
    [ -n "$port" ] && return 0
    sleep 0.05
  done
  echo "docstore serve did not start:" >&2; cat "$log" >&2; exit 1
}
