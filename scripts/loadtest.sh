#!/usr/bin/env bash
# `make loadtest`: locust against the topology of scripts/prod.sh (started if it is not up),
# on 127.0.0.1 only, bounded in users, duration and requests; prints throughput, p50/p95/p99
# and errors. With FAILOVER=1, app server 2 is stopped halfway through, then started again, and
# the holders' saved edits are checked against the activity log (nothing lost).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

USERS="${USERS:-20}"
DURATION="${DURATION:-60}"
MAX_REQUESTS="${MAX_REQUESTS:-20000}"
PORT="${PROD_PORT:-8443}"
OUT=.prod/loadtest
mkdir -p "$OUT"

[ -x .venv/bin/locust ] || .venv/bin/pip install --quiet 'locust>=2.30,<3'
curl -ksf -o /dev/null "https://127.0.0.1:$PORT/sante/" || scripts/prod.sh start

edits() {
  (set -a; DJANGO_ENV=production SECRET_KEY="$(cat .prod/secret_key)" \
    DATABASE_URL="${PROD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ecoquartier_prod}" \
    ALLOWED_HOSTS=127.0.0.1 .venv/bin/python manage.py shell -c \
    "from ecoquartier.core.models import ActivityEvent; print(ActivityEvent.objects.filter(verb='project.updated').count())" 2>/dev/null | tail -1)
}

before="$(edits)"
rm -f "$OUT/saved_edits"
CA_BUNDLE="$PWD/.prod/tls.crt" MAX_REQUESTS="$MAX_REQUESTS" SAVED_EDITS_FILE="$OUT/saved_edits" \
  .venv/bin/locust \
  -f loadtest/locustfile.py --headless --host "https://127.0.0.1:$PORT" \
  -u "$USERS" -r "$USERS" --run-time "${DURATION}s" --stop-timeout 10 \
  --csv "$OUT/run" --only-summary >"$OUT/locust.log" 2>&1 &
locust=$!
if [ "${FAILOVER:-0}" = 1 ]; then
  sleep $((DURATION / 2))
  echo "stopping app server 2 halfway through the run"
  scripts/prod.sh stop-app 2
fi
status=0
wait "$locust" || status=$?
[ "${FAILOVER:-0}" = 1 ] && scripts/prod.sh start-app 2
after="$(edits)"

.venv/bin/python - "$OUT/run_stats.csv" "$before" "$after" "$(cat "$OUT/saved_edits" 2>/dev/null)" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
print(f"{'request':38} {'count':>7} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'req/s':>7}")
for r in rows:
    print(f"{r['Name'][:38]:38} {r['Request Count']:>7} {r['Failure Count']:>5} "
          f"{r['50%']:>6} {r['95%']:>6} {r['99%']:>6} {float(r['Requests/s']):7.1f}")
before, after, saved = sys.argv[2], sys.argv[3], int(sys.argv[4] or 0)
if before.isdigit() and after.isdigit():
    logged = int(after) - int(before)
    verdict = "none lost" if logged == saved else "MISMATCH"
    print(f"holders' saved edits: {saved}; edits in the activity log: {logged} ({verdict})")
PY
exit "$status"
