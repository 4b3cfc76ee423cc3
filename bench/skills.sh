#!/usr/bin/env bash
# Skills and mentorship (issue #19): load the demo region with VOLUNTEERS
# (100,000) people into a temporary SQLite file (`tongxing demo`: 张晓静's
# certifications, classes, apprentices and the problem board), append
# certifications until there are CERTIFICATIONS (500,000) of them
# (bench/skills_certs.py: each person climbs one or two trades' ladders),
# start a server, and time — median and 90th percentile of REQUESTS
# sequential requests, beside /healthz in the same run — the three pages the
# issue names: the "eligible now and within six months" list of the largest
# unit, 张晓静's mentor page (39 apprentices and what became of them), and
# the problem board filtered by her unit and 集输. Prints one JSON line; see
# bench/README.md. Only 127.0.0.1:SK_PORT is contacted; the server is
# stopped and the folder removed on exit.
#
# Knobs (environment): VOLUNTEERS=100000 CERTIFICATIONS=500000 REQUESTS=50
#   SK_PORT=18419 KEEP=0 BIN=(build release)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
VOLUNTEERS=${VOLUNTEERS:-100000}
CERTIFICATIONS=${CERTIFICATIONS:-500000}
REQUESTS=${REQUESTS:-50}
SK_PORT=${SK_PORT:-18419}
KEEP=${KEEP:-0}
PY=${PYTHON:-python3}

# shellcheck source=bench/common.sh
. "$HERE/common.sh"
one_server_setup skills
DB=$WORK/region.db
BASE=http://127.0.0.1:$SK_PORT

log "loading the demo region: $VOLUNTEERS people"
t0=$(now)
TONGXING_DATABASE_URL="sqlite://$DB" timeout 3600 "$BIN" demo --volunteers "$VOLUNTEERS" >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
load_s=$(elapsed "$t0" "$(now)")
log "demo loaded in $load_s s; appending certifications up to $CERTIFICATIONS"
"$PY" "$HERE/skills_certs.py" load "$DB" "$CERTIFICATIONS" >"$WORK/certs.log"
CERTS=$(sqlite3 "$DB" "SELECT COUNT(*) FROM skill_certifications")
PEOPLE=$(sqlite3 "$DB" "SELECT COUNT(*) FROM volunteers")
UNIT=$(sqlite3 "$DB" "SELECT unit_id FROM volunteers GROUP BY unit_id ORDER BY COUNT(*) DESC LIMIT 1")
UNIT_PEOPLE=$(sqlite3 "$DB" "SELECT COUNT(*) FROM volunteers WHERE unit_id = $UNIT")
MENTOR=$(sqlite3 "$DB" "SELECT mentor_id FROM skill_apprenticeships GROUP BY mentor_id ORDER BY COUNT(*) DESC LIMIT 1")
PUNIT=$(sqlite3 "$DB" "SELECT unit_id FROM volunteers WHERE id = $MENTOR")
serve_on "$SK_PORT" "$DB" "$WORK/server.log"
TOKEN=$(curl -fsS -H 'content-type: application/json' -d '{"login":"coordinator","password":"demo-coordinator"}' "$BASE/api/v1/auth/login" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["token"])')
ELIGIBLE=$(curl -fsS -H "authorization: Bearer $TOKEN" "$BASE/api/v1/skills/eligible?unit_id=$UNIT&within_months=6" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["total"])')

# "median p90" in ms of REQUESTS GETs of $1.
times() { "$PY" "$HERE/skills_certs.py" p50 "$1" "$TOKEN" "$REQUESTS"; }
read -r health_p50 health_p90 < <(times "$BASE/healthz")
read -r eligible_p50 eligible_p90 < <(times "$BASE/api/v1/skills/eligible?unit_id=$UNIT&within_months=6")
read -r mentor_p50 mentor_p90 < <(times "$BASE/api/v1/people/$MENTOR/mentoring")
read -r board_p50 board_p90 < <(times "$BASE/api/v1/problems?unit_id=$PUNIT&trade=js")
ratio() { "$PY" -c "print(f'{$1 / $health_p50:.1f}')"; }
echo "{\"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\", \"commit\": \"$(git -C "$ROOT" rev-parse --short HEAD)\", \"binary\": \"$BIN\", \"people\": $PEOPLE, \"certifications\": $CERTS, \"unit_people\": $UNIT_PEOPLE, \"eligible_rows\": $ELIGIBLE, \"demo_load_s\": $load_s, \"healthz_ms\": [$health_p50, $health_p90], \"eligible_ms\": [$eligible_p50, $eligible_p90], \"eligible_over_healthz\": $(ratio "$eligible_p50"), \"mentor_ms\": [$mentor_p50, $mentor_p90], \"mentor_over_healthz\": $(ratio "$mentor_p50"), \"board_ms\": [$board_p50, $board_p90], \"board_over_healthz\": $(ratio "$board_p50"), \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
