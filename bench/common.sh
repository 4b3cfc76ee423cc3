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

SERVER_PID="" SERVER_PIDS=()
stop_server() {  # stops every instance start_server started
    local pid
    for pid in "${SERVER_PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null || continue
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && { log "server $pid did not stop on TERM; killing"; kill -KILL "$pid" 2>/dev/null || true; }
        wait "$pid" 2>/dev/null || true
    done
    SERVER_PID="" SERVER_PIDS=() ADDRS=""
}
cleanup() {
    stop_server
    if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}

free_port() { "$PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }

PORT="" URL="" ADDRS=""
start_server() {  # start_server DB LABEL: one more instance on a free loopback port, serving
    # the SQLite file DB (or DB as a database URL). URL names the first instance,
    # ADDRS lists every running one as host:port,host:port.
    PORT=$(free_port)
    local db_url=$1 url="http://127.0.0.1:$PORT" t0 pid
    [[ $db_url == *://* ]] || db_url="sqlite://$1"
    t0=$(now)
    TONGXING_DATABASE_URL="$db_url" "$BIN" serve --listen "127.0.0.1:$PORT" >"$WORK/server-$2.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || { cat "$WORK/server-$2.log" >&2; echo "server exited" >&2; exit 1; }
        curl -fsS -o /dev/null --max-time 2 "$url/readyz" 2>/dev/null && break
        sleep 0.1
    done
    curl -fsS -o /dev/null --max-time 2 "$url/readyz" || { echo "server not ready after 30 s" >&2; exit 1; }
    metric "server_ready_seconds_$2" "$(elapsed "$t0" "$(now)")"
    SERVER_PIDS+=("$pid")
    ADDRS=${ADDRS:+$ADDRS,}127.0.0.1:$PORT
    if [ -z "$SERVER_PID" ]; then SERVER_PID=$pid URL=$url; fi
}
cpu_s() {  # CPU seconds of every running instance together
    local pid stats=()
    for pid in "${SERVER_PIDS[@]}"; do stats+=("/proc/$pid/stat"); done
    awk -v t="$(getconf CLK_TCK)" '{s += $14 + $15} END {printf "%.2f", s / t}' "${stats[@]}"
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status"; }

# A one-server bench's setup: the binary (BIN, or a release build), a
# temporary folder WORK removed on exit unless KEEP=1, the server's PID
# stopped on exit, and the data folder inside WORK.
one_server_setup() {  # one_server_setup NAME
    clean_config
    if [ -n "${BIN:-}" ]; then [ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 1; }; else build_release; fi
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/tongxing-$1.XXXXXX")
    PID=""
    trap 'one_server_stop; if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi' EXIT
    trap 'exit 130' INT TERM
    export TONGXING_DATA_DIR=$WORK/data
}
one_server_stop() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; PID=""; }

# Serves DB (an SQLite file, or a database URL) on 127.0.0.1:PORT as the
# one server of one_server_setup (PID), and waits until it is ready.
serve_on() {  # serve_on PORT DB LOG
    local db_url=$2 url="http://127.0.0.1:$1"
    [[ $db_url == *://* ]] || db_url="sqlite://$2"
    TONGXING_DATABASE_URL="$db_url" "$BIN" serve --listen "127.0.0.1:$1" >"$3" 2>&1 &
    PID=$!
    for _ in $(seq 1 300); do
        kill -0 "$PID" 2>/dev/null || { cat "$3" >&2; echo "server exited" >&2; exit 1; }
        curl -fsS -o /dev/null --max-time 2 "$url/readyz" 2>/dev/null && return
        sleep 0.1
    done
    echo "server not ready after 30 s" >&2
    exit 1
}
