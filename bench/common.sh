# Shell helpers shared by bench/run.sh and bench/needs.sh (sourced, not run).
# The caller sets HERE, ROOT, PY, KEEP and WORK before using the server helpers.

log() { echo "[bench $(date +%T)] $*" >&2; }
now() { date +%s.%N; }
elapsed() { "$PY" -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }

# A clean configuration: nothing from the caller's TONGXING_* or a tongxing.toml.
clean_config() {
    while read -r v; do unset "$v"; done < <(compgen -e | grep '^TONGXING_' || true)
}

ensure_wrk() {  # wrk from Debian's packages, installed if missing (as root)
    command -v wrk >/dev/null && return
    [ "$(id -u)" = 0 ] || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
    log "installing wrk (Debian package)"
    apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
}

build_release() {
    log "building release binary"
    (cd "$ROOT" && cargo build --release -p tongxing --quiet)
    BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/tongxing
    [ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }
}

METRICS=""
metric() { echo "$1 $2" >>"$METRICS"; }
start_metrics() {  # start_metrics FILE: the run's facts, one "key value" a line
    METRICS=$1
    : >"$METRICS"
    metric machine_cores "$(nproc)"
    metric date "$(date -u +%Y-%m-%dT%H:%MZ)"
    metric loadavg_start "$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"
    metric commit "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- crates 2>/dev/null || echo +dirty)"
}

SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$SERVER_PID" 2>/dev/null && { log "server $SERVER_PID did not stop on TERM; killing"; kill -KILL "$SERVER_PID" 2>/dev/null || true; }
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}
cleanup() {
    stop_server
    if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}

free_port() { "$PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }

PORT="" URL=""
start_server() {  # start_server DB LABEL: serves the SQLite file DB on a free loopback port
    PORT=$(free_port)
    URL="http://127.0.0.1:$PORT"
    local t0
    t0=$(now)
    TONGXING_DATABASE_URL="sqlite://$1" "$BIN" serve --listen "127.0.0.1:$PORT" >"$WORK/server-$2.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 300); do
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server-$2.log" >&2; echo "server exited" >&2; exit 1; }
        curl -fsS -o /dev/null --max-time 2 "$URL/readyz" 2>/dev/null && break
        sleep 0.1
    done
    curl -fsS -o /dev/null --max-time 2 "$URL/readyz" || { echo "server not ready after 30 s" >&2; exit 1; }
    metric "server_ready_seconds_$2" "$(elapsed "$t0" "$(now)")"
}
cpu_s() { awk -v t="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / t}' "/proc/$SERVER_PID/stat"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status"; }
