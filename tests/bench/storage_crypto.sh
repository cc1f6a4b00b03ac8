#!/usr/bin/env bash
# Encrypt-and-write and read-and-decrypt through the whole storage stack (bench_storage), for
# several segment sizes, beside `openssl speed -evp aes-256-gcm` in the same run.
# Usage: tests/bench/storage_crypto.sh [BUILD_DIR]   (default build/release; nothing is built)
# Environment: BENCH_STORAGE_MIB (1024), BENCH_STORAGE_DIRS (/dev/shm and a folder on the
# data disk), BENCH_SEGMENTS ("65536 262144 1048576 4194304").
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build/release}
bin="$build/bin/bench_storage"
[ -x "$bin" ] || { echo "bench: $bin not found; run make release first" >&2; exit 1; }
command -v openssl >/dev/null || { echo "bench: openssl not found" >&2; exit 1; }
mib=${BENCH_STORAGE_MIB:-1024}
segments=${BENCH_SEGMENTS:-65536 262144 1048576 4194304}
dirs=${BENCH_STORAGE_DIRS:-/dev/shm/relais-bench-storage $PWD/build/bench-storage}
trap 'for d in $dirs; do rm -rf "$d"; done' EXIT INT TERM

echo "== storage_crypto: ${mib} MiB per segment size, one process, page cache warm"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), kernel $(uname -r)"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
speed=$(openssl speed -evp aes-256-gcm -bytes 1048576 -seconds 3 2>/dev/null | awk '/^AES-256-GCM/ {print $2}')
speed_gbps=$(awk -v k="${speed%k}" 'BEGIN { printf "%.2f", k * 1000 / 1e9 }')
echo "openssl speed -evp aes-256-gcm -bytes 1048576: ${speed_gbps} GB/s (one core)"
for dir in $dirs; do
    echo "-- blobs in $dir"
    sync  # no writeback left over from earlier runs to throttle this one
    # shellcheck disable=SC2086
    "$bin" "$dir" "$mib" $segments | while read -r line; do
        write=$(echo "$line" | sed 's/.*write_gbps=\([0-9.]*\).*/\1/')
        read_=$(echo "$line" | sed 's/.*read_gbps=\([0-9.]*\).*/\1/')
        echo "$line  write/openssl=$(awk -v a="$write" -v b="$speed_gbps" 'BEGIN{printf "%.2f", a/b}')  read/openssl=$(awk -v a="$read_" -v b="$speed_gbps" 'BEGIN{printf "%.2f", a/b}')"
    done
done
echo "targets: write >= 1.5 GB/s, read >= 2 GB/s"
