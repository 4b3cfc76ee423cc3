#!/usr/bin/env bash
# The leadership dashboard (issue #17): the demo region with VOLUNTEERS
# (100,000) volunteers in a temporary SQLite file, grown with SQL in bulk to
# ACTIVITIES (1,000,000) activities over ten years with PER (10) ledger
# entries each (bench/stats.py grow), the rollups set from them by
# `tongxing stats rebuild` (timed), then served and timed by bench/stats.py:
# the dashboard through the API (cached and uncached, any filter), against
# the same figures by direct aggregate queries over the raw rows in the same
# run, and the yearly .xlsx. Prints one JSON line per figure; see
# bench/README.md. Only 127.0.0.1:STATS_PORT is contacted.
#
# Knobs (environment): VOLUNTEERS=100000 ACTIVITIES=1000000 PER=10
# REQUESTS=30 STATS_PORT=9101 KEEP=0 BIN=(build release)
# DB=path: an already grown file to time again (nothing is loaded; kept),
# with the data folder it was loaded with beside it.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
VOLUNTEERS=${VOLUNTEERS:-100000}
ACTIVITIES=${ACTIVITIES:-1000000}
PER=${PER:-10}
REQUESTS=${REQUESTS:-30}
STATS_PORT=${STATS_PORT:-9101}
KEEP=${KEEP:-0}
PY=${PYTHON:-python3}

# shellcheck source=bench/common.sh
. "$HERE/common.sh"
clean_config
if [ -n "${BIN:-}" ]; then [ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }; else build_release; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tongxing-stats.XXXXXX")
PID=""
stop() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; PID=""; }
trap 'stop; if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi' EXIT
trap 'exit 130' INT TERM
# A file grown before keeps the data folder (its ID-number key) beside it.
export TONGXING_DATA_DIR=${DB:+$(dirname "${DB:-.}")/data}
export TONGXING_DATA_DIR=${TONGXING_DATA_DIR:-$WORK/data}
echo "{\"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\", \"commit\": \"$(git -C "$ROOT" rev-parse --short HEAD)\", \"binary\": \"$BIN\", \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
if [ -z "${DB:-}" ]; then
    DB=$WORK/region.db
    log "loading the demo region: $VOLUNTEERS volunteers"
    t0=$(now)
    TONGXING_DATABASE_URL="sqlite://$DB" timeout 3600 "$BIN" demo --volunteers "$VOLUNTEERS" >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
    log "demo loaded in $(elapsed "$t0" "$(now)") s; growing to $ACTIVITIES activities, $PER entries each"
    timeout 7200 "$PY" "$HERE/stats.py" grow "$DB" "$ACTIVITIES" "$PER"
    t0=$(now)
    TONGXING_DATABASE_URL="sqlite://$DB" timeout 7200 "$BIN" stats rebuild
    echo "{\"kind\": \"rebuild\", \"seconds\": $(elapsed "$t0" "$(now)")}"
fi
TONGXING_DATABASE_URL="sqlite://$DB" "$BIN" serve --listen "127.0.0.1:$STATS_PORT" >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 600); do curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$STATS_PORT/readyz" 2>/dev/null && break; sleep 0.1; done
timeout 3600 "$PY" "$HERE/stats.py" time "$STATS_PORT" "$REQUESTS" "$DB"
