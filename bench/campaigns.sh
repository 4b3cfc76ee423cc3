#!/usr/bin/env bash
# Campaigns (issue 14 §2–§4): load the demo region with `tongxing demo`, grow
# it to 10,000 themed activities over ten years with ten yearly campaigns
# (bench/campaigns_setup.py), time the campaign page, the year calendar and a
# month against /healthz (bench/campaigns.py); then grow it to 100,000 and
# time again. Prints Markdown tables; see bench/README.md. Only 127.0.0.1 is
# contacted; servers are stopped and the folder removed on exit.
#
# Knobs (environment): VOLUNTEERS=3200 REQUESTS=300 KEEP=0 BIN=(build release) PORTS=(free ports)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
VOLUNTEERS=${VOLUNTEERS:-3200}
REQUESTS=${REQUESTS:-300}
KEEP=${KEEP:-0}
PY=${PYTHON:-python3}

# shellcheck source=bench/common.sh
. "$HERE/common.sh"
clean_config
# Ports from PORTS (a first port; each server takes the next), else free ones.
if [ -n "${PORTS:-}" ]; then NEXT_PORT=$PORTS; free_port() { echo "$NEXT_PORT"; }; fi
if [ -n "${BIN:-}" ]; then [ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }; else build_release; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tongxing-campaigns.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT TERM
export TONGXING_DATA_DIR=$WORK/data
DB=$WORK/region.db
start_metrics "$WORK/metrics.txt"

log "loading the demo region: $VOLUNTEERS volunteers"
TONGXING_DATABASE_URL="sqlite://$DB" timeout 900 "$BIN" demo --volunteers "$VOLUNTEERS" >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
echo "$(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD), binary $BIN, load $(cut -d' ' -f1-3 /proc/loadavg)"
for total in 10000 100000; do
    log "growing to $total activities"
    timeout 900 "$PY" "$HERE/campaigns_setup.py" "$DB" "$total"
    start_server "$DB" "campaigns-$total"
    (cd "$HERE" && timeout 900 "$PY" campaigns.py 127.0.0.1 "$PORT" "$REQUESTS" "**$total activities, 10 campaigns**")
    stop_server
    [ -z "${PORTS:-}" ] || NEXT_PORT=$((NEXT_PORT + 1))
done
