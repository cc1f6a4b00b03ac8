#!/bin/sh
# `make run` after the build: apply the demo manifest, then start relaisd in the foreground on
# the embedded default.
set -eu
build=$1
config=$2
cd "$(dirname "$0")/.."
relaisd="$build/bin/relaisd"

echo "Demo tenant (tenants/demo.json):"
report=$("$relaisd" tenants apply tenants/demo.json --config "$config" --set log.level=warning 2>&1) || {
    echo "$report" >&2
    exit 1
}
echo "$report" | sed 's/^/  /'
if echo "$report" | grep -q "password:"; then
    echo "  These passwords are shown once: note them now."
    shown="password above"
else
    echo "  The demo already exists; its passwords were shown on the first run (start over: rm -rf var)."
    shown="password printed on the first run"
fi
cat <<HINT

  Open in a browser, and log in with the $shown:
    Demo organisation  http://demo.localhost:8080   alice@demo.example (user), admin@demo.example (admin)
    Platform           http://localhost:8080        revendeur@demo.example (reseller admin)
  Or through the API:
    curl -s -X POST http://demo.localhost:8080/api/v1/auth/login \\
         -H 'Content-Type: application/json' \\
         -d '{"email": "admin@demo.example", "password": "<$shown>"}'
    then send "Authorization: Bearer <token>" (GET /api/v1/me, /api/v1/admin/users...).
  Guides: docs/web.md (the pages), docs/wesend.md, docs/tenant-admin-guide.md, docs/reseller-guide.md;
  API reference: docs/api/openapi.yaml
HINT
exec "$relaisd" --config "$config"
