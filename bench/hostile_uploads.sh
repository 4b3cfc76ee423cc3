#!/usr/bin/env bash
# Hostile uploads (issue #12, finding 1), end to end: build release, load a small
# demo region into a temporary SQLite file, start `tongxing serve`, then:
#   1. each hostile file (bench/hostile_uploads.py make: a sparse sheet naming
#      XFD1048576, a 200 MB zip bomb, the bomb lying about its size, a .csv of
#      60,000 lines) uploaded UPLOADS times one after another: the client-side
#      time to the refusal, and the server's peak RSS growth (VmHWM, reset
#      through /proc/PID/clear_refs, minus VmRSS before);
#   2. /healthz alone with wrk: the baseline of the same run;
#   3. /healthz with wrk while four clients upload the four hostile files in a loop,
#      ROUNDS times (the RSS after each round shows whether memory keeps growing);
#   4. VmRSS before the first upload, and again SETTLE seconds after the last.
# Prints "key value" lines; bench/README.md has the figures and the command.
#
# Only 127.0.0.1 is contacted; every wrk run is bounded by -d (at most 30 s) and
# `timeout`; the server is stopped and the temporary folder removed on exit.
#
# Knobs (environment): UPLOADS=20 RUN_SECONDS=10 ROUNDS=3 CONNECTIONS=8 SETTLE=3 KEEP=0 BIN=(build)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
UPLOADS=${UPLOADS:-20}
SECONDS_EACH=${RUN_SECONDS:-10}
CONNECTIONS=${CONNECTIONS:-8}
SETTLE=${SETTLE:-3}
ROUNDS=${ROUNDS:-3}
KEEP=${KEEP:-0}
PY=${PYTHON:-python3}
[ "$SECONDS_EACH" -le 30 ] || { echo "each wrk run is at most 30 s" >&2; exit 1; }

# shellcheck source=bench/common.sh
. "$HERE/common.sh"
clean_config

ensure_wrk
if [ -n "${BIN:-}" ]; then [ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }; else build_release; fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tongxing-hostile-bench.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$WORK"
export TONGXING_DATA_DIR=$WORK/data
DB=$WORK/hostile.db
start_metrics "$WORK/metrics.txt"

log "making the hostile files"
"$PY" "$HERE/hostile_uploads.py" make "$WORK" 2>"$WORK/files.txt"
while read -r name bytes; do metric "file_bytes_$name" "$bytes"; done <"$WORK/files.txt"

log "loading a small demo region"
TONGXING_DATABASE_URL="sqlite://$DB" timeout 300 "$BIN" demo --volunteers 200 >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
start_server "$DB" hostile
HOSTILE_TOKEN=$("$PY" "$HERE/hostile_uploads.py" login "$URL")
export HOSTILE_TOKEN
sleep 1
metric rss_kb_before "$(rss_kb)"

# ---- 1. each file alone ----------------------------------------------------------
for f in sparse.xlsx bomb.xlsx liar.xlsx long.csv; do
    echo 5 >"/proc/$SERVER_PID/clear_refs"
    before=$(rss_kb)
    result=$(timeout 300 "$PY" "$HERE/hostile_uploads.py" once "$URL" "$WORK/$f" "$UPLOADS")
    metric "refuse_$f" "$result"
    metric "refuse_${f}_peak_rss_growth_kb" "$(($(hwm_kb) - before))"
done

# ---- 2. and 3. /healthz alone, then beside four hostile uploaders ----------------
wrk_healthz() {  # wrk_healthz LABEL
    timeout $((SECONDS_EACH + 30)) wrk -t1 -c"$CONNECTIONS" -d"$SECONDS_EACH"s --timeout 10s --latency "$URL/healthz" >"$WORK/wrk-$1.txt" 2>&1
    metric "healthz_${1}_requests_per_s" "$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk-$1.txt")"
    metric "healthz_${1}_p50" "$(awk '$1 == "50%" {print $2}' "$WORK/wrk-$1.txt")"
    metric "healthz_${1}_p99" "$(awk '$1 == "99%" {print $2}' "$WORK/wrk-$1.txt")"
}
wrk_healthz alone
metric rss_kb_after_healthz_alone "$(rss_kb)"
for round in $(seq 1 "$ROUNDS"); do
    echo 5 >"/proc/$SERVER_PID/clear_refs"
    before=$(rss_kb)
    timeout $((SECONDS_EACH + 60)) "$PY" "$HERE/hostile_uploads.py" storm "$URL" "$((SECONDS_EACH + 1))" \
        "$WORK/sparse.xlsx" "$WORK/bomb.xlsx" "$WORK/liar.xlsx" "$WORK/long.csv" >"$WORK/storm.json" &
    STORM=$!
    sleep 0.5
    wrk_healthz "under_hostile_uploads_round_$round"
    wait "$STORM"
    metric "storm_round_$round" "$(cat "$WORK/storm.json")"
    metric "storm_round_${round}_peak_rss_growth_kb" "$(($(hwm_kb) - before))"
    metric "rss_kb_after_storm_round_$round" "$(rss_kb)"
done

# ---- 4. memory afterwards --------------------------------------------------------
sleep "$SETTLE"
metric rss_kb_after "$(rss_kb)"
metric loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"
cat "$WORK/metrics.txt"
