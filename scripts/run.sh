#!/bin/sh
# `make run` after the build: start relaisd in the foreground on the embedded default.
set -eu
build=$1
config=$2
cd "$(dirname "$0")/.."
exec "$build/bin/relaisd" --config "$config"
