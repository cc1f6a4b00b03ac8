#!/bin/sh
# Installs the Node.js packages of DIR (its package-lock.json, exactly) when they are missing or
# older than the lock file. Idempotent: prints nothing and touches nothing when they are current.
#
#   scripts/npm-install.sh tests/clients
#
# Needs node and npm (Debian: scripts/install-deps.sh test). `npm ci` removes DIR/node_modules
# before installing, so nothing left over from an older lock file stays behind.
set -eu

if [ "$#" -ne 1 ]; then
  echo "usage: $0 DIR" >&2; exit 64
fi
dir=$1

if [ ! -f "$dir/package-lock.json" ]; then
  echo "relais: no package-lock.json in $dir" >&2; exit 1
fi

# Current when node_modules is not older than the lock file. Its hidden lock file stands for
# it: `npm ci` writes it last, so an interrupted install is redone.
stamp="$dir/node_modules/.package-lock.json"
if [ -f "$stamp" ] && [ -z "$(find "$dir/package-lock.json" -newer "$stamp")" ]; then
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "relais: npm not found; run scripts/install-deps.sh test" >&2; exit 1
fi

echo "relais: installing Node.js packages in $dir"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
# npm keeps the hidden lock file's time when nothing changed; mark this install as current.
touch "$stamp"
