#!/bin/sh
# `make test` after the build: start the services, run every CTest test, stop the services
# whatever happened, exit non-zero on any failure.
set -u
build=$1
here=$(cd "$(dirname "$0")/.." && pwd)
scratch="$here/build/test-services"

stop() { "$here/scripts/test-services.sh" stop "$scratch"; }
trap stop EXIT
trap 'exit 130' INT TERM

# The tus clients the integration tests spawn (tests/clients) and Playwright (tests/browser);
# before the services, so a failed install stops nothing half-started.
"$here/scripts/npm-install.sh" "$here/tests/clients" || exit 1
"$here/scripts/npm-install.sh" "$here/tests/browser" || exit 1
"$here/scripts/test-services.sh" start "$scratch" || exit 1
. "$scratch/env"
ctest --test-dir "$build" --output-on-failure --timeout 900 -j "$(nproc)"
