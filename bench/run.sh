#!/usr/bin/env bash
# Tongxing benchmarks, end to end: build release, load a 100k-volunteer demo
# region into a temporary SQLite file, then measure volunteer search through
# the API (sequential and concurrency 8, /healthz as the baseline), roster
# import of 10,000 lines by API and CLI (1,000 lines as the baseline), and the
# server's memory. Prints a results table. See bench/README.md.
#
# Only 127.0.0.1 is ever contacted; every load is bounded in count and time;
# the server is stopped and the temporary folder removed on exit (KEEP=1 keeps it).
#
# Knobs (environment): VOLUNTEERS=100000 BENEFICIARIES=200 SEARCH_REQUESTS=2000
# BROAD_REQUESTS=100 CONCURRENCY=8 IMPORT_ROWS=10000 BASELINE_ROWS=1000
# IMPORT_RUNS=3 SEARCH_MAX_SECONDS=150 RESULTS_DIR=bench/results KEEP=0
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
VOLUNTEERS=${VOLUNTEERS:-100000}
BENEFICIARIES=${BENEFICIARIES:-200}
SEARCH_REQUESTS=${SEARCH_REQUESTS:-2000}
BROAD_REQUESTS=${BROAD_REQUESTS:-100}
CONCURRENCY=${CONCURRENCY:-8}
IMPORT_ROWS=${IMPORT_ROWS:-10000}
BASELINE_ROWS=${BASELINE_ROWS:-1000}
IMPORT_RUNS=${IMPORT_RUNS:-3}
SEARCH_MAX_SECONDS=${SEARCH_MAX_SECONDS:-150}
RESULTS_DIR=${RESULTS_DIR:-$HERE/results}
KEEP=${KEEP:-0}
PY=${PYTHON:-python3}

# shellcheck source=bench/common.sh
. "$HERE/common.sh"
clean_config
build_release

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tongxing-bench.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$WORK"
export TONGXING_DATA_DIR=$WORK/data
start_metrics "$WORK/metrics.txt"
metric volunteers "$VOLUNTEERS"

"$PY" -c "import openpyxl" 2>/dev/null || { log "installing openpyxl"; "$PY" -m pip install --quiet --disable-pip-version-check openpyxl; }

# ---- 1. the demo region ---------------------------------------------------
log "loading the demo region: $VOLUNTEERS volunteers, $BENEFICIARIES beneficiaries"
t0=$(now)
TONGXING_DATABASE_URL="sqlite://$WORK/base.db" timeout 600 "$BIN" demo --volunteers "$VOLUNTEERS" --beneficiaries "$BENEFICIARIES" >"$WORK/demo.log" 2>&1 \
    || { cat "$WORK/demo.log" >&2; exit 1; }
t1=$(now)
metric demo_seconds "$(elapsed "$t0" "$t1")"
metric db_bytes "$(du -cb "$WORK"/base.db* | tail -1 | cut -f1)"
log "demo loaded in $(elapsed "$t0" "$t1") s: $(tail -1 "$WORK/demo.log")"

fresh_copy() {  # the loaded 100k database, untouched, as $1
    rm -f "$1" "$1-wal" "$1-shm"
    cp "$WORK/base.db" "$1"
    for s in -wal -shm; do [ -f "$WORK/base.db$s" ] && cp "$WORK/base.db$s" "$1$s"; done
    return 0
}

# ---- 2. rosters -------------------------------------------------------------
log "generating rosters ($BASELINE_ROWS and $IMPORT_ROWS lines)"
"$PY" "$HERE/make_roster.py" --db "$WORK/base.db" --rows "$BASELINE_ROWS" --seed 11 --out "$WORK/roster-small.xlsx"
"$PY" "$HERE/make_roster.py" --db "$WORK/base.db" --rows "$IMPORT_ROWS" --seed 12 --out "$WORK/roster-large.xlsx"
metric roster_small_bytes "$(stat -c %s "$WORK/roster-small.xlsx")"
metric roster_large_bytes "$(stat -c %s "$WORK/roster-large.xlsx")"

# ---- 3. search and memory ---------------------------------------------------
fresh_copy "$WORK/search.db"
log "query plans and raw SQL times (no server)"
"$PY" "$HERE/explain.py" --db "$WORK/search.db" --json "$WORK/explain.json"

start_server "$WORK/search.db" search
metric rss_start_kb "$(rss_kb)"
log "server up on $URL, pid $SERVER_PID, RSS $(rss_kb) kB"

log "search, one client: $SEARCH_REQUESTS requests per kind"
metric loadavg_search "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"
metric server_cpu_before_c1_s "$(cpu_s)"
timeout $((SEARCH_MAX_SECONDS + 60)) "$PY" "$HERE/search.py" --url "$URL" --db "$WORK/search.db" --requests "$SEARCH_REQUESTS" \
    --concurrency 1 --max-seconds "$SEARCH_MAX_SECONDS" --json "$WORK/search-c1.json"
metric rss_after_search_c1_kb "$(rss_kb)"
metric server_cpu_after_c1_s "$(cpu_s)"

log "search, $CONCURRENCY clients: $SEARCH_REQUESTS requests per kind"
timeout $((SEARCH_MAX_SECONDS + 60)) "$PY" "$HERE/search.py" --url "$URL" --db "$WORK/search.db" --requests "$SEARCH_REQUESTS" \
    --concurrency "$CONCURRENCY" --max-seconds "$SEARCH_MAX_SECONDS" --seed 8 --json "$WORK/search-c$CONCURRENCY.json"
metric rss_after_search_kb "$(rss_kb)"
metric server_cpu_after_cn_s "$(cpu_s)"
log "search, worst cases, one client: $BROAD_REQUESTS per kind (a surname alone, one pinyin letter)"
timeout 120 "$PY" "$HERE/search.py" --url "$URL" --db "$WORK/search.db" --requests 0 --broad "$BROAD_REQUESTS" \
    --concurrency 1 --warmup 0 --max-seconds 60 --seed 9 --json "$WORK/search-broad.json"
metric server_cpu_after_broad_s "$(cpu_s)"
metric server_db_connections "$(find "/proc/$SERVER_PID/fd" -lname "$WORK/search.db" 2>/dev/null | wc -l)"
metric hwm_after_search_kb "$(hwm_kb)"
log "RSS after search $(rss_kb) kB (peak $(hwm_kb) kB)"
stop_server

# ---- 4. import ----------------------------------------------------------------
for run in $(seq 1 "$IMPORT_RUNS"); do
    for size in small large; do
        rows=$BASELINE_ROWS; [ "$size" = large ] && rows=$IMPORT_ROWS
        log "import run $run, $rows lines, API (fresh copy of the $VOLUNTEERS-volunteer database)"
        fresh_copy "$WORK/import.db"
        start_server "$WORK/import.db" "import-$size-$run"
        metric "rss_before_import_api_${size}_${run}_kb" "$(rss_kb)"
        timeout 300 "$PY" "$HERE/import_api.py" --url "$URL" --file "$WORK/roster-$size.xlsx" --json "$WORK/import-api-$size-$run.json"
        metric "rss_after_import_api_${size}_${run}_kb" "$(rss_kb)"
        metric "hwm_after_import_api_${size}_${run}_kb" "$(hwm_kb)"
        stop_server

        log "import run $run, $rows lines, CLI (fresh copy)"
        fresh_copy "$WORK/import.db"
        t0=$(now)
        TONGXING_DATABASE_URL="sqlite://$WORK/import.db" timeout 300 "$BIN" import "$WORK/roster-$size.xlsx" >"$WORK/cli-$size-$run.log" 2>&1 \
            || { cat "$WORK/cli-$size-$run.log" >&2; exit 1; }
        t1=$(now)
        grep -q "$rows created, 0 updated, 0 errors; committed" "$WORK/cli-$size-$run.log" \
            || { echo "unexpected CLI import result:" >&2; cat "$WORK/cli-$size-$run.log" >&2; exit 1; }
        metric "import_cli_${size}_${run}_seconds" "$(elapsed "$t0" "$t1")"
        log "CLI: $(tail -1 "$WORK/cli-$size-$run.log") in $(elapsed "$t0" "$t1") s"
    done
done

metric loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"

# ---- 5. report -------------------------------------------------------------------
mkdir -p "$RESULTS_DIR"
"$PY" "$HERE/report.py" --work "$WORK" --concurrency "$CONCURRENCY" --import-runs "$IMPORT_RUNS" \
    --json "$RESULTS_DIR/latest.json" | tee "$RESULTS_DIR/latest.md"
log "results also in $RESULTS_DIR/latest.md and latest.json"
