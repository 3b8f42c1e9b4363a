#!/usr/bin/env bash
# Serve Sameboat the way production does: gunicorn sync workers (DESIGN.md: sync beat ASGI
# here), whitenoise for static files, and one django-tasks database worker beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"
WORKERS="${WEB_CONCURRENCY:-3}"

# The worker runs under a supervisor (sameboat worker) that restarts it when it dies and
# marks the jobs it died under as failed, so one bad file cannot stop every later import.
$BIN/sameboat worker --interval 0.5 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

cat <<MSG

  Sameboat is running at http://127.0.0.1:${PORT}/
  Demo logins (password for all: sameboat-demo):
$($BIN/sameboat demo --logins)

  Stop with Ctrl-C.

MSG
exec_status=0
$BIN/gunicorn sameboat.wsgi:application --bind "127.0.0.1:${PORT}" --workers "$WORKERS" \
  --worker-class sync --access-logfile - --graceful-timeout 5 || exec_status=$?
exit $exec_status
