#!/usr/bin/env bash
# The production topology on one machine (docs/production.md):
#   nginx (TLS on 127.0.0.1:8443, self-signed) → two gunicorn app servers (8001, 8002)
#   two task workers (manage.py worker: tasks + periodic jobs), PostgreSQL, Redis
# with production settings (DJANGO_ENV=production), collected static files and the demo data.
#
#   scripts/prod.sh start | stop | status | stop-app N | start-app N
# Everything it writes lives in .prod/ (keys, certificate, logs, pids); the database is
# `ecoquartier_prod` on the local PostgreSQL. It sends nothing anywhere but 127.0.0.1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PROD="$PWD/.prod"
PORT="${PROD_PORT:-8443}"
APP_PORTS=(8001 8002)
APP_WORKERS="${PROD_APP_WORKERS:-2}"
PG_URL="${PROD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ecoquartier_prod}"
REDIS_URL="${PROD_REDIS_URL:-redis://127.0.0.1:6379}"
PY=.venv/bin/python

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

environment() {
  # Production settings, unchanged but for where things are: no weakening for localhost.
  export DJANGO_ENV=production
  export SECRET_KEY="$(cat "$PROD/secret_key")"
  export DATABASE_URL="$PG_URL"
  export CACHE_URL="${REDIS_URL/redis:/rediscache:}/1"
  export SESSION_ENGINE=django.contrib.sessions.backends.cached_db
  export ALLOWED_HOSTS=127.0.0.1,localhost
  export CSRF_TRUSTED_ORIGINS="https://127.0.0.1:$PORT,https://localhost:$PORT"
  export SITE_URL="https://127.0.0.1:$PORT"
  export MEDIA_ROOT="$PROD/media"
  export STATIC_ROOT="$PROD/static"
  export PRIVATE_FILES_INTERNAL_URL=/_private/
  export EMAIL_URL=consolemail://
  export LOG_FORMAT=json
}

prepare() {
  mkdir -p "$PROD/media" "$PROD/static" "$PROD/logs"
  [ -s "$PROD/secret_key" ] || "$PY" -c "import secrets; print(secrets.token_urlsafe(50))" \
    > "$PROD/secret_key"
  if [ ! -s "$PROD/tls.crt" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=127.0.0.1" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
      -keyout "$PROD/tls.key" -out "$PROD/tls.crt" 2>/dev/null
  fi
  command -v nginx >/dev/null || { echo "Installing nginx"; as_root apt-get install -y -qq nginx-light 2>/dev/null || as_root apt-get install -y -qq nginx; }
  # nginx is started by us with our own configuration, not as a system service.
  as_root systemctl disable --now nginx >/dev/null 2>&1 || as_root service nginx stop >/dev/null 2>&1 || true
  redis-cli -u "$REDIS_URL" ping >/dev/null || { echo "Redis does not answer at $REDIS_URL" >&2; exit 1; }
  environment
  "$PY" - <<'PY'
import os, psycopg
from urllib.parse import urlparse
url = urlparse(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
with psycopg.connect(host=url.hostname, port=url.port, user=url.username, dbname="postgres", autocommit=True) as c:
    if not c.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
        c.execute(f'create database "{name}"')
PY
  "$PY" manage.py migrate --noinput -v0
  "$PY" manage.py import_territories -v0
  "$PY" manage.py seed_state_services -v0
  "$PY" manage.py load_taxonomy -v0
  "$PY" manage.py load_referentiel -v0
  "$PY" manage.py load_label_schemes -v0
  "$PY" manage.py load_demo --allow-production -v0
  "$PY" manage.py collectstatic --noinput -v0
  "$PY" manage.py check --deploy --fail-level WARNING
}

render_nginx() {
  sed -e "s|@PROD@|$PROD|g" -e "s|@PORT@|$PORT|g" -e "s|@APP1@|${APP_PORTS[0]}|g" \
      -e "s|@APP2@|${APP_PORTS[1]}|g" -e "s|@STATIC_ROOT@|$PROD/static|g" \
      -e "s|@MEDIA_ROOT@|$PROD/media|g" -e "s|@PRIVATE_URL@|/_private/|g" \
      deploy/nginx.conf.template > "$PROD/nginx.conf"
}

start_app() {
  local n="$1" port="${APP_PORTS[$(($1 - 1))]}"
  .venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$port" --workers "$APP_WORKERS" \
    --daemon --pid "$PROD/app$n.pid" --access-logfile "$PROD/logs/app$n-access.log" \
    --error-logfile "$PROD/logs/app$n.log" --graceful-timeout 20 --timeout 60
}

start_worker() {
  local n="$1"
  nohup "$PY" manage.py worker --no-reload >"$PROD/logs/worker$n.log" 2>&1 &
  echo $! > "$PROD/worker$n.pid"
}

wait_for() {
  for _ in $(seq 100); do curl -ksf -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "no answer from $1" >&2; return 1
}

start() {
  prepare
  render_nginx
  start_app 1
  start_app 2
  start_worker 1
  start_worker 2
  nginx -c "$PROD/nginx.conf"
  wait_for "http://127.0.0.1:${APP_PORTS[0]}/sante/"
  wait_for "http://127.0.0.1:${APP_PORTS[1]}/sante/"
  wait_for "https://127.0.0.1:$PORT/sante/"
  echo "Plateforme ÉcoQuartier (production) : https://127.0.0.1:$PORT/ (certificat auto-signé)"
  echo "app servers: 127.0.0.1:${APP_PORTS[0]}, 127.0.0.1:${APP_PORTS[1]} ($APP_WORKERS workers each);"
  echo "task workers: 2; database: $PG_URL; cache and sessions: $REDIS_URL/1; logs: $PROD/logs/"
}

stop_pid() {
  local file="$1"
  [ -f "$file" ] || return 0
  local pid; pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -f "$file"
}

stop() {
  [ -f "$PROD/nginx.pid" ] && nginx -c "$PROD/nginx.conf" -s quit 2>/dev/null || true
  for f in "$PROD"/app*.pid "$PROD"/worker*.pid; do stop_pid "$f"; done
  rm -f "$PROD/nginx.pid"
  echo "stopped"
}

status() {
  for f in "$PROD"/nginx.pid "$PROD"/app*.pid "$PROD"/worker*.pid; do
    [ -f "$f" ] || continue
    if kill -0 "$(cat "$f")" 2>/dev/null; then echo "$(basename "$f" .pid): up"; else echo "$(basename "$f" .pid): down"; fi
  done
  curl -ks "https://127.0.0.1:$PORT/sante/" || true
  echo
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  stop-app) stop_pid "$PROD/app${2:?which app server: 1 or 2}.pid" ;;
  start-app) environment; start_app "${2:?which app server: 1 or 2}" ;;
  *) echo "usage: $0 start|stop|status|stop-app N|start-app N" >&2; exit 2 ;;
esac
