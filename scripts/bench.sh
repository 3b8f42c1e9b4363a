#!/usr/bin/env bash
# Run the benchmarks on PostgreSQL when one answers (the production database), else SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
export SAMEBOAT_ENV=test
if pg_url=$(scripts/pg_url.sh); then export DATABASE_URL="$pg_url"; fi
exec .venv/bin/python -m bench "$@"
