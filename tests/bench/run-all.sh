#!/usr/bin/env bash
# Runs every HTTP benchmark against one build (`make bench` calls it with build/release).
# Usage: tests/bench/run-all.sh [BUILD_DIR]   (default build/release; nothing is built)
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build/release}
tests/bench/http_trivial.sh "$build"
echo
tests/bench/http_body_stream.sh "$build"
echo
tests/bench/http_me.sh "$build"
echo
tests/bench/storage_crypto.sh "$build"
echo
tests/bench/wesend_transfer.sh "$build"
echo
tests/bench/wesend_stats.sh "$build"
