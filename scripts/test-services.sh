#!/bin/sh
# Starts and stops what the tests talk to, on loopback ports, in a scratch folder:
#   MariaDB (tests/support/mariadb.sh) and an SMTP server (tests/support/smtp_server.py).
#   scripts/test-services.sh start SCRATCH   writes SCRATCH/env, to be sourced by the runner
#   scripts/test-services.sh stop SCRATCH
set -eu
cmd=$1
scratch=$(realpath -m "$2")
here=$(cd "$(dirname "$0")/.." && pwd)

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

case "$cmd" in
start)
  rm -rf "$scratch"
  mkdir -p "$scratch"
  mariadb_port=$(free_port)
  "$here/tests/support/mariadb.sh" start "$scratch/mariadb" "$mariadb_port"
  smtp_port=$(free_port)
  /usr/bin/python3 "$here/tests/support/smtp_server.py" --port "$smtp_port" \
    --maildir "$scratch/maildir" --ready-file "$scratch/smtp.ready" >"$scratch/smtp.log" 2>&1 &
  echo $! >"$scratch/smtp.pid"
  i=0
  until [ -f "$scratch/smtp.ready" ]; do
    i=$((i + 1))
    [ "$i" -gt 100 ] && { echo "test-services: the SMTP server did not start" >&2; cat "$scratch/smtp.log" >&2; exit 1; }
    sleep 0.1
  done
  cat >"$scratch/env" <<ENV
export TEST_MARIADB_HOST=127.0.0.1
export TEST_MARIADB_PORT=$mariadb_port
export TEST_MARIADB_USER=relais
export TEST_MARIADB_PASSWORD=relais
export TEST_SMTP_HOST=127.0.0.1
export TEST_SMTP_PORT=$smtp_port
export TEST_MAILDIR=$scratch/maildir
export TEST_SCRATCH=$scratch
ENV
  echo "test services: MariaDB on 127.0.0.1:$mariadb_port, SMTP on 127.0.0.1:$smtp_port ($scratch)"
  ;;
stop)
  if [ -f "$scratch/smtp.pid" ]; then
    kill "$(cat "$scratch/smtp.pid")" 2>/dev/null || true
    rm -f "$scratch/smtp.pid"
  fi
  "$here/tests/support/mariadb.sh" stop "$scratch/mariadb" || true
  ;;
*)
  echo "usage: $0 start|stop SCRATCH" >&2
  exit 64
  ;;
esac
