"""Throttle counters are shared between processes: Redis when configured, else the
database cache table; never a per-process memory cache outside tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup();"
    "from django.core.cache import caches; from django.conf import settings;"
    "c = caches['default']; print(type(c).__name__, settings.CACHES['default'].get('LOCATION'));"
    "c._cache.get_client if hasattr(c, '_cache') else None"
)


def _probe(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CACHE_URL"}}
    env.update(
        {
            "SAMEBOAT_ENV": "development",
            "DJANGO_SETTINGS_MODULE": "sameboat.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "SAMEBOAT_VAR_DIR": str(tmp_path),
            **extra,
        }
    )
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120, check=False, cwd=ROOT
    )


def test_without_redis_the_database_cache_is_used(tmp_path):
    result = _probe(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["DatabaseCache", "sameboat_cache"]


def test_redis_url_selects_djangos_redis_cache(tmp_path):
    # Building the cache imports the redis package (a dependency); nothing connects yet.
    result = _probe(tmp_path, REDIS_URL="redis://127.0.0.1:6399/1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["RedisCache", "redis://127.0.0.1:6399/1"]


def test_a_cache_url_that_is_not_redis_is_refused(tmp_path):
    result = _probe(tmp_path, CACHE_URL="memcached://127.0.0.1:11211")
    assert result.returncode != 0
    assert "REDIS_URL/CACHE_URL" in result.stderr
