#!/usr/bin/env bash
# Start or stop a local Oxigraph SPARQL server for `kg push` / `kg query --store URL`.
#
#   scripts/oxigraph-server.sh start [DATA_DIR] [PORT]   # default: .oxigraph-data, 7878
#   scripts/oxigraph-server.sh status
#   scripts/oxigraph-server.sh stop
#
# The server binds 127.0.0.1 only. The binary comes from $KG_OXIGRAPH_BIN, the
# project's .venv (the `oxigraph` PyPI package: pip install oxigraph==0.5.13), or $PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${KG_OXIGRAPH_STATE:-$here/.oxigraph-server}"
pidfile="$state/pid"

find_bin() {
  if [[ -n "${KG_OXIGRAPH_BIN:-}" ]]; then echo "$KG_OXIGRAPH_BIN"; return; fi
  if [[ -x "$here/.venv/bin/oxigraph" ]]; then echo "$here/.venv/bin/oxigraph"; return; fi
  command -v oxigraph || { echo "no oxigraph binary: pip install oxigraph==0.5.13" >&2; exit 1; }
}

running() { [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "${1:-}" in
  start)
    data="${2:-$here/.oxigraph-data}"
    port="${3:-7878}"
    if running; then echo "already running (pid $(cat "$pidfile")): $(cat "$state/url")"; exit 0; fi
    mkdir -p "$state" "$data"
    bin="$(find_bin)"
    nohup "$bin" serve --location "$data" --bind "127.0.0.1:$port" >"$state/log" 2>&1 &
    echo $! >"$pidfile"
    echo "http://127.0.0.1:$port" >"$state/url"
    for _ in $(seq 1 100); do
      if curl -fsS -o /dev/null "http://127.0.0.1:$port/query?query=ASK%7B%7D" 2>/dev/null; then
        echo "oxigraph server at http://127.0.0.1:$port (data: $data, pid $(cat "$pidfile"))"
        echo "  kg push --to http://127.0.0.1:$port"
        exit 0
      fi
      if ! running; then echo "the server exited:" >&2; cat "$state/log" >&2; exit 1; fi
      sleep 0.1
    done
    echo "the server did not answer within 10 s; see $state/log" >&2
    exit 1
    ;;
  stop)
    if running; then
      pid="$(cat "$pidfile")"
      kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      echo "stopped (pid $pid)"
    else
      echo "not running"
    fi
    rm -f "$pidfile"
    ;;
  status)
    if running; then echo "running (pid $(cat "$pidfile")): $(cat "$state/url")"; else echo "not running"; exit 1; fi
    ;;
  *)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
