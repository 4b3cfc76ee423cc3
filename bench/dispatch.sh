#!/usr/bin/env bash
# Emergency dispatch end to end (issue #5): build release, load the demo region
# with VOLUNTEERS volunteers into a fresh SQLite file, configure an SMS gateway
# (a loopback sink that answers 200) so every notified volunteer gets an SMS row
# in the outbox, start the server, then time CALLS POSTs of a NEEDED-person
# call (each on a different day, so earlier calls make nobody busy) with
# GET /healthz in the same run as the baseline (bench/dispatch_post.py). The
# outbox rows are written in the call's own transaction, so they are there
# when the POST returns; the script counts them afterwards.
# The first POST builds the ranking's in-memory pool (a full read of the
# volunteers) and is reported apart from the warm ones.
#
# Only 127.0.0.1 is contacted; the run is bounded (timeouts); the server and
# the sink are stopped and the temporary folder removed on exit (KEEP=1 keeps it).
# Knobs: VOLUNTEERS=100000 CALLS=10 NEEDED=60 AGED=1 RESULTS_DIR=bench/results KEEP=0
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
VOLUNTEERS=${VOLUNTEERS:-100000}
CALLS=${CALLS:-10}
NEEDED=${NEEDED:-60}
RESULTS_DIR=${RESULTS_DIR:-$HERE/results}
KEEP=${KEEP:-0}
PY=${PYTHON:-python3}

# shellcheck source=bench/common.sh
. "$HERE/common.sh"
clean_config
build_release

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tongxing-dispatch-bench.XXXXXX")
SINK_PID=""
stop_sink() { [ -z "$SINK_PID" ] || { kill "$SINK_PID" 2>/dev/null || true; wait "$SINK_PID" 2>/dev/null || true; }; }
trap 'stop_sink; cleanup' EXIT
trap 'exit 130' INT TERM
cd "$WORK"
export TONGXING_DATA_DIR=$WORK/data
DB=$WORK/dispatch.db
start_metrics "$WORK/metrics.txt"
metric volunteers "$VOLUNTEERS"
metric needed "$NEEDED"

log "loading the demo region: $VOLUNTEERS volunteers"
t0=$(now)
TONGXING_DATABASE_URL="sqlite://$DB" timeout 900 "$BIN" demo --volunteers "$VOLUNTEERS" >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; exit 1; }
metric demo_seconds "$(elapsed "$t0" "$(now)")"
"$PY" - "$DB" >>"$METRICS" <<'PYEOF'
import sqlite3, sys
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
one = lambda sql: con.execute(sql).fetchone()[0]
print("volunteers_with_birth_date", one("SELECT count(*) FROM volunteers WHERE birth_date IS NOT NULL"))
print("communities", one("SELECT count(*) FROM communities"))
print("units", one("SELECT count(*) FROM units"))
PYEOF
# The region as it stands a day after its load: the ranking's pool re-reads
# rows changed in the last 5 minutes before each call (see pool_cache.rs), so
# right after a bulk load every call would re-read all 100,000. AGED=0 keeps
# the fresh timestamps to measure exactly that.
if [ "${AGED:-1}" = 1 ]; then
    "$PY" - "$DB" <<'PYEOF'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("UPDATE volunteers SET updated_at = updated_at - 86400000")
con.execute("UPDATE volunteer_call_stats SET updated_at = updated_at - 86400000")
con.commit()
PYEOF
fi
metric aged "${AGED:-1}"

# The SMS gateway: a loopback sink answering 200 to every POST.
SINK_PORT=$(free_port)
"$PY" - "$SINK_PORT" >"$WORK/sink.log" 2>&1 <<'PYEOF' &
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PYEOF
SINK_PID=$!
export TONGXING_SMS_GATEWAY_URL="http://127.0.0.1:$SINK_PORT/sms"
export TONGXING_PUBLIC_URL="http://127.0.0.1"

start_server "$DB" dispatch
log "timing $CALLS calls of $NEEDED people, /healthz as the baseline"
timeout 600 "$PY" "$HERE/dispatch_post.py" --port "$PORT" --db "$DB" --calls "$CALLS" --needed "$NEEDED" >>"$METRICS"
metric server_rss_kb "$(rss_kb)"
metric server_hwm_kb "$(hwm_kb)"
metric loadavg_end "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"
stop_server

mkdir -p "$RESULTS_DIR"
out="$RESULTS_DIR/dispatch-$(date -u +%Y%m%dT%H%M%SZ).txt"
cp "$METRICS" "$out"
cat "$METRICS"
log "results in $out"
