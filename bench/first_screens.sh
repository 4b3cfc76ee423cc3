#!/usr/bin/env bash
# Each role's first screen (issue #13 §1): build release, load the demo region
# with VOLUNTEERS (100,000) volunteers into a temporary SQLite file with
# `tongxing demo`, start a server on a free loopback port, then time GET / as
# each demo login and /healthz as the baseline, REQUESTS of each, one at a
# time (bench/first_screens.py). Prints a Markdown table; see bench/README.md.
# Only 127.0.0.1 is contacted; the server is stopped and the folder removed on exit.
#
# Knobs (environment): VOLUNTEERS=100000 REQUESTS=2000 KEEP=0 BIN=(build)
# Last, the server's resident memory after the run and its peak.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
VOLUNTEERS=${VOLUNTEERS:-100000}
REQUESTS=${REQUESTS:-2000}
KEEP=${KEEP:-0}
PY=${PYTHON:-python3}

# shellcheck source=bench/common.sh
. "$HERE/common.sh"
clean_config
if [ -n "${BIN:-}" ]; then [ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }; else build_release; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tongxing-first-screens.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT TERM
export TONGXING_DATA_DIR=$WORK/data
DB=$WORK/region.db
start_metrics "$WORK/metrics.txt"

log "loading the demo region: $VOLUNTEERS volunteers"
t0=$(now)
TONGXING_DATABASE_URL="sqlite://$DB" timeout 900 "$BIN" demo --volunteers "$VOLUNTEERS" >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
log "demo loaded in $(elapsed "$t0" "$(now)") s"
start_server "$DB" first-screens
log "timing / for each role and /healthz, $REQUESTS requests each"
echo "$(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD), $VOLUNTEERS volunteers, load $(cut -d' ' -f1-3 /proc/loadavg)"
(cd "$HERE" && timeout 900 "$PY" first_screens.py 127.0.0.1 "$PORT" "$REQUESTS")
# Memory with every module's first-screen card read for every role (target < 150 MB).
echo "server memory after the run: VmRSS $(( $(rss_kb) / 1024 )) MiB, peak VmHWM $(( $(hwm_kb) / 1024 )) MiB"
