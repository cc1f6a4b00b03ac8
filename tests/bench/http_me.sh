#!/usr/bin/env bash
# Requests per second of an authenticated GET /api/v1/me (Bearer session token, keep-alive) on
# a tenant host, beside the trivial GET /livez of the same relaisd in the same run, with wrk.
# Target (issue 4): at least 10,000 requests/s on SQLite, and at least 25 % of the trivial
# route's rate.
#
# Usage: tests/bench/http_me.sh [BUILD_DIR]   (default build/release; nothing is built)
# Environment: BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_DURATION (15s),
#              BENCH_WARMUP (5s).
set -eu
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh

threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-32}
duration=${BENCH_DURATION:-15s}
warmup=${BENCH_WARMUP:-5s}

bench_init "${1:-build/release}"
bench_need wrk python3

bench_tenant pro

# shellcheck disable=SC2119 # no extra relaisd options
bench_start_relaisd
base=http://127.0.0.1:$RELAISD_PORT
token=$(bench_login)

echo "== http_me: wrk -t$threads -c$connections -d$duration (keep-alive), after a $warmup warm-up"
bench_machine
echo "before start: CPU idle $(bench_idle_pct) % over 1 s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "GET /api/v1/me -> $(curl -fsS -H 'Host: bench.localhost' -H "Authorization: Bearer $token" "$base/api/v1/me" | head -c 120)..."

# run NAME PATH [wrk header args...]: warm-up, then the measured run; sets RPS.
run() {
    local name=$1 path=$2 out=$BENCH_SCRATCH/wrk-$1.txt
    shift 2
    bench_wrk "$base$path" "$out.warmup" "$warmup" "$@"
    bench_wrk "$base$path" "$out" "$duration" "$@"
    RPS=$(awk '/^Requests\/sec:/ {print $2}' "$out")
    [ -n "$RPS" ] || { cat "$out" >&2; bench_die "no Requests/sec in wrk's output"; }
    printf '%-8s %10.0f req/s  (latency p50 %s p99 %s)%s\n' "$name" "$RPS" \
        "$(awk '$1 == "50%" {print $2}' "$out")" "$(awk '$1 == "99%" {print $2}' "$out")" \
        "$(grep -E 'Non-2xx|Socket errors' "$out" | tr -s ' ' | tr '\n' ';' | sed 's/^/  /' || true)"
}

run me /api/v1/me -H 'Host: bench.localhost' -H "Authorization: Bearer $token"
me_rps=$RPS
run livez /livez
livez_rps=$RPS

awk -v m="$me_rps" -v l="$livez_rps" 'BEGIN {
    pct = 100 * m / l
    printf "ratio    me/livez = %.1f %%; targets >= 10000 req/s: %s, >= 25 %%: %s\n", pct,
           m >= 10000 ? "MET" : "NOT MET", pct >= 25 ? "MET" : "NOT MET"
}'
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
