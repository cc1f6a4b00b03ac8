#!/usr/bin/env bash
# Requests per second on a trivial route: relaisd's GET /livez against a private nginx that
# answers the same JSON from its config, measured with wrk (keep-alive) in the same run.
# Target (issue): relaisd serves at least 40 % of what nginx serves.
#
# Usage: tests/bench/http_trivial.sh [BUILD_DIR]   (default build/release; nothing is built)
# Environment: BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_DURATION (15s),
#              BENCH_WARMUP (5s).
set -eu
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh

threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-32}
duration=${BENCH_DURATION:-15s}
warmup=${BENCH_WARMUP:-5s}
target_pct=40

bench_init "${1:-build/release}"
bench_need wrk

# shellcheck disable=SC2119 # no extra relaisd options
bench_start_relaisd
bench_start_nginx

relaisd_url=http://127.0.0.1:$RELAISD_PORT/livez
nginx_url=http://127.0.0.1:$NGINX_PORT/

echo "== http_trivial: wrk -t$threads -c$connections -d$duration (keep-alive), after a $warmup warm-up"
bench_machine
echo "before start: CPU idle $(bench_idle_pct) % over 1 s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "relaisd: $relaisd_url -> $(curl -fsS "$relaisd_url")"
echo "nginx:   $nginx_url -> $(curl -fsS "$nginx_url")"

# measure NAME URL PID...: warm-up, then the measured run; sets RPS.
measure() {
    local name=$1 url=$2
    shift 2
    local out=$BENCH_SCRATCH/wrk-$name.txt before after total p50 p99 errors cpu_s us_per_req
    bench_wrk "$url" "$out.warmup" "$warmup"
    before=$(bench_cpu_ticks "$@")
    bench_wrk "$url" "$out" "$duration"
    after=$(bench_cpu_ticks "$@")
    RPS=$(awk '/^Requests\/sec:/ {print $2}' "$out")
    [ -n "$RPS" ] || { cat "$out" >&2; bench_die "no Requests/sec in wrk's output"; }
    total=$(awk '/requests in/ {print $1}' "$out")
    p50=$(awk '$1 == "50%" {print $2}' "$out")
    p99=$(awk '$1 == "99%" {print $2}' "$out")
    errors=$(grep -E 'Non-2xx|Socket errors' "$out" | tr -s ' ' | tr '\n' ';' || true)
    cpu_s=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz}')
    us_per_req=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$total" \
        'BEGIN {printf "%.1f", n ? t / hz / n * 1e6 : 0}')
    printf '%-8s %10.0f req/s  (%s requests, latency p50 %s p99 %s, server CPU %s s = %s us/request)%s\n' \
        "$name" "$RPS" "$total" "$p50" "$p99" "$cpu_s" "$us_per_req" "${errors:+  $errors}"
}

measure relaisd "$relaisd_url" "$BENCH_RELAISD_PID"
relaisd_rps=$RPS
# shellcheck disable=SC2086 # the worker PIDs are a list
measure nginx "$nginx_url" $BENCH_NGINX_WORKERS
nginx_rps=$RPS

awk -v r="$relaisd_rps" -v n="$nginx_rps" -v t="$target_pct" 'BEGIN {
    pct = 100 * r / n
    printf "ratio    relaisd/nginx = %.2f (%.1f %%); target >= %d %%: %s\n", r / n, pct, t, pct >= t ? "MET" : "NOT MET"
}'
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
