#!/usr/bin/env bash
# Request-body streaming throughput: curl POSTs a 1 GiB body of zeros over loopback to
# relaisd's POST /fixture/discard (the fixture plugin reads it in 1 MiB blocks and answers
# {"bytes":N}) and, in the same run, to a private nginx location that discards the body.
# Each measured upload is repeated BENCH_REPS times per server, relaisd and nginx alternating.
# Also reports relaisd's peak RSS (VmHWM), to show the body is never held in memory.
# Target (issue): relaisd reads a body at 2 GB/s or more on loopback (GB = 10^9 bytes).
#
# Body sources:
#   pipe  head -c SIZE /dev/zero | curl -T -   (streamed, no file; the client costs a process
#         and a copy more)
#   file  curl -T FILE, FILE a sparse file of SIZE bytes (on /dev/shm when there is one), so
#         no memory or disk is used for it and reading it is cheap for the client
# Body framings: length (Content-Length) and chunked (Transfer-Encoding: chunked).
#
# Usage: tests/bench/http_body_stream.sh [BUILD_DIR]   (default build/release; nothing is built)
# Environment: BENCH_BODY_BYTES (1073741824), BENCH_REPS (3), BENCH_BODY_SOURCES ("pipe file"),
#              BENCH_BODY_MODES ("length chunked").
set -eu
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh

bytes=${BENCH_BODY_BYTES:-1073741824}
reps=${BENCH_REPS:-3}
sources=${BENCH_BODY_SOURCES:-pipe file}
modes=${BENCH_BODY_MODES:-length chunked}
target_gbps=2
warmup_bytes=67108864

bench_init "${1:-build/release}"
bench_need head awk truncate

# shellcheck disable=SC2119 # no extra relaisd options
bench_start_relaisd
bench_start_nginx

relaisd_url=http://127.0.0.1:$RELAISD_PORT/fixture/discard
nginx_url=http://127.0.0.1:$NGINX_PORT/discard

# Sparse body files (holes read as zeros), in the scratch folder or on /dev/shm.
body_dir=$BENCH_SCRATCH
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    body_dir=$(mktemp -d /dev/shm/relais-bench.XXXXXX)
    BENCH_EXTRA_DIR=$body_dir
fi
truncate -s "$bytes" "$body_dir/body"
truncate -s "$warmup_bytes" "$body_dir/warmup"

echo "== http_body_stream: $bytes-byte body; sources: $sources; framings: $modes; $reps runs per server and case"
bench_machine
echo "before start: CPU idle $(bench_idle_pct) % over 1 s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "relaisd: POST $relaisd_url    nginx: POST $nginx_url"

# upload SOURCE MODE URL SIZE OUT: one POST of SIZE zero bytes; curl's figures go to OUT, the
# response body to OUT.body.
upload() {
    local source=$1 mode=$2 url=$3 size=$4 out=$5 file
    # 'Expect:' removes curl's Expect: 100-continue, so no server is penalised by a wait.
    set -- -sS --fail-with-body -X POST -H 'Expect:' -H 'Content-Type: application/octet-stream' \
        -o "$out.body" -w '%{http_code} %{size_upload} %{time_total}\n'
    if [ "$source" = pipe ]; then
        if [ "$mode" = length ]; then
            set -- "$@" -H 'Transfer-Encoding:' -H "Content-Length: $size"
        fi
        # curl sends a body of unknown size chunked by default.
        head -c "$size" /dev/zero | curl "$@" -T - "$url" >"$out"
    else
        file=$body_dir/body
        [ "$size" = "$bytes" ] || file=$body_dir/warmup
        if [ "$mode" = chunked ]; then
            set -- "$@" -H 'Transfer-Encoding: chunked'
        fi
        # curl sends a file with its size as Content-Length by default.
        curl "$@" -T "$file" "$url" >"$out"
    fi
}

# run_upload NAME SOURCE MODE URL SIZE: runs upload in the background (so the cleanup trap can
# stop it), checks it, and sets GBPS and SECS.
run_upload() {
    local name=$1 source=$2 mode=$3 url=$4 size=$5 code sent
    local out=$BENCH_SCRATCH/upload-$name-$source-$mode
    upload "$source" "$mode" "$url" "$size" "$out" &
    BENCH_CLIENT_PID=$!
    wait "$BENCH_CLIENT_PID" || {
        cat "$out" "$out.body" >&2 2>/dev/null || true
        bench_die "$name: upload failed"
    }
    BENCH_CLIENT_PID=
    read -r code sent SECS <"$out"
    [ "$code" = 200 ] || bench_die "$name: HTTP $code"
    # curl's size_upload counts what it wrote to the socket; with chunked encoding that
    # includes the chunk framing, hence >=.
    [ "$sent" -ge "$size" ] || bench_die "$name: curl sent $sent bytes, not $size"
    if [ "$name" = relaisd ]; then
        grep -q "\"bytes\":${size}[,}]" "$out.body" ||
            bench_die "relaisd did not report $size bytes read: $(cat "$out.body")"
    fi
    GBPS=$(awk -v b="$size" -v t="$SECS" 'BEGIN {printf "%.2f", b / t / 1e9}')
}

# Warm-up: 64 MiB to each server, per case.
for source in $sources; do
    for mode in $modes; do
        run_upload relaisd "$source" "$mode" "$relaisd_url" "$warmup_bytes"
        run_upload nginx "$source" "$mode" "$nginx_url" "$warmup_bytes"
    done
done
relaisd_hwm_before=$(bench_vmhwm_kb "$BENCH_RELAISD_PID")

hz=$(getconf CLK_TCK)
gib=$(awk -v b="$bytes" -v r="$reps" 'BEGIN {print b * r / 1073741824}')
summary=
for source in $sources; do
    for mode in $modes; do
        case=$source/$mode
        r_all='' n_all=''
        r_cpu=0 n_cpu=0
        for i in $(seq 1 "$reps"); do
            c0=$(bench_cpu_ticks "$BENCH_RELAISD_PID")
            run_upload relaisd "$source" "$mode" "$relaisd_url" "$bytes"
            c1=$(bench_cpu_ticks "$BENCH_RELAISD_PID")
            r_cpu=$((r_cpu + c1 - c0))
            r_all="$r_all $GBPS"
            printf '%-8s %-14s run %d: %s GB/s (%s s)\n' relaisd "$case" "$i" "$GBPS" "$SECS"
            # shellcheck disable=SC2086 # the worker PIDs are a list
            c0=$(bench_cpu_ticks $BENCH_NGINX_WORKERS)
            run_upload nginx "$source" "$mode" "$nginx_url" "$bytes"
            # shellcheck disable=SC2086
            c1=$(bench_cpu_ticks $BENCH_NGINX_WORKERS)
            n_cpu=$((n_cpu + c1 - c0))
            n_all="$n_all $GBPS"
            printf '%-8s %-14s run %d: %s GB/s (%s s)\n' nginx "$case" "$i" "$GBPS" "$SECS"
        done
        # shellcheck disable=SC2086 # lists of figures
        r_med=$(printf '%s\n' $r_all | bench_median)
        # shellcheck disable=SC2086
        n_med=$(printf '%s\n' $n_all | bench_median)
        summary=$summary$(awk -v c="$case" -v r="$r_med" -v n="$n_med" -v rc="$r_cpu" -v nc="$n_cpu" \
            -v hz="$hz" -v g="$gib" -v t="$target_gbps" 'BEGIN {
            printf "%-14s median relaisd %.2f GB/s, nginx %.2f GB/s (relaisd/nginx %.2f); server CPU per GiB: relaisd %.2f s, nginx %.2f s; relaisd >= %d GB/s: %s\n",
                c, r, n, r / n, rc / hz / g, nc / hz / g, t, r >= t ? "MET" : "NOT MET"
        }')$'\n'
    done
done

echo "-- summary (medians of $reps runs)"
printf '%s' "$summary"
relaisd_hwm_after=$(bench_vmhwm_kb "$BENCH_RELAISD_PID")
nginx_hwm=0
for w in $BENCH_NGINX_WORKERS; do
    h=$(bench_vmhwm_kb "$w")
    [ "$h" -le "$nginx_hwm" ] || nginx_hwm=$h
done
echo "relaisd peak RSS (VmHWM): $relaisd_hwm_before kB after start-up and warm-up, $relaisd_hwm_after kB after all uploads"
echo "nginx worker peak RSS (VmHWM, largest worker): $nginx_hwm kB"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
