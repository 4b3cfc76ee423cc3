#!/usr/bin/env bash
# Activities and hours benchmarks (issue #4), end to end: build release, load
# a demo region into a temporary SQLite file (fresh data dir), give VOLUNTEERS
# of its volunteers an account and a session, plan the activities through the
# API, then with wrk (bench/activities.lua, every request a volunteer's own):
#   1. /healthz, the baseline of the same run;
#   2. listing upcoming activities near a community (district or community filter);
#   3. a volunteer's hours summary;
#   4. sign-ups (new volunteer/activity pairs, every 10th a double tap);
#   5. check-ins: paced at about CHECKIN_OFFERED/s (with /healthz at the same
#      pacing), then unpaced; every 10th a retry. Afterwards the rows are counted.
#   6. the hours summary over a ledger of LEDGER_ENTRIES (10 million) entries
#      loaded in bulk with SQL (bench/ledger_bulk.py), timed one request at a time.
# Prints a results table (bench/activities_report.py), then the configurations
# measured so far side by side. See bench/README.md.
#
# DATABASE=sqlite (default) | postgres | postgres://user@host:port/db: on
# PostgreSQL the region is prepared in SQLite as always, moved with `tongxing
# dump` / `tongxing restore` into a new database (tx_bench_*, dropped at the
# end) on that server (postgres: postgres@127.0.0.1:5432), sessions copied
# with it; the 10-million-entry ledger (step 6) is SQLite's only.
# INSTANCES=2 (PostgreSQL only) runs two instances on the one database, and
# wrk sends half its connections to each (one wrk thread per instance).
# POOL: each instance's PostgreSQL connections (`database_pool`); by default
# 16 split among the instances, as README's "How many instances" advises.
#
# Only 127.0.0.1 is contacted; every wrk run is bounded by -d (at most 30 s) and
# `timeout`; the server is stopped and the temporary folder removed on exit.
#
# Knobs (environment): VOLUNTEERS=20000 ACCOUNTS=20000 COMMUNITIES=60 CONNECTIONS=64
# RUN_SECONDS=10 CHECKIN_OFFERED=2500 CHECKIN_CONNECTIONS=64 CHECKIN_SECONDS=20
# LEDGER_ENTRIES=10000000 LEDGER_REQUESTS=300 RESULTS_DIR=bench/results KEEP=0 (1: keep the folder and the PostgreSQL database) BIN=(build) DATABASE=sqlite INSTANCES=1 POOL=16/INSTANCES
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
VOLUNTEERS=${VOLUNTEERS:-20000}
ACCOUNTS=${ACCOUNTS:-20000}
COMMUNITIES=${COMMUNITIES:-60}
CONNECTIONS=${CONNECTIONS:-64}
SECONDS_EACH=${RUN_SECONDS:-10}
CHECKIN_OFFERED=${CHECKIN_OFFERED:-2500}
CHECKIN_CONNECTIONS=${CHECKIN_CONNECTIONS:-64}
CHECKIN_SECONDS=${CHECKIN_SECONDS:-20}
LEDGER_ENTRIES=${LEDGER_ENTRIES:-10000000}
LEDGER_REQUESTS=${LEDGER_REQUESTS:-300}
RESULTS_DIR=${RESULTS_DIR:-$HERE/results}
KEEP=${KEEP:-0}
PY=${PYTHON:-python3}
DATABASE=${DATABASE:-sqlite}
INSTANCES=${INSTANCES:-1}
POOL=${POOL:-$((16 / INSTANCES))}
case $DATABASE in
    sqlite) PG_SERVER="" ;;
    postgres) PG_SERVER=postgres://postgres@127.0.0.1:5432 ;;
    postgres://* | postgresql://*) PG_SERVER=${DATABASE%/*} ;;
    *) echo "DATABASE is sqlite, postgres or a postgres:// URL" >&2; exit 1 ;;
esac
[ "$INSTANCES" = 1 ] || { [ "$INSTANCES" = 2 ] && [ -n "$PG_SERVER" ]; } || { echo "INSTANCES=2 needs PostgreSQL" >&2; exit 1; }
CONFIG=sqlite
[ -z "$PG_SERVER" ] || CONFIG=postgres-$INSTANCES
[ "$SECONDS_EACH" -le 30 ] && [ "$CHECKIN_SECONDS" -le 30 ] || { echo "each wrk run is at most 30 s" >&2; exit 1; }

# shellcheck source=bench/common.sh
. "$HERE/common.sh"
clean_config

ensure_wrk
# BIN=path/to/tongxing measures a binary built before (e.g. to compare with an older one).
if [ -n "${BIN:-}" ]; then [ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }; else build_release; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tongxing-activities-bench.XXXXXX")
PG_URL=""
# From /: the work folder (the current one) is gone by then, and psql refuses to start in a deleted folder.
drop_pg() { [ -z "$PG_URL" ] || [ "$KEEP" != 1 ] || { echo "kept the PostgreSQL database $PG_URL" >&2; return; }; [ -z "$PG_URL" ] || (cd / && psql -q -d "$PG_SERVER/postgres" -c "DROP DATABASE IF EXISTS ${PG_URL##*/} WITH (FORCE)") >/dev/null 2>&1 || true; }
trap 'cleanup; drop_pg' EXIT
trap 'exit 130' INT TERM
cd "$WORK"
export TONGXING_DATA_DIR=$WORK/data
# /metrics on loopback: the group-commit queues' groups and requests, for their mean size.
export TONGXING_METRICS=open
export TONGXING_DATABASE_POOL=$POOL
DB=$WORK/activities.db
TOKENS=$WORK/tokens.txt
start_metrics "$WORK/metrics.txt"
metric volunteers "$VOLUNTEERS"
metric database "$CONFIG"

# ---- the region, accounts, activities ------------------------------------------
log "loading the demo region: $VOLUNTEERS volunteers"
t0=$(now)
TONGXING_DATABASE_URL="sqlite://$DB" timeout 600 "$BIN" demo --volunteers "$VOLUNTEERS" >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
metric demo_seconds "$(elapsed "$t0" "$(now)")"
metric accounts "$("$PY" "$HERE/activities_setup.py" accounts "$DB" "$TOKENS" "$ACCOUNTS")"
SERVED=$DB
if [ -n "$PG_SERVER" ]; then
    PG_URL=$PG_SERVER/tx_bench_$$
    log "moving the region to PostgreSQL ($PG_URL) with tongxing dump / restore"
    psql -q -d "$PG_SERVER/postgres" -c "CREATE DATABASE ${PG_URL##*/}" >/dev/null
    TONGXING_DATABASE_URL="sqlite://$DB" "$BIN" dump "$WORK/region.dump" 2>>"$WORK/demo.log"
    TONGXING_DATABASE_URL="$PG_URL" "$BIN" restore "$WORK/region.dump" >>"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
    # Sessions are not part of a dump (a restored region signs in again); the benchmark's tokens are.
    "$PY" -c "import csv, sqlite3, sys; csv.writer(sys.stdout).writerows(sqlite3.connect(sys.argv[1]).execute('SELECT token_hash, user_id, created_at, expires_at FROM sessions'))" "$DB" >"$WORK/sessions.csv"
    psql -q -d "$PG_URL" -c "\\copy sessions (token_hash, user_id, created_at, expires_at) FROM '$WORK/sessions.csv' CSV"
    psql -q -d "$PG_URL" -c "ANALYZE" >/dev/null
    SERVED=$PG_URL
    metric pg_settings "$(psql -At -d "$PG_URL" -c "SELECT string_agg(name || '=' || setting || COALESCE(unit, ''), ' ' ORDER BY name) FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'shared_buffers', 'max_connections', 'wal_level', 'commit_delay')")"
    metric pg_version "$(psql -At -d "$PG_URL" -c "SHOW server_version")"
fi
metric instances "$INSTANCES"
metric pool "$POOL"
for k in $(seq 1 "$INSTANCES"); do start_server "$SERVED" "load-$k"; done
sleep 2
"$PY" "$HERE/activities_setup.py" plan "$URL" "$DB" "$COMMUNITIES" >"$WORK/setup.json"
field() { "$PY" -c "import json, sys; v = json.load(open(sys.argv[1]))[sys.argv[2]]; print(';'.join(map(str, v)) if isinstance(v, list) else v)" "$WORK/setup.json" "$1"; }
QUERIES=$(field list_queries)
SIGNUP_IDS=$(field signup_ids | tr ';' ,)
CHECKIN_IDS=$(field checkin_ids | tr ';' ,)
metric districts "$(field districts)"
metric communities "$(field communities)"
wrk_run() {  # wrk_run LABEL MODE CONNECTIONS SECONDS PAUSE_MS START [IDS]
    local c0 p0=0
    c0=$(cpu_s)
    [ -z "$PG_URL" ] || p0=$(pg_cpu_s)
    # bash's `time` gives wrk's own CPU (user and system seconds): it shares the 2 cores.
    # With two instances, one wrk thread for each (ACT_ADDRS), half the connections each.
    { TIMEFORMAT='%U %S'; time ACT_MODE=$2 ACT_PAUSE_MS=$5 ACT_START=$6 ACT_IDS=${7:-} ACT_QUERIES=$QUERIES ACT_TOKENS=$TOKENS ACT_REPEAT=${REPEAT:-0} \
        ACT_ADDRS=$ADDRS ACT_THREADS=$INSTANCES timeout $(($4 + 30)) wrk -t"$INSTANCES" -c"$3" -d"$4"s --timeout 10s -s "$HERE/activities.lua" "$URL" >"$WORK/wrk-$1.txt" 2>&1; } 2>"$WORK/wrk-$1.time"
    metric "wrk_${1}_server_cpu_s" "$("$PY" -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$c0" "$(cpu_s)")"
    [ -z "$PG_URL" ] || metric "wrk_${1}_pg_cpu_s" "$("$PY" -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$p0" "$(pg_cpu_s)")"
    metric "wrk_${1}_client_cpu_s" "$(awk '{print $1 + $2}' "$WORK/wrk-$1.time")"
    metric "wrk_${1}_connections" "$3"
    metric "wrk_${1}_pause_ms" "$5"
    sed -n 's/^WRK_JSON //p' "$WORK/wrk-$1.txt" >"$WORK/wrk-$1.json"
    [ -s "$WORK/wrk-$1.json" ] || { cat "$WORK/wrk-$1.txt" >&2; exit 1; }
    log "$1: $(grep -E 'Requests/sec' "$WORK/wrk-$1.txt")"
}
grouped() {  # grouped KIND: groups and requests of every instance's KIND queue so far, "groups requests"
    local addr g=0 r=0 text
    for addr in ${ADDRS//,/ }; do
        text=$(curl -fsS --max-time 5 "http://$addr/metrics")
        g=$((g + $(sed -n "s/^tongxing_group_commit_groups_total{kind=\"$1\"} //p" <<<"$text")))
        r=$((r + $(sed -n "s/^tongxing_group_commit_requests_total{kind=\"$1\"} //p" <<<"$text")))
    done
    echo "$g $r"
}
group_sizes() {  # group_sizes LABEL KIND BEFORE: the run's groups and requests (since BEFORE)
    local after
    after=$(grouped "$2")
    metric "wrk_${1}_groups" "$(($(cut -d' ' -f1 <<<"$after") - $(cut -d' ' -f1 <<<"$3")))"
    metric "wrk_${1}_grouped" "$(($(cut -d' ' -f2 <<<"$after") - $(cut -d' ' -f2 <<<"$3")))"
}
count() {  # count SQL: one number from the database (read-only, beside the server)
    if [ -n "$PG_URL" ]; then psql -At -d "$PG_URL" -c "$1"; return; fi
    "$PY" -c "import sqlite3, sys; print(sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True).execute(sys.argv[2]).fetchone()[0])" "$DB" "$1"
}
pg_cpu_s() {  # CPU seconds of every PostgreSQL process (the pool's connections live through a run)
    local t
    t=$(getconf CLK_TCK)
    # A process may end between pgrep and cat (other clients come and go): not an error.
    for pid in $(pgrep -x postgres); do cat "/proc/$pid/stat" 2>/dev/null || true; done | awk -v t="$t" '{s += $14 + $15} END {printf "%.2f", s / t}'
}
metric activities "$(count 'SELECT COUNT(*) FROM activities')"

metric loadavg_runs "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"
wrk_run healthz healthz "$CONNECTIONS" "$SECONDS_EACH" 0 0
wrk_run list list "$CONNECTIONS" "$SECONDS_EACH" 0 0
wrk_run hours hours "$CONNECTIONS" "$SECONDS_EACH" 0 0
g0=$(grouped signups)
REPEAT=10 wrk_run signup signup "$CONNECTIONS" "$SECONDS_EACH" 0 0 "$SIGNUP_IDS"
group_sizes signup signups "$g0"
PAUSE_MS=$(( (CHECKIN_CONNECTIONS * 1000 + CHECKIN_OFFERED / 2) / CHECKIN_OFFERED ))
wrk_run healthz_paced healthz "$CHECKIN_CONNECTIONS" "$CHECKIN_SECONDS" "$PAUSE_MS" 0
g0=$(grouped checkins)
REPEAT=10 wrk_run checkin_paced checkin "$CHECKIN_CONNECTIONS" "$CHECKIN_SECONDS" "$PAUSE_MS" 0 "$CHECKIN_IDS"
group_sizes checkin_paced checkins "$g0"
# The unpaced run continues the sequence (new pairs) on the same activities.
CHECKIN_NEXT=$("$PY" -c "import json, sys; print(json.load(open(sys.argv[1]))['next_seq'])" "$WORK/wrk-checkin_paced.json")
g0=$(grouped checkins)
REPEAT=10 wrk_run checkin_max checkin "$CONNECTIONS" "$SECONDS_EACH" 0 "$CHECKIN_NEXT" "$CHECKIN_IDS"
group_sizes checkin_max checkins "$g0"
metric server_rss_after_runs_kb "$(rss_kb)"
stop_server

# ---- count the rows ----------------------------------------------------------
metric signup_rows "$(count "SELECT COUNT(*) FROM signups WHERE activity_id IN ($SIGNUP_IDS)")"
metric signup_confirmed_rows "$(count "SELECT COUNT(*) FROM signups WHERE activity_id IN ($SIGNUP_IDS) AND status = 'confirmed'")"
metric signup_over_capacity "$(count "SELECT COUNT(*) FROM activities WHERE id IN ($SIGNUP_IDS) AND confirmed > capacity")"
metric signup_counter_mismatch "$(count "SELECT COUNT(*) FROM activities a WHERE id IN ($SIGNUP_IDS) AND (a.confirmed <> (SELECT COUNT(*) FROM signups s WHERE s.activity_id = a.id AND s.status = 'confirmed') OR a.waitlisted <> (SELECT COUNT(*) FROM signups s WHERE s.activity_id = a.id AND s.status = 'waitlisted'))")"
metric checkin_rows "$(count "SELECT COUNT(*) FROM attendance WHERE activity_id IN ($CHECKIN_IDS)")"

# ---- 10 million ledger entries (SQLite) -----------------------------------------
if [ -z "$PG_URL" ]; then
    log "loading $LEDGER_ENTRIES ledger entries in bulk"
    "$PY" "$HERE/ledger_bulk.py" load "$DB" "$LEDGER_ENTRIES" >>"$METRICS"
    start_server "$DB" ledger
    sleep 2
    "$PY" "$HERE/ledger_bulk.py" measure "$URL" "$DB" "$TOKENS" "$LEDGER_REQUESTS" >>"$METRICS"
    stop_server
fi
metric loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"

# ---- report --------------------------------------------------------------------
mkdir -p "$RESULTS_DIR"
"$PY" "$HERE/activities_report.py" --work "$WORK" --json "$RESULTS_DIR/activities-$CONFIG.json" | tee "$RESULTS_DIR/activities-$CONFIG.md"
"$PY" "$HERE/activities_report.py" --compare "$RESULTS_DIR"/activities-{sqlite,postgres-1,postgres-2}.json | tee "$RESULTS_DIR/activities-compare.md"
log "results also in $RESULTS_DIR/activities-$CONFIG.md (.json) and activities-compare.md"
