#!/bin/sh
# A private MariaDB server for tests: loopback only, in a folder of its own, never a service.
#   mariadb.sh start DIR PORT   initialise DIR on first use, start, create user relais/relais
#   mariadb.sh stop DIR         stop it (the data stays, so start brings the same server back)
set -eu
cmd=$1
dir=$(realpath -m "$2")

user_opt=""
[ "$(id -u)" -eq 0 ] && user_opt="--user=root"

case "$cmd" in
start)
  port=$3
  mkdir -p "$dir"
  if [ ! -d "$dir/data/mysql" ]; then
    # --force: a minimal system (a debootstrap root) may not resolve localhost, which the
    # installer otherwise insists on.
    mariadb-install-db --no-defaults --force --datadir="$dir/data" --auth-root-authentication-method=normal \
      --skip-test-db $user_opt >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
  fi
  # shellcheck disable=SC2086
  mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/sock" --port="$port" \
    --bind-address=127.0.0.1 --pid-file="$dir/mariadbd.pid" --log-error="$dir/error.log" \
    --skip-name-resolve --innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
    --innodb-flush-log-at-trx-commit=2 --max-connections=500 $user_opt >/dev/null 2>&1 &
  i=0
  until mariadb --no-defaults --socket="$dir/sock" -uroot -e 'SELECT 1' >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -gt 300 ]; then
      echo "mariadb.sh: MariaDB did not start in 30 s; see $dir/error.log" >&2
      tail -20 "$dir/error.log" >&2 || true
      exit 1
    fi
    sleep 0.1
  done
  mariadb --no-defaults --socket="$dir/sock" -uroot <<'SQL'
CREATE USER IF NOT EXISTS 'relais'@'127.0.0.1' IDENTIFIED BY 'relais';
GRANT ALL PRIVILEGES ON *.* TO 'relais'@'127.0.0.1' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS relais CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
SQL
  ;;
stop)
  if [ -f "$dir/mariadbd.pid" ]; then
    pid=$(cat "$dir/mariadbd.pid")
    kill "$pid" 2>/dev/null || true
    i=0
    while kill -0 "$pid" 2>/dev/null; do
      i=$((i + 1))
      [ "$i" -gt 300 ] && { kill -9 "$pid" 2>/dev/null || true; break; }
      sleep 0.1
    done
    rm -f "$dir/mariadbd.pid"
  fi
  ;;
*)
  echo "usage: $0 start DIR PORT | stop DIR" >&2
  exit 64
  ;;
esac
