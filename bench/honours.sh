#!/usr/bin/env bash
# Recognition (issue #18): load the demo region with VOLUNTEERS (100,000)
# volunteers into a temporary SQLite file (`tongxing demo`, whose 2026 round is
# on public notice), then time the coordinator's candidate list of that round
# (every volunteer scored from the ledger) and the public notice against
# /healthz in the same run. Prints one JSON line; see bench/README.md. Only
# 127.0.0.1:HN_PORT is contacted; the server is stopped and the folder removed
# on exit.
#
# Knobs (environment): VOLUNTEERS=100000 REQUESTS=20 HN_PORT=18402 KEEP=0 BIN=(build release)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
VOLUNTEERS=${VOLUNTEERS:-100000}
REQUESTS=${REQUESTS:-20}
HN_PORT=${HN_PORT:-18402}
KEEP=${KEEP:-0}
PY=${PYTHON:-python3}

# shellcheck source=bench/common.sh
. "$HERE/common.sh"
one_server_setup honours
DB=$WORK/region.db
BASE=http://127.0.0.1:$HN_PORT

log "loading the demo region: $VOLUNTEERS volunteers"
t0=$(now)
TONGXING_DATABASE_URL="sqlite://$DB" timeout 3600 "$BIN" demo --volunteers "$VOLUNTEERS" >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
load_s=$(elapsed "$t0" "$(now)")
log "demo loaded in $load_s s"
TONGXING_DATABASE_URL="sqlite://$DB" "$BIN" serve --listen "127.0.0.1:$HN_PORT" >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do curl -fsS -o /dev/null --max-time 2 "$BASE/readyz" 2>/dev/null && break; sleep 0.1; done
TOKEN=$(curl -fsS -H 'content-type: application/json' -d '{"login":"coordinator","password":"demo-coordinator"}' "$BASE/api/v1/auth/login" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["token"])')
ROUND=$(sqlite3 "$DB" "SELECT id FROM honour_rounds WHERE stage = 'notice' ORDER BY id DESC LIMIT 1")
ENTRIES=$(sqlite3 "$DB" "SELECT COUNT(*) FROM hours_entries")

# Mean seconds of REQUESTS sequential GETs of $1 (with the coordinator's token when $2 is "auth").
mean() {
    local url=$1 auth=$2 total=0 t
    for _ in $(seq 1 "$REQUESTS"); do
        if [ "$auth" = auth ]; then t=$(curl -fsS -o /dev/null -w '%{time_total}' -H "authorization: Bearer $TOKEN" "$url")
        else t=$(curl -fsS -o /dev/null -w '%{time_total}' "$url"); fi
        total=$("$PY" -c "print($total + $t)")
    done
    "$PY" -c "print(f'{$total / $REQUESTS:.4f}')"
}
health=$(mean "$BASE/healthz" none)
candidates=$(mean "$BASE/api/v1/honours/rounds/$ROUND/candidates?per_page=50" auth)
notice=$(mean "$BASE/api/v1/honours/rounds/$ROUND/notice" none)
ratio() { "$PY" -c "print(f'{$1 / $health:.0f}')"; }
echo "{\"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\", \"commit\": \"$(git -C "$ROOT" rev-parse --short HEAD)\", \"binary\": \"$BIN\", \"volunteers\": $VOLUNTEERS, \"ledger_entries\": $ENTRIES, \"demo_load_s\": $load_s, \"healthz_s\": $health, \"candidates_s\": $candidates, \"candidates_over_healthz\": $(ratio "$candidates"), \"notice_s\": $notice, \"notice_over_healthz\": $(ratio "$notice"), \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
