#!/usr/bin/env bash
# The whole suite: first on the embedded SQLite database (browser tests included), then on
# PostgreSQL (the postgres-only tests for locks, triggers and concurrency, and the rest of
# the suite again so that "works on both" is checked, not assumed).
# Under CI=true a missing PostgreSQL or Chromium fails the run instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=sameboat.settings
export SAMEBOAT_ENV=test
NPROC=$(nproc 2>/dev/null || echo 2)
XDIST=(-n "$NPROC" --dist loadfile)

pg_ok=0
if pg_url=$(scripts/pg_url.sh); then pg_ok=1; else pg_url="(none found)"; fi

if [[ "${CI:-}" == "true" && $pg_ok -ne 1 ]]; then
  echo "CI=true but PostgreSQL is not reachable at $pg_url: the PostgreSQL tests cannot be skipped." >&2
  exit 1
fi

echo "== Test suite on SQLite"
DATABASE_URL="sqlite:///$(pwd)/var/test-unused.sqlite3" $BIN/pytest "${XDIST[@]}" -m "not postgres and not browser" "$@"

# Browser tests run in processes of their own: Playwright's sync API keeps an event loop
# running in the thread, and Django refuses database access from a thread with one.
echo "== Browser tests (Chromium, the real server on its own SQLite database)"
status=0
$BIN/pytest "${XDIST[@]}" -m browser tests/e2e "$@" || status=$?
# Exit code 5 means a filter given in ARGS selected no browser test: not a failure.
if [[ $status -ne 0 && $status -ne 5 ]]; then exit "$status"; fi

if [[ $pg_ok -eq 1 ]]; then
  echo "== Test suite on PostgreSQL"
  DATABASE_URL="$pg_url" $BIN/pytest "${XDIST[@]}" -m "not browser" "$@"
else
  echo "PostgreSQL is not reachable at $pg_url: the PostgreSQL run is skipped (set DATABASE_URL)."
fi
