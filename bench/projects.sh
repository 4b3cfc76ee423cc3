#!/usr/bin/env bash
# The service-project catalogue (issue #14 §1): build release, load the demo
# region (VOLUNTEERS volunteers, its 112 projects and a year of activities)
# into a temporary SQLite file, grow the activities to ACTIVITIES by copying
# each project activity week after week back in time with its attendance and
# ledger entries (bench/projects_setup.py), start a server on a free loopback
# port, then time the project list, search, filters and the busiest project's
# page with its figures against /healthz and /api/v1/teams, REQUESTS of each
# (bench/projects.py). Prints a Markdown table; see bench/README.md.
# Only 127.0.0.1 is contacted; the server is stopped and the folder removed on exit.
#
# Knobs (environment): VOLUNTEERS=3000 ACTIVITIES=100000 REQUESTS=500 KEEP=0 BIN=(build)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
VOLUNTEERS=${VOLUNTEERS:-3000}
ACTIVITIES=${ACTIVITIES:-100000}
REQUESTS=${REQUESTS:-500}
KEEP=${KEEP:-0}
PY=${PYTHON:-python3}

# shellcheck source=bench/common.sh
. "$HERE/common.sh"
clean_config
if [ -n "${BIN:-}" ]; then [ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }; else build_release; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tongxing-projects.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT TERM
export TONGXING_DATA_DIR=$WORK/data
DB=$WORK/region.db
start_metrics "$WORK/metrics.txt"

log "loading the demo region: $VOLUNTEERS volunteers"
TONGXING_DATABASE_URL="sqlite://$DB" timeout 900 "$BIN" demo --volunteers "$VOLUNTEERS" >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
log "growing the activities to $ACTIVITIES"
t0=$(now)
SETUP=$(timeout 900 "$PY" "$HERE/projects_setup.py" "$DB" "$ACTIVITIES")
log "grown in $(elapsed "$t0" "$(now)") s: $SETUP"
BUSIEST=$("$PY" -c 'import json, sys; print(json.loads(sys.argv[1])["busiest_project"])' "$SETUP")
start_server "$DB" projects
echo "$(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD), binary $BIN, $SETUP, load $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$HERE" && timeout 900 "$PY" projects.py 127.0.0.1 "$PORT" "$REQUESTS" "$BUSIEST")
