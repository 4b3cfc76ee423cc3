#!/usr/bin/env bash
# The 双进双报到 report (issue #14 §5): load the demo region with VOLUNTEERS
# (100,000) volunteers into a temporary SQLite file (`tongxing demo`: its party
# organisations and reports), grow it to 10,000 activities with their ledger
# entries (bench/report_in.py), time the whole region's report against /healthz,
# then grow to 100,000 activities and time again. Prints one JSON line per
# figure; see bench/README.md. Only 127.0.0.1:RI_PORT is contacted; the server is
# stopped and the folder removed on exit.
#
# Knobs (environment): VOLUNTEERS=100000 STEPS="10000 100000" REQUESTS=200
# RI_PORT=18401 KEEP=0 BIN=(build release)
# TIMER=bench/report_in.py (what times the grown region: bench/stats.sh sets its own)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
VOLUNTEERS=${VOLUNTEERS:-100000}
STEPS=${STEPS:-10000 100000}
REQUESTS=${REQUESTS:-200}
RI_PORT=${RI_PORT:-18401}
TIMER=${TIMER:-$HERE/report_in.py}
KEEP=${KEEP:-0}
PY=${PYTHON:-python3}

# shellcheck source=bench/common.sh
. "$HERE/common.sh"
clean_config
if [ -n "${BIN:-}" ]; then [ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }; else build_release; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tongxing-report-in.XXXXXX")
PID=""
stop() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; PID=""; }
trap 'stop; if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi' EXIT
trap 'exit 130' INT TERM
export TONGXING_DATA_DIR=$WORK/data
DB=$WORK/region.db

log "loading the demo region: $VOLUNTEERS volunteers"
t0=$(now)
TONGXING_DATABASE_URL="sqlite://$DB" timeout 1800 "$BIN" demo --volunteers "$VOLUNTEERS" >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
log "demo loaded in $(elapsed "$t0" "$(now)") s"
echo "{\"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\", \"commit\": \"$(git -C "$ROOT" rev-parse --short HEAD)\", \"binary\": \"$BIN\", \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
for n in $STEPS; do
    log "growing to $n activities"
    timeout 1800 "$PY" "$HERE/report_in.py" grow "$DB" "$n"
    TONGXING_DATABASE_URL="sqlite://$DB" "$BIN" serve --listen "127.0.0.1:$RI_PORT" >"$WORK/server-$n.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 300); do curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$RI_PORT/readyz" 2>/dev/null && break; sleep 0.1; done
    timeout 1800 "$PY" "$TIMER" time "$RI_PORT" "$REQUESTS"
    stop
done
