#!/bin/sh
# CTest's test_browser: the Playwright suite (tests/browser/specs) in Debian's Chromium, headless,
# against relaisd from BUILD, with the test services of scripts/test-services.sh (TEST_SMTP_PORT,
# TEST_MAILDIR). Screenshots of the main pages go to BUILD/browser-results/screens.
#
#   tests/browser/run.sh BUILD [playwright arguments...]
set -eu
build=$(cd "$1" && pwd)
shift
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -d "$here/node_modules/@playwright/test" ]; then
  echo "test_browser: Playwright is not installed; run scripts/npm-install.sh tests/browser" >&2
  exit 1
fi
# A UTF-8 locale for Chromium and the tools the specs run (unzip lists "été" as "#U00e9t#U00e9"
# under the C locale of a bare root or a service).
export LC_ALL=C.UTF-8
export TEST_RELAIS_BUILD="$build"
export TEST_BROWSER_OUT="$build/browser-results"
export TEST_SCREENSHOTS="$build/browser-results/screens"
rm -rf "$TEST_BROWSER_OUT"
mkdir -p "$TEST_SCREENSHOTS"
cd "$here"
exec node node_modules/@playwright/test/cli.js test "$@"
