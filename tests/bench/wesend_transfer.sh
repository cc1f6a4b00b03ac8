#!/usr/bin/env bash
# WeSend transfer throughput, memory and concurrency, each beside its comparison in the same run:
#
#   upload    one tus PATCH of BENCH_UPLOAD_BYTES (2 GiB) with curl on loopback, encrypted and
#             durable, against dd writing the same bytes to the same disk with conv=fdatasync,
#             and against @tus/server with its file store (tests/bench/tus_node_server.mjs).
#             Targets (issue 5): >= 80 % of dd, >= 1.5 x @tus/server.
#   download  GET of the same file through its transfer link, against nginx serving the dd copy.
#             Target: >= 1 GB/s; the ratio to nginx is reported.
#   memory    relaisd's peak resident memory (VmHWM) over a BENCH_BIG_BYTES (10 GiB) upload,
#             streamed from /dev/zero, and its download. Target: < 100 MiB.
#   many      BENCH_UPLOADS (200) concurrent uploads of BENCH_SMALL_BYTES (10 MiB), then
#             BENCH_DOWNLOADS (500) concurrent downloads of one 10 MiB file. Target: no error.
#
# GB = 10^9 bytes. Each measured transfer is repeated BENCH_REPS (3) times, the servers
# alternating; medians are reported.
#
# Usage: tests/bench/wesend_transfer.sh [BUILD_DIR]   (default build/release; nothing is built)
# Needs: curl, nginx, node (and tests/clients' packages: scripts/npm-install.sh tests/clients),
#        python3, openssl, xargs.
set -eu
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh

upload_bytes=${BENCH_UPLOAD_BYTES:-2147483648}
big_bytes=${BENCH_BIG_BYTES:-10737418240}
small_bytes=${BENCH_SMALL_BYTES:-10485760}
uploads=${BENCH_UPLOADS:-200}
downloads=${BENCH_DOWNLOADS:-500}
reps=${BENCH_REPS:-3}
host='Host: bench.localhost'

bench_init "${1:-build/release}"
bench_need node python3 openssl xargs dd
BENCH_PLUGINS=$BENCH_BUILD/plugins
[ -f "$BENCH_PLUGINS/wesend.so" ] || bench_die "$BENCH_PLUGINS/wesend.so not found; build it first (make release)"
[ -d tests/clients/node_modules/@tus/server ] || bench_die "run scripts/npm-install.sh tests/clients first"

# The source file on /dev/shm (when there is one), so that reading it costs the client little.
shm=/dev/shm
[ -d "$shm" ] && [ -w "$shm" ] || shm=$BENCH_SCRATCH
BENCH_EXTRA_DIR=$(mktemp -d "$shm/relais-bench.XXXXXX")
src=$BENCH_EXTRA_DIR/source.bin
openssl rand -out "$src" "$upload_bytes" 2>/dev/null || head -c "$upload_bytes" /dev/urandom >"$src"
small=$BENCH_EXTRA_DIR/small.bin
head -c "$small_bytes" "$src" >"$small"

bench_tenant entreprise
# The defaults unless BENCH_HTTP_THREADS / BENCH_HTTP_QUEUE say otherwise.
bench_start_relaisd --set migrations.dir=migrations --set "http.threads=${BENCH_HTTP_THREADS:-32}" \
    --set "http.queue=${BENCH_HTTP_QUEUE:-1024}"
base=http://127.0.0.1:$RELAISD_PORT
token=$(bench_login)
auth="Authorization: Bearer $token"

# The comparison servers: @tus/server and nginx (serving the dd copy as /big.bin).
tus_port=$(bench_free_port)
mkdir -p "$BENCH_SCRATCH/tus-store"
node tests/bench/tus_node_server.mjs --dir "$BENCH_SCRATCH/tus-store" --port "$tus_port" \
    >"$BENCH_SCRATCH/tus.log" 2>&1 </dev/null &
tus_pid=$!
for _ in $(seq 1 100); do grep -q '^ready' "$BENCH_SCRATCH/tus.log" && break; sleep 0.1; done
grep -q '^ready' "$BENCH_SCRATCH/tus.log" || { cat "$BENCH_SCRATCH/tus.log" >&2; bench_die "@tus/server did not start"; }
bench_start_nginx
mkdir -p "$BENCH_SCRATCH/www/files"
# nginx's workers run as an unprivileged user: they must be able to read the served copy.
chmod o+x "$BENCH_SCRATCH"
chmod o+rx "$BENCH_SCRATCH/www" "$BENCH_SCRATCH/www/files"
sed -i "s|location / {|location /files/ { root $BENCH_SCRATCH/www; sendfile on; }\n        location / {|" \
    "$BENCH_SCRATCH/nginx/nginx.conf"
nginx -c "$BENCH_SCRATCH/nginx/nginx.conf" -p "$BENCH_SCRATCH/nginx/" -s reload
sleep 1
BENCH_NGINX_WORKERS=$(pgrep -P "$BENCH_NGINX_PID" | tr '\n' ' ')

echo "== wesend_transfer: upload $upload_bytes B x $reps, download, memory over $big_bytes B, $uploads uploads and $downloads downloads at once"
bench_machine
echo "before start: CPU idle $(bench_idle_pct) % over 1 s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "disk of the data folders: $(df -h "$BENCH_SCRATCH" | awk 'NR == 2 {print $1 " (" $2 ")"}')"

# post_transfer UPLOAD_ID: creates a transfer of one upload; prints "<token> <file id>".
post_transfer() {
    local out
    out=$(curl -sS -w '\n%{http_code}' -H "$host" -H "$auth" -H 'Content-Type: application/json' \
        -d "{\"uploads\": [\"$1\"]}" "$base/api/v1/transfers")
    [ "$(printf '%s' "$out" | tail -1)" = 201 ] || bench_die "transfer creation: $out"
    printf '%s' "$out" | sed '$d' |
        python3 -c 'import json, sys; t = json.load(sys.stdin); print(t["link"].rsplit("/", 1)[1] + " " + t["files"][0]["id"])'
}

gbps() { awk -v b="$1" -v s="$2" 'BEGIN {printf "%.3f", b / s / 1e9}'; }

# tus_upload BASE_URL FILE|- LENGTH [headers...]: creates an upload and sends it in one PATCH
# (FILE - reads stdin, chunked); sets UPLOAD_URL and UPLOAD_SECONDS (the PATCH's time).
tus_upload() {
    local url=$1 file=$2 length=$3 location
    shift 3
    location=$(curl -fsS -o /dev/null -D - -X POST "$@" -H 'Tus-Resumable: 1.0.0' \
        -H "Upload-Length: $length" -H "Upload-Metadata: filename $(printf 'bench.bin' | base64)" "$url" </dev/null |
        awk 'tolower($1) == "location:" {print $2}' | tr -d '\r')
    [ -n "$location" ] || bench_die "no Location from $url"
    case "$location" in
        http*) UPLOAD_URL=$location ;;
        *) UPLOAD_URL=$(printf '%s' "$url" | sed -E 's|^(https?://[^/]+).*|\1|')$location ;;
    esac
    UPLOAD_SECONDS=$(curl -fsS -o /dev/null -w '%{time_total}' -X PATCH "$@" -H 'Tus-Resumable: 1.0.0' \
        -H 'Upload-Offset: 0' -H 'Content-Type: application/offset+octet-stream' -T "$file" "$UPLOAD_URL")
}

# seconds COMMAND...: runs it, prints its wall time.
seconds() {
    local a b
    a=$(date +%s.%N)
    "$@"
    b=$(date +%s.%N)
    awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", b - a}'
}

relaisd_s=()
tus_s=()
dd_s=()
last_upload=
for rep in $(seq 1 "$reps"); do
    sync
    dd_s+=("$(seconds dd if="$src" of="$BENCH_SCRATCH/www/files-dd.bin" bs=4M conv=fdatasync status=none)")
    mv "$BENCH_SCRATCH/www/files-dd.bin" "$BENCH_SCRATCH/www/files/big.bin"
    chmod o+r "$BENCH_SCRATCH/www/files/big.bin"
    sync
    tus_upload "$base/api/v1/uploads" "$src" "$upload_bytes" -H "$host" -H "$auth"
    relaisd_s+=("$UPLOAD_SECONDS")
    last_upload=${UPLOAD_URL##*/}
    sync
    tus_upload "http://127.0.0.1:$tus_port/files" "$src" "$upload_bytes"
    tus_s+=("$UPLOAD_SECONDS")
    rm -f "$BENCH_SCRATCH/tus-store"/*
    printf 'rep %d: dd %s s, relaisd %s s, @tus/server %s s\n' "$rep" "${dd_s[-1]}" "${relaisd_s[-1]}" "${tus_s[-1]}"
done
med() { printf '%s\n' "$@" | bench_median; }
dd_m=$(med "${dd_s[@]}")
rel_m=$(med "${relaisd_s[@]}")
tus_m=$(med "${tus_s[@]}")
echo "upload   relaisd $(gbps "$upload_bytes" "$rel_m") GB/s, dd fdatasync $(gbps "$upload_bytes" "$dd_m") GB/s, @tus/server $(gbps "$upload_bytes" "$tus_m") GB/s (medians)"
awk -v r="$rel_m" -v d="$dd_m" -v t="$tus_m" 'BEGIN {
    printf "         relaisd / dd = %.0f %% (target >= 80 %%: %s); relaisd / @tus/server = %.2f x (target >= 1.5: %s)\n",
           100 * d / r, d / r >= 0.8 ? "MET" : "NOT MET", t / r, t / r >= 1.5 ? "MET" : "NOT MET"
}'

# Download: the last upload, through a transfer link, against nginx serving the dd copy.
link=$(post_transfer "$last_upload")
dl_url="$base/api/v1/public/transfers/${link% *}/files/${link#* }"
rel_d=()
ngx_d=()
for rep in $(seq 1 "$reps"); do
    rel_d+=("$(curl -fsS -o /dev/null -w '%{time_total}' -H "$host" "$dl_url")")
    ngx_d+=("$(curl -fsS -o /dev/null -w '%{time_total}' "http://127.0.0.1:$NGINX_PORT/files/big.bin")")
    printf 'rep %d: relaisd %s s, nginx %s s\n' "$rep" "${rel_d[-1]}" "${ngx_d[-1]}"
done
rd=$(med "${rel_d[@]}")
nd=$(med "${ngx_d[@]}")
echo "download relaisd $(gbps "$upload_bytes" "$rd") GB/s, nginx $(gbps "$upload_bytes" "$nd") GB/s (medians)"
awk -v r="$rd" -v n="$nd" -v b="$upload_bytes" 'BEGIN {
    printf "         relaisd / nginx = %.0f %%; target >= 1 GB/s: %s\n", 100 * n / r, b / r / 1e9 >= 1 ? "MET" : "NOT MET"
}'
rm -f "$BENCH_SCRATCH/www/files/big.bin"

# Memory over a big upload (streamed from /dev/zero, chunked) and its download.
echo "memory   relaisd VmHWM before the big transfer: $(bench_vmhwm_kb "$BENCH_RELAISD_PID") kB"
tus_upload "$base/api/v1/uploads" - "$big_bytes" -H "$host" -H "$auth" < <(head -c "$big_bytes" /dev/zero)
big_s=$UPLOAD_SECONDS
big_id=${UPLOAD_URL##*/}
link=$(post_transfer "$big_id")
big_d=$(curl -fsS -o /dev/null -w '%{time_total}' -H "$host" "$base/api/v1/public/transfers/${link% *}/files/${link#* }")
hwm=$(bench_vmhwm_kb "$BENCH_RELAISD_PID")
echo "         $big_bytes B up in $big_s s ($(gbps "$big_bytes" "$big_s") GB/s), down in $big_d s ($(gbps "$big_bytes" "$big_d") GB/s)"
awk -v k="$hwm" 'BEGIN {printf "         relaisd VmHWM after: %d kB = %.1f MiB (target < 100 MiB: %s)\n", k, k / 1024, k < 102400 ? "MET" : "NOT MET"}'

# Many at once.
export base host auth small small_bytes
one_upload() {
    local location
    location=$(curl -fsS -o /dev/null -D - -X POST -H "$host" -H "$auth" -H 'Tus-Resumable: 1.0.0' \
        -H "Upload-Length: $small_bytes" "$base/api/v1/uploads" | awk 'tolower($1) == "location:" {print $2}' | tr -d '\r') || return 1
    curl -fsS -o /dev/null -w '%{http_code}\n' -X PATCH -H "$host" -H "$auth" -H 'Tus-Resumable: 1.0.0' \
        -H 'Upload-Offset: 0' -H 'Content-Type: application/offset+octet-stream' -T "$small" "$base$location"
}
export -f one_upload
start=$(date +%s.%N)
ok=$(seq 1 "$uploads" | xargs -P "$uploads" -I{} bash -c one_upload 2>/dev/null | grep -c '^204$' || true)
end=$(date +%s.%N)
echo "many     $uploads concurrent uploads of $small_bytes B: $ok answered 204, $((uploads - ok)) errors, in $(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b - a}') s"
tus_upload "$base/api/v1/uploads" "$small" "$small_bytes" -H "$host" -H "$auth"
small_id=${UPLOAD_URL##*/}
link=$(post_transfer "$small_id")
export small_url="$base/api/v1/public/transfers/${link% *}/files/${link#* }"
start=$(date +%s.%N)
ok=$(seq 1 "$downloads" | xargs -P "$downloads" -I{} sh -c 'curl -fsS -o /dev/null -w "%{http_code} %{size_download}\n" -H "$host" "$small_url"' 2>/dev/null |
    awk -v n="$small_bytes" '$1 == 200 && $2 == n' | wc -l)
end=$(date +%s.%N)
echo "         $downloads concurrent downloads of $small_bytes B: $ok complete, $((downloads - ok)) errors, in $(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b - a}') s"
echo "         relaisd VmHWM at the end: $(bench_vmhwm_kb "$BENCH_RELAISD_PID") kB"

bench_stop "$tus_pid"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
