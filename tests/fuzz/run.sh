#!/bin/sh
# make fuzz: runs each libFuzzer target for a bounded time (FUZZ_SECONDS, default 60).
# Corpora grow under BUILD/corpus/<target>; a crash leaves its input in BUILD/artifacts/.
set -eu
build=$1
seconds=${2:-60}
mkdir -p "$build/corpus/piece" "$build/corpus/target" "$build/seeds" "$build/artifacts"
"$build/make_piece_seeds" "$build/seeds"
echo "fuzz_piece_reader for ${seconds}s"
"$build/fuzz_piece_reader" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 \
  -artifact_prefix="$build/artifacts/" "$build/corpus/piece" "$build/seeds"
echo "fuzz_request_target for ${seconds}s"
"$build/fuzz_request_target" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
  -artifact_prefix="$build/artifacts/" "$build/corpus/target"
