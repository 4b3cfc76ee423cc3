#!/usr/bin/env bash
# Needs marketplace benchmarks (issue #3), end to end: build release, load the
# demo region with a year of needs (100,000) into a temporary SQLite file, then
# measure
#   1. the bulk load itself (`tongxing demo --needs N`);
#   2. recomputing every open need's warning level (`tongxing needs recompute`):
#      as the server's minute tick finds it, and with every open level reset so
#      that every one of them changes;
#   3. the coordinator's queue through the API, filtered by status + warning
#      level + district, one client and CONCURRENCY clients, /healthz as the
#      baseline (bench/needs_queue.py);
#   4. public submission (POST /api/v1/needs) with wrk (bench/submit.lua):
#      /healthz at the same pacing as the baseline, then a paced run offering
#      about SUBMIT_OFFERED requests/s from many client addresses, an unpaced run
#      that finds the ceiling, and the paced run again from one address whose
#      limit is raised for it.
# Prints a results table (bench/needs_report.py). See bench/README.md.
#
# Only 127.0.0.1 is contacted; every load is bounded in time (and so in count);
# the server is stopped and the temporary folder removed on exit (KEEP=1 keeps it).
#
# Knobs (environment): VOLUNTEERS=100000 BENEFICIARIES=200 NEEDS=100000
# RECOMPUTE_RUNS=5 QUEUE_REQUESTS=2000 CONCURRENCY=8 QUEUE_MAX_SECONDS=150
# SUBMIT_OFFERED=1150 SUBMIT_CONNECTIONS=100 SUBMIT_SECONDS=20 SATURATE_CONNECTIONS=16
# SATURATE_SECONDS=10 PER_ADDRESS=20 RESULTS_DIR=bench/results KEEP=0
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
VOLUNTEERS=${VOLUNTEERS:-100000}
BENEFICIARIES=${BENEFICIARIES:-200}
NEEDS=${NEEDS:-100000}
RECOMPUTE_RUNS=${RECOMPUTE_RUNS:-5}
QUEUE_REQUESTS=${QUEUE_REQUESTS:-2000}
CONCURRENCY=${CONCURRENCY:-8}
QUEUE_MAX_SECONDS=${QUEUE_MAX_SECONDS:-150}
SUBMIT_OFFERED=${SUBMIT_OFFERED:-1150}
SUBMIT_CONNECTIONS=${SUBMIT_CONNECTIONS:-100}
SUBMIT_SECONDS=${SUBMIT_SECONDS:-20}
SATURATE_CONNECTIONS=${SATURATE_CONNECTIONS:-16}
SATURATE_SECONDS=${SATURATE_SECONDS:-10}
PER_ADDRESS=${PER_ADDRESS:-20}
RESULTS_DIR=${RESULTS_DIR:-$HERE/results}
KEEP=${KEEP:-0}
PY=${PYTHON:-python3}

# shellcheck source=bench/common.sh
. "$HERE/common.sh"
clean_config

ensure_wrk
build_release

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tongxing-needs-bench.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$WORK"
export TONGXING_DATA_DIR=$WORK/data
DB=$WORK/needs.db
start_metrics "$WORK/metrics.txt"
metric volunteers "$VOLUNTEERS"
metric needs "$NEEDS"

# ---- 1. the region and a year of needs -------------------------------------
log "loading the demo region: $VOLUNTEERS volunteers and $NEEDS needs of a past year"
t0=$(now)
TONGXING_DATABASE_URL="sqlite://$DB" timeout 900 "$BIN" demo --volunteers "$VOLUNTEERS" --beneficiaries "$BENEFICIARIES" --needs "$NEEDS" \
    >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
metric demo_seconds "$(elapsed "$t0" "$(now)")"
metric bulk_needs_seconds "$(sed -n 's/.* needs of a past year written in \([0-9.]*\) s/\1/p' "$WORK/demo.log")"
metric db_bytes "$(du -cb "$DB"* | tail -1 | cut -f1)"
log "$(grep 'needs of a past year' "$WORK/demo.log")"
"$PY" - "$DB" >>"$METRICS" <<'EOF'
import sqlite3, sys
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
one = lambda sql: con.execute(sql).fetchone()[0]
print("needs_total", one("SELECT COUNT(*) FROM needs"))
print("needs_open", one("SELECT COUNT(*) FROM needs WHERE status IN ('submitted', 'published', 'claimed')"))
print("need_events", one("SELECT COUNT(*) FROM need_events"))
print("hours_entries", one("SELECT COUNT(*) FROM hours_entries"))
for status, n in con.execute("SELECT status, COUNT(*) FROM needs GROUP BY status"):
    print(f"status_{status}", n)
EOF

# ---- 2. warning levels --------------------------------------------------------
recompute() {  # recompute LABEL RUN: one `tongxing needs recompute`, its ms and changes as metrics
    local out
    out=$(TONGXING_DATABASE_URL="sqlite://$DB" timeout 60 "$BIN" needs recompute 2>/dev/null)
    metric "recompute_${1}_${2}_ms" "$(sed -n 's/.*recomputed in \([0-9.]*\) ms.*/\1/p' <<<"$out")"
    metric "recompute_${1}_${2}_changed" "$(sed -n 's/.*: \([0-9]*\) changed/\1/p' <<<"$out")"
    log "recompute ($1, run $2): $out"
}
for run in $(seq 1 "$RECOMPUTE_RUNS"); do recompute steady "$run"; done
for run in $(seq 1 "$RECOMPUTE_RUNS"); do
    # Every open need back to level none, so the recompute rewrites every one above it.
    "$PY" -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE needs SET warning_level = 0 WHERE status IN ('submitted', 'published', 'claimed')\"); c.commit()" "$DB"
    recompute all "$run"
done

# ---- 3. the queue ---------------------------------------------------------------
start_server "$DB" queue
# The first minute tick (expired claims, levels, escalations) runs at start; let it finish.
sleep 3
log "queue, one client: $QUEUE_REQUESTS requests per kind"
metric loadavg_queue "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"
metric server_cpu_before_queue_s "$(cpu_s)"
timeout $((QUEUE_MAX_SECONDS + 60)) "$PY" "$HERE/needs_queue.py" --url "$URL" --db "$DB" --requests "$QUEUE_REQUESTS" \
    --concurrency 1 --max-seconds "$QUEUE_MAX_SECONDS" --json "$WORK/queue-c1.json"
log "queue, $CONCURRENCY clients: $QUEUE_REQUESTS requests per kind"
timeout $((QUEUE_MAX_SECONDS + 60)) "$PY" "$HERE/needs_queue.py" --url "$URL" --db "$DB" --requests "$QUEUE_REQUESTS" \
    --concurrency "$CONCURRENCY" --max-seconds "$QUEUE_MAX_SECONDS" --seed 8 --json "$WORK/queue-cn.json"
metric server_cpu_after_queue_s "$(cpu_s)"
stop_server

# ---- 4. public submission ------------------------------------------------------------
# Residents come from many addresses: the server trusts X-Forwarded-For (as
# behind a proxy) and keeps the default limits, 5 an hour per phone and 30 per
# address; every request has a new phone and every PER_ADDRESS a new address.
TONGXING_TRUST_FORWARDED_FOR=true start_server "$DB" submit
sleep 3
COMMUNITIES=$("$PY" -c "import sqlite3, sys; print(','.join(str(r[0]) for r in sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True).execute('SELECT id FROM communities')))" "$DB")
PAUSE_MS=$(( (SUBMIT_CONNECTIONS * 1000 + SUBMIT_OFFERED / 2) / SUBMIT_OFFERED ))
metric submit_pause_ms "$PAUSE_MS"
metric needs_before_submit "$("$PY" -c "import sqlite3, sys; print(sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True).execute('SELECT COUNT(*) FROM needs').fetchone()[0])" "$DB")"
wrk_run() {  # wrk_run LABEL CONNECTIONS SECONDS PAUSE_MS MODE PHONE_BASE
    local t0 c0
    c0=$(cpu_s)
    t0=$(now)
    # bash's `time` gives wrk's own CPU (user and system seconds): it shares the 2 cores.
    { TIMEFORMAT='%U %S'; time SUBMIT_MODE=$5 SUBMIT_PAUSE_MS=$4 SUBMIT_PHONE_BASE=$6 SUBMIT_COMMUNITIES=$COMMUNITIES SUBMIT_PER_ADDRESS=$PER_ADDRESS \
        timeout $(($3 + 30)) wrk -t1 -c"$2" -d"$3"s --timeout 10s -s "$HERE/submit.lua" "$URL" >"$WORK/wrk-$1.txt" 2>&1; } 2>"$WORK/wrk-$1.time"
    metric "wrk_${1}_server_cpu_s" "$("$PY" -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$c0" "$(cpu_s)")"
    metric "wrk_${1}_client_cpu_s" "$(awk '{print $1 + $2}' "$WORK/wrk-$1.time")"
    metric "wrk_${1}_connections" "$2"
    metric "wrk_${1}_pause_ms" "$4"
    sed -n 's/^WRK_JSON //p' "$WORK/wrk-$1.txt" >"$WORK/wrk-$1.json"
    [ -s "$WORK/wrk-$1.json" ] || { cat "$WORK/wrk-$1.txt" >&2; exit 1; }
    log "$1: $(grep -E 'Requests/sec' "$WORK/wrk-$1.txt") in $(elapsed "$t0" "$(now)") s"
}
metric loadavg_submit "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"
wrk_run healthz_paced "$SUBMIT_CONNECTIONS" "$SUBMIT_SECONDS" "$PAUSE_MS" healthz 0
wrk_run submit_paced "$SUBMIT_CONNECTIONS" "$SUBMIT_SECONDS" "$PAUSE_MS" submit 0
wrk_run healthz_max "$SATURATE_CONNECTIONS" "$SATURATE_SECONDS" 0 healthz 0
wrk_run submit_max "$SATURATE_CONNECTIONS" "$SATURATE_SECONDS" 0 submit 50000000
stop_server
# The issue's setup too: all from one address, its limit raised for the run.
TONGXING_NEEDS_PER_IP_PER_HOUR=$((SUBMIT_OFFERED * SUBMIT_SECONDS * 2)) start_server "$DB" submit-one-address
sleep 3
PER_ADDRESS=0 wrk_run submit_one_address "$SUBMIT_CONNECTIONS" "$SUBMIT_SECONDS" "$PAUSE_MS" submit 20000000
metric needs_after_submit "$("$PY" -c "import sqlite3, sys; print(sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True).execute('SELECT COUNT(*) FROM needs').fetchone()[0])" "$DB")"
metric server_rss_after_submit_kb "$(rss_kb)"
stop_server
metric loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"

# ---- 5. report ---------------------------------------------------------------------
mkdir -p "$RESULTS_DIR"
"$PY" "$HERE/needs_report.py" --work "$WORK" --concurrency "$CONCURRENCY" --json "$RESULTS_DIR/needs-latest.json" | tee "$RESULTS_DIR/needs-latest.md"
log "results also in $RESULTS_DIR/needs-latest.md and needs-latest.json"
