#!/usr/bin/env bash
# Print the PostgreSQL URL to test or benchmark against, if one answers; exit 1 otherwise.
# DATABASE_URL wins when it names PostgreSQL; then SAMEBOAT_TEST_POSTGRES_URL; then the
# local server on 127.0.0.1:5432 as user postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
url="${DATABASE_URL:-}"
if [[ -z "$url" || "$url" != postgres* ]]; then
  url="${SAMEBOAT_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
fi
.venv/bin/python - "$url" <<'PY' >/dev/null 2>&1 || exit 1
import sys, psycopg, dj_database_url
cfg = dj_database_url.parse(sys.argv[1])
psycopg.connect(host=cfg["HOST"] or None, port=cfg["PORT"] or None, user=cfg["USER"] or None,
                password=cfg["PASSWORD"] or None, dbname=cfg["NAME"], connect_timeout=3).close()
PY
echo "$url"
