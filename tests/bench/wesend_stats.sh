#!/usr/bin/env bash
# GET /api/v1/admin/stats for a tenant with BENCH_EVENTS (1,000,000) tracking events over a year,
# on SQLite: the route reads the daily aggregates that WeSend keeps as events happen, and the
# comparison in the same run is the same figures computed by scanning the events table.
# Target (issue 5): under 200 ms.
#
# The events and their aggregates are written straight into the database before relaisd starts
# (a million transfers through the API would take hours): per event, the aggregates get what
# Tracking adds for it, so both sides describe the same history.
#
# Usage: tests/bench/wesend_stats.sh [BUILD_DIR]   (default build/release; nothing is built)
# Environment: BENCH_EVENTS (1000000), BENCH_REPS (20).
set -eu
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh

events=${BENCH_EVENTS:-1000000}
reps=${BENCH_REPS:-20}

bench_init "${1:-build/release}"
bench_need python3
BENCH_PLUGINS=$BENCH_BUILD/plugins
[ -f "$BENCH_PLUGINS/wesend.so" ] || bench_die "$BENCH_PLUGINS/wesend.so not found; build it first (make release)"
bench_tenant pro tenant_admin
db=$BENCH_SCRATCH/relaisd-data/relais.sqlite3

echo "== wesend_stats: GET /api/v1/admin/stats over $events events, $reps times each"
bench_machine
python3 - "$db" "$events" <<'PY'
import random, sqlite3, sys, time
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
tenant, owner = c.execute("SELECT t.id, u.id FROM tenants t JOIN users u ON u.tenant_id = t.id WHERE t.slug = 'bench'").fetchone()
random.seed(5)
now = int(time.time() * 1000)
day_ms = 86400000
types = ['application/pdf', 'image/jpeg', 'application/zip', 'video/mp4', 'application/octet-stream']
senders = [owner] + ['us_bench%02d' % i for i in range(49)]
actions = ['created', 'mail_delivered', 'link_opened', 'file_downloaded', 'zip_downloaded', 'deposit_received']
daily, by_type, by_sender, rows = {}, {}, {}, []
for i in range(n):
    at = now - random.randrange(365 * day_ms)
    day = time.strftime('%Y-%m-%d', time.gmtime(at / 1000))
    action = random.choice(actions)
    size = random.randrange(1, 50_000_000)
    d = daily.setdefault(day, [0, 0, 0, 0, 0, 0])
    if action == 'created':
        t = random.choice(types); s = random.choice(senders)
        d[0] += 1; d[1] += 1; d[2] += size
        bt = by_type.setdefault((day, t), [0, 0]); bt[0] += 1; bt[1] += size
        bs = by_sender.setdefault((day, s), [0, 0]); bs[0] += 1; bs[1] += size
    elif action in ('file_downloaded', 'zip_downloaded'):
        d[3] += 1; d[4] += size
    elif action == 'deposit_received':
        d[5] += 1
    rows.append((tenant, owner, 'transfer', 'tr_%07d' % (i // 4), action, None, '192.0.2.1', None, None, size, at))
c.executemany("INSERT INTO wesend_events (tenant_id, owner_user_id, subject_type, subject_id, action, recipient, ip,"
              " user_agent, file_id, bytes, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
c.executemany("INSERT INTO wesend_stats_daily VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              [(tenant, k) + tuple(v) for k, v in daily.items()])
c.executemany("INSERT INTO wesend_stats_types VALUES (?, ?, ?, ?, ?)",
              [(tenant, k[0], k[1], v[0], v[1]) for k, v in by_type.items()])
c.executemany("INSERT INTO wesend_stats_senders VALUES (?, ?, ?, ?, ?)",
              [(tenant, k[0], k[1], v[0], v[1]) for k, v in by_sender.items()])
c.commit()
print("data:    %d events, %d daily rows, %d type rows, %d sender rows" % (
    n, len(daily), len(by_type), len(by_sender)))
PY

bench_start_relaisd --set migrations.dir=migrations
token=$(bench_login)
base=http://127.0.0.1:$RELAISD_PORT
from=$(date -u -d '-364 days' +%Y-%m-%d)
echo "before start: CPU idle $(bench_idle_pct) % over 1 s, load average $(cut -d' ' -f1-3 /proc/loadavg)"

for g in day week month; do
    url="$base/api/v1/admin/stats?from=$from&granularity=$g"
    curl -fsS -o "$BENCH_SCRATCH/stats-$g.json" -H 'Host: bench.localhost' -H "Authorization: Bearer $token" "$url"
    times=$(for _ in $(seq 1 "$reps"); do
        curl -fsS -o /dev/null -w '%{time_total}\n' -H 'Host: bench.localhost' -H "Authorization: Bearer $token" "$url"
    done)
    med=$(printf '%s\n' "$times" | bench_median)
    max=$(printf '%s\n' "$times" | sort -g | tail -1)
    printf 'stats    granularity=%-5s median %6.1f ms, max %6.1f ms, %s periods (target < 200 ms: %s)\n' "$g" \
        "$(awk -v t="$med" 'BEGIN {print t * 1000}')" "$(awk -v t="$max" 'BEGIN {print t * 1000}')" \
        "$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["series"]))' "$BENCH_SCRATCH/stats-$g.json")" \
        "$(awk -v t="$med" 'BEGIN {print t < 0.2 ? "MET" : "NOT MET"}')"
done

# The comparison: the same series by scanning the events (what the aggregates avoid).
python3 - "$db" "$from" <<'PY'
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
start = time.time()
rows = c.execute("SELECT strftime('%Y-%m-%d', at / 1000, 'unixepoch') AS day, SUM(action = 'created'),"
                 " SUM(CASE WHEN action = 'created' THEN bytes ELSE 0 END),"
                 " SUM(action IN ('file_downloaded', 'zip_downloaded')) FROM wesend_events"
                 " WHERE at >= strftime('%s', ?) * 1000 GROUP BY day", (sys.argv[2],)).fetchall()
print("scan     the day series by scanning the events table (sqlite3, same file): %.1f ms, %d days" % (
    (time.time() - start) * 1000, len(rows)))
PY
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
