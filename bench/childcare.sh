#!/usr/bin/env bash
# 子女照辅班 (issue #16): load the demo region into a temporary SQLite file,
# add a term around today with 16 classes and CHILDREN enrolled children
# (bench/childcare.py setup), then time the morning door — every child checked
# in and out through the API on THREADS connections at once, each request with
# its own Idempotency-Key, 500 retried — count the rows (two per child, none
# doubled), and time a class's day sheet with its ratio against /healthz.
# Prints one JSON line per figure; see bench/README.md. Only 127.0.0.1:CC_PORT
# is contacted; the server is stopped and the folder removed on exit.
#
# Knobs (environment): CHILDREN=8000 THREADS=8 REQUESTS=300 CC_PORT=18210 KEEP=0 BIN=(build release)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
CHILDREN=${CHILDREN:-8000}
THREADS=${THREADS:-8}
REQUESTS=${REQUESTS:-300}
CC_PORT=${CC_PORT:-18210}
KEEP=${KEEP:-0}
PY=${PYTHON:-python3}

# shellcheck source=bench/common.sh
. "$HERE/common.sh"
clean_config
# The server listens on CC_PORT (a fixed loopback port), not common.sh's free one.
free_port() { echo "$CC_PORT"; }
if [ -n "${BIN:-}" ]; then [ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }; else build_release; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tongxing-childcare.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT TERM
export TONGXING_DATA_DIR=$WORK/data
DB=$WORK/region.db
start_metrics "$WORK/metrics"

log "loading the demo region"
t0=$(now)
TONGXING_DATABASE_URL="sqlite://$DB" timeout 1800 "$BIN" demo >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
LOADED=$(elapsed "$t0" "$(now)")
log "demo loaded in $LOADED s"
echo "{\"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\", \"commit\": \"$(git -C "$ROOT" rev-parse --short HEAD)\", \"demo_load_s\": $LOADED, \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
DAY=$("$PY" "$HERE/childcare.py" setup "$DB" "$CHILDREN")
"$PY" "$HERE/childcare.py" roster "$DB" >"$WORK/roster.json"
start_server "$DB" childcare
timeout 1800 "$PY" "$HERE/childcare.py" door "$PORT" "$DAY" "$THREADS" <"$WORK/roster.json"
"$PY" "$HERE/childcare.py" count "$DB"
timeout 1800 "$PY" "$HERE/childcare.py" sheet "$PORT" "$DAY" "$REQUESTS"
