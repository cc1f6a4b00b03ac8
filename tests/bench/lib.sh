# shellcheck shell=bash
# Shared helpers of the benchmark scripts; sourced, never run.
#
# The including script sets `set -eu`, cds to the repository root, and calls bench_init.
# Every process started here is recorded by PID and stopped by bench_cleanup, which
# bench_init installs on EXIT, INT and TERM.

BENCH_SCRATCH=
BENCH_RELAISD_PID=
BENCH_NGINX_PID=
BENCH_NGINX_WORKERS=
BENCH_CLIENT_PID=
BENCH_EXTRA_DIR=

bench_die() {
    echo "bench: $*" >&2
    exit 1
}

bench_need() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 ||
            bench_die "'$tool' not found; install it (Debian: apt-get install wrk nginx-light curl, see tests/bench/README.md)"
    done
}

# Stop a process and its descendants, by PID only.
bench_kill_tree() {
    local pid=$1 sig=${2:-TERM} child
    [ -n "$pid" ] || return 0
    for child in $(pgrep -P "$pid" 2>/dev/null || true); do
        bench_kill_tree "$child" "$sig"
    done
    kill "-$sig" "$pid" 2>/dev/null || true
}

# Wait up to $2 seconds for PID $1 to exit (it need not be our child).
bench_wait_exit() {
    local pid=$1 tries=$(($2 * 10))
    while kill -0 "$pid" 2>/dev/null; do
        [ "$tries" -gt 0 ] || return 1
        tries=$((tries - 1))
        sleep 0.1
    done
    return 0
}

bench_stop() {
    local pid=$1
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    if ! bench_wait_exit "$pid" 15; then
        bench_kill_tree "$pid" KILL
    fi
    wait "$pid" 2>/dev/null || true
}

bench_cleanup() {
    local status=$? w dir
    trap - EXIT INT TERM
    if [ -n "$BENCH_CLIENT_PID" ]; then
        bench_kill_tree "$BENCH_CLIENT_PID" TERM
        wait "$BENCH_CLIENT_PID" 2>/dev/null || true
    fi
    bench_stop "$BENCH_RELAISD_PID"
    if [ -n "$BENCH_NGINX_PID" ]; then
        # SIGTERM to the master is nginx's fast shutdown; it stops its workers. Workers left
        # behind by a master that had to be killed are stopped by their recorded PIDs.
        bench_stop "$BENCH_NGINX_PID"
        for w in $BENCH_NGINX_WORKERS; do
            kill -KILL "$w" 2>/dev/null || true
        done
    fi
    for dir in "$BENCH_SCRATCH" "$BENCH_EXTRA_DIR"; do
        if [ -n "$dir" ] && [ -d "$dir" ]; then
            rm -rf "$dir"
        fi
    done
    exit "$status"
}

bench_init() {
    BENCH_BUILD=${1:-build/release}
    BENCH_RELAISD=$BENCH_BUILD/bin/relaisd
    BENCH_PLUGINS=$BENCH_BUILD/tests/fixture-plugins
    [ -x "$BENCH_RELAISD" ] ||
        bench_die "$BENCH_RELAISD not found; build it first (make release)"
    [ -d "$BENCH_PLUGINS" ] ||
        bench_die "$BENCH_PLUGINS not found; build it first (make release)"
    bench_need curl nginx pgrep
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    BENCH_SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/relais-bench.XXXXXX")
}

# A loopback TCP port nobody listens on (a small race with other programs remains).
bench_free_port() {
    local port _
    for _ in $(seq 1 100); do
        port=$(( (RANDOM << 15 | RANDOM) % 30000 + 20000 ))
        if command -v ss >/dev/null 2>&1; then
            [ -z "$(ss -Hltn "sport = :$port" 2>/dev/null)" ] && { echo "$port"; return 0; }
        elif ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    bench_die "no free loopback port found"
}

# Poll URL $1 until it answers 200, while PID $2 lives; $3 is the log to show on failure.
bench_wait_http() {
    local _
    for _ in $(seq 1 300); do
        kill -0 "$2" 2>/dev/null || { cat "$3" >&2; bench_die "server exited during startup"; }
        if curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    cat "$3" >&2
    bench_die "$1 did not answer within 30 s"
}

# bench_tenant PLAN [ROLE]: provisions the tenant "bench" (host bench.localhost) on PLAN with the
# user user@bench.example / $BENCH_PASSWORD (role ROLE, default user) in relaisd's data folder,
# before relaisd starts on it.
BENCH_PASSWORD='Bench-Correct-Horse-42'
bench_tenant() {
    mkdir -p "$BENCH_SCRATCH/relaisd-data"
    cat >"$BENCH_SCRATCH/bench.json" <<JSON
{"reseller": {"name": "Bench", "contact_email": "bench@bench.example"},
 "tenants": [{"slug": "bench", "name": "Bench", "plan": "$1",
              "users": [{"email": "user@bench.example", "name": "Bench", "role": "${2:-user}",
                         "password": "$BENCH_PASSWORD"}]}]}
JSON
    "$BENCH_RELAISD" tenants apply "$BENCH_SCRATCH/bench.json" --config config/relais.properties \
        --set "data.dir=$BENCH_SCRATCH/relaisd-data" --set log.level=warning \
        --set "plugins.dir=$BENCH_PLUGINS" --set migrations.dir=migrations,tests/fixtures/migrations >/dev/null
}

# bench_login: the session token of user@bench.example on the running relaisd.
bench_login() {
    curl -fsS -H 'Host: bench.localhost' -H 'Content-Type: application/json' \
        -d "{\"email\": \"user@bench.example\", \"password\": \"$BENCH_PASSWORD\"}" \
        "http://127.0.0.1:$RELAISD_PORT/api/v1/auth/login" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

# Starts relaisd on a free port; sets RELAISD_PORT and BENCH_RELAISD_PID. Extra arguments, and
# the words of BENCH_RELAISD_ARGS, are passed to relaisd (e.g. --set log.access=true).
bench_start_relaisd() {
    RELAISD_PORT=$(bench_free_port)
    mkdir -p "$BENCH_SCRATCH/relaisd-data"
    "$BENCH_RELAISD" --config config/relais.properties \
        --set "http.port=$RELAISD_PORT" \
        --set "data.dir=$BENCH_SCRATCH/relaisd-data" \
        --set log.access=false --set log.level=warning \
        --set "plugins.dir=$BENCH_PLUGINS" \
        --set migrations.dir=migrations,tests/fixtures/migrations \
        ${BENCH_RELAISD_ARGS:-} "$@" >"$BENCH_SCRATCH/relaisd.log" 2>&1 </dev/null &
    BENCH_RELAISD_PID=$!
    bench_wait_http "http://127.0.0.1:$RELAISD_PORT/livez" "$BENCH_RELAISD_PID" "$BENCH_SCRATCH/relaisd.log"
}

# Starts a private nginx (2 workers, no access log) on a free port; sets NGINX_PORT and
# BENCH_NGINX_PID. Routes: / answers {"status":"ok"}; /discard reads and drops any body.
bench_start_nginx() {
    NGINX_PORT=$(bench_free_port)
    local prefix=$BENCH_SCRATCH/nginx
    mkdir -p "$prefix/logs" "$prefix/tmp"
    cat >"$prefix/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $prefix/tmp/body;
    proxy_temp_path $prefix/tmp/proxy;
    fastcgi_temp_path $prefix/tmp/fastcgi;
    uwsgi_temp_path $prefix/tmp/uwsgi;
    scgi_temp_path $prefix/tmp/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            default_type application/json;
            return 200 '{"status":"ok"}';
        }
        # 'return' makes nginx discard the request body: it answers, then reads the rest of
        # the body off the socket and drops it, so the connection can be kept alive.
        # lingering_time bounds that reading after the answer; raised so 1 GiB fits in it.
        location = /discard {
            client_max_body_size 0;
            lingering_time 600s;
            default_type application/json;
            return 200 '{"status":"ok"}';
        }
    }
}
EOF
    nginx -c "$prefix/nginx.conf" -p "$prefix/" >"$prefix/logs/stderr.log" 2>&1 </dev/null &
    BENCH_NGINX_PID=$!
    bench_wait_http "http://127.0.0.1:$NGINX_PORT/" "$BENCH_NGINX_PID" "$prefix/logs/stderr.log"
    BENCH_NGINX_WORKERS=$(pgrep -P "$BENCH_NGINX_PID" | tr '\n' ' ')
}

# bench_wrk URL OUT DURATION [wrk options...]: runs wrk with the calling script's $threads and
# $connections, keep-alive and latency figures, in the background so that the cleanup trap can
# stop it; its report goes to OUT.
bench_wrk() {
    local url=$1 out=$2 duration=$3
    shift 3
    wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@" "$url" >"$out" 2>&1 &
    BENCH_CLIENT_PID=$!
    wait "$BENCH_CLIENT_PID"
    BENCH_CLIENT_PID=
}

# CPU time (user+system, in clock ticks) used so far by the given PIDs, summed.
bench_cpu_ticks() {
    local total=0 p t
    for p in "$@"; do
        # Fields after the command name: state is field 3 of the whole line, utime 14, stime 15.
        t=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}') || t=0
        total=$((total + ${t:-0}))
    done
    echo "$total"
}

# Peak resident set size (VmHWM, kB) of a PID.
bench_vmhwm_kb() {
    awk '/^VmHWM:/ {print $2}' "/proc/$1/status"
}

bench_median() {
    sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# Share of CPU time idle over one second (anything else running disturbs the figures).
bench_idle_pct() {
    local a b
    a=$(awk '/^cpu / {print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat)
    sleep 1
    b=$(awk '/^cpu / {print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat)
    echo "$a $b" | awk '{printf "%.0f", 100 * ($3 - $1) / ($4 - $2)}'
}

bench_machine() {
    echo "machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), kernel $(uname -r)"
    echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "client and server run on the same machine, over loopback"
}
