#!/usr/bin/env bash
# Recognition (issue #18): load the demo region with VOLUNTEERS (100,000)
# volunteers into a temporary SQLite file (`tongxing demo`: the 2025 rounds
# published, this year's on public notice), append LEDGER_ENTRIES (10,000,000)
# confirmed entries spread over this year (bench/ledger_bulk.py), start a
# server, open a fresh round of this year weighing six measures, and time its
# candidate list (every volunteer scored live from the ledger) beside /healthz
# in the same run; then the public notice page's throughput under wrk. Prints
# one JSON line; see bench/README.md. Only 127.0.0.1:HN_PORT is contacted; the
# server is stopped and the folder removed on exit.
#
# Knobs (environment): VOLUNTEERS=100000 LEDGER_ENTRIES=10000000 REQUESTS=5
#   WRK_SECONDS=10 WRK_CONNECTIONS=32 HN_PORT=18402 KEEP=0 BIN=(build release)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
VOLUNTEERS=${VOLUNTEERS:-100000}
LEDGER_ENTRIES=${LEDGER_ENTRIES:-10000000}
REQUESTS=${REQUESTS:-5}
WRK_SECONDS=${WRK_SECONDS:-10}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
HN_PORT=${HN_PORT:-18402}
KEEP=${KEEP:-0}
PY=${PYTHON:-python3}

# shellcheck source=bench/common.sh
. "$HERE/common.sh"
ensure_wrk
one_server_setup honours
DB=$WORK/region.db
BASE=http://127.0.0.1:$HN_PORT
YEAR=$(TZ=Asia/Shanghai date +%Y)

log "loading the demo region: $VOLUNTEERS volunteers"
t0=$(now)
TONGXING_DATABASE_URL="sqlite://$DB" timeout 3600 "$BIN" demo --volunteers "$VOLUNTEERS" >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
load_s=$(elapsed "$t0" "$(now)")
log "demo loaded in $load_s s; appending $LEDGER_ENTRIES ledger entries over $YEAR"
t0=$(now)
"$PY" "$HERE/ledger_bulk.py" load "$DB" "$LEDGER_ENTRIES" "$YEAR-01-01" >"$WORK/ledger.log"
ledger_s=$(elapsed "$t0" "$(now)")
TONGXING_DATABASE_URL="sqlite://$DB" "$BIN" serve --listen "127.0.0.1:$HN_PORT" >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do curl -fsS -o /dev/null --max-time 2 "$BASE/readyz" 2>/dev/null && break; sleep 0.1; done
TOKEN=$(curl -fsS -H 'content-type: application/json' -d '{"login":"coordinator","password":"demo-coordinator"}' "$BASE/api/v1/auth/login" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["token"])')
NOTICE=$(sqlite3 "$DB" "SELECT id FROM honour_rounds WHERE stage = 'notice' AND notice_until > CAST(strftime('%s', 'now') AS INTEGER) * 1000 ORDER BY id DESC LIMIT 1")
ENTRIES=$(sqlite3 "$DB" "SELECT COUNT(*) FROM hours_entries")
ROUND=$(curl -fsS -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' "$BASE/api/v1/honours/rounds" -d "{\"title\": \"bench $YEAR\", \"kind\": \"volunteer\",
  \"period_from\": \"$YEAR-01-01\", \"period_to\": \"$YEAR-12-31\", \"min_hours\": 20, \"nominate_until\": \"$YEAR-12-31\", \"notice_days\": 7,
  \"criteria\": [{\"metric\": \"hours\", \"weight\": 40}, {\"metric\": \"activities\", \"weight\": 20}, {\"metric\": \"needs_served\", \"weight\": 10},
  {\"metric\": \"need_rating\", \"weight\": 10}, {\"metric\": \"emergency_answered\", \"weight\": 10}, {\"metric\": \"emergency_attended\", \"weight\": 10}]}" |
  "$PY" -c 'import json,sys; print(json.load(sys.stdin)["id"])')

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
ratio() { "$PY" -c "print(f'{$1 / $health:.0f}')"; }
# Requests a second of wrk on $1 (2 threads, WRK_CONNECTIONS connections).
rps() { wrk -t2 -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" "$1" | awk '/^Requests\/sec/ {printf "%.0f", $2}'; }
health_rps=$(rps "$BASE/healthz")
notice_page_rps=$(rps "$BASE/honours/$NOTICE/notice")
notice_api_rps=$(rps "$BASE/api/v1/honours/rounds/$NOTICE/notice")
echo "{\"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\", \"commit\": \"$(git -C "$ROOT" rev-parse --short HEAD)\", \"binary\": \"$BIN\", \"volunteers\": $VOLUNTEERS, \"ledger_entries\": $ENTRIES, \"demo_load_s\": $load_s, \"ledger_load_s\": $ledger_s, \"healthz_s\": $health, \"candidates_s\": $candidates, \"candidates_over_healthz\": $(ratio "$candidates"), \"healthz_rps\": $health_rps, \"notice_page_rps\": $notice_page_rps, \"notice_api_rps\": $notice_api_rps, \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
