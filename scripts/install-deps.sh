#!/bin/sh
# Installs, from Debian 12's packages, whatever Relais needs and this machine lacks.
# Idempotent: packages already present are not touched, and nothing runs apt when all are there.
#
#   scripts/install-deps.sh build   what `make run` needs: compiler, CMake, Ninja, the libraries, and
#                                   Node.js and npm, which bundle the web front end (web/)
#   scripts/install-deps.sh test    the above, plus the servers and tools `make test` starts, and
#                                   Debian's Chromium for the browser tests (Playwright drives it)
#   scripts/install-deps.sh bench   the above, plus what `make bench` compares with (wrk, nginx,
#                                   Node.js for @tus/server)
#   scripts/install-deps.sh fuzz    the build packages, plus clang and libFuzzer (`make fuzz`)
#
# Services are never enabled or started by this script: a policy-rc.d forbids it during the
# install, because the test command starts its own MariaDB and SMTP server in a scratch folder.
set -eu

mode=${1:-build}

build_pkgs="make g++ cmake ninja-build pkg-config git ca-certificates
  libpoco-dev libssl-dev openssl libsqlite3-dev libmysqlcppconn-dev
  libboost-dev libboost-filesystem-dev libcppunit-dev libargon2-dev curl nodejs npm"

test_pkgs="mariadb-server-core mariadb-client-core python3 python3-aiosmtpd curl unzip p7zip-full
  procps iproute2 chromium fonts-liberation fonts-dejavu-core"

bench_pkgs="wrk nginx-light curl nodejs npm"
fuzz_pkgs="clang-14 libclang-rt-14-dev"

case "$mode" in
  build) pkgs=$build_pkgs ;;
  test) pkgs="$build_pkgs $test_pkgs" ;;
  bench) pkgs="$build_pkgs $test_pkgs $bench_pkgs" ;;
  fuzz) pkgs="$build_pkgs $fuzz_pkgs" ;;
  *) echo "usage: $0 build|test|bench|fuzz" >&2; exit 64 ;;
esac

# Node.js counts as present when its commands are: NodeSource's `nodejs` package bundles npm
# and conflicts with Debian's `npm`, which apt then could not install.
present_as_command() {
  case "$1" in
    nodejs) command -v node >/dev/null 2>&1 ;;
    npm) command -v npm >/dev/null 2>&1 ;;
    *) return 1 ;;
  esac
}

missing=""
for p in $pkgs; do
  case " $missing " in *" $p "*) continue ;; esac
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || present_as_command "$p" || missing="$missing $p"
done

[ -z "$missing" ] && exit 0

echo "relais: installing missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "relais: run as root (or install sudo) to install:$missing" >&2; exit 1
  fi
else
  SUDO=
fi

# Forbid service start-up during the install; remove our policy afterwards, keep anyone else's.
policy=/usr/sbin/policy-rc.d
ours=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
  ours=1
fi
cleanup() { [ "$ours" = 1 ] && $SUDO rm -f "$policy"; }
trap cleanup EXIT INT TERM

export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists when they are missing or older than a day.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages' -mtime -1 2>/dev/null | head -n1)" ]; then
  $SUDO apt-get update -q
fi
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
