#!/usr/bin/env bash
# 爱心守护 (issue #15): load the demo region into a temporary SQLite file
# (`tongxing demo`: 240 beneficiaries, about 210 pairs and a year of visits),
# grow it to PAIRS pairs and VISITS visits (bench/care.py), time recomputing
# every pair's warning level (the serve loop's statement), then start the
# server and time the overdue list filtered by district and the volunteer's
# first screen against /healthz in the same run. Prints one JSON line per
# figure; see bench/README.md. Only 127.0.0.1:CARE_PORT is contacted; the
# server is stopped and the folder removed on exit.
#
# Knobs (environment): PAIRS=100000 VISITS=5000000 REQUESTS=200 CARE_PORT=18101
# KEEP=0 BIN=(build release)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
PAIRS=${PAIRS:-100000}
VISITS=${VISITS:-5000000}
REQUESTS=${REQUESTS:-200}
CARE_PORT=${CARE_PORT:-18101}
KEEP=${KEEP:-0}
PY=${PYTHON:-python3}

# shellcheck source=bench/common.sh
. "$HERE/common.sh"
one_server_setup care
DB=$WORK/region.db

log "loading the demo region"
t0=$(now)
TONGXING_DATABASE_URL="sqlite://$DB" timeout 1800 "$BIN" demo >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
log "demo loaded in $(elapsed "$t0" "$(now)") s"
echo "{\"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\", \"commit\": \"$(git -C "$ROOT" rev-parse --short HEAD)\", \"binary\": \"$BIN\", \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
log "growing to $PAIRS pairs and $VISITS visits"
timeout 3600 "$PY" "$HERE/care.py" grow "$DB" "$PAIRS" "$VISITS"
timeout 600 "$PY" "$HERE/care.py" levels "$DB" 10
serve_on "$CARE_PORT" "$DB" "$WORK/server.log"
timeout 1800 "$PY" "$HERE/care.py" time "$CARE_PORT" "$REQUESTS"
one_server_stop
