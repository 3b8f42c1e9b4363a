"""Production settings pass Django's deployment checklist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path, **extra):
    environ = {k: v for k, v in os.environ.items() if k not in {"EMAIL_BACKEND", "SAMEBOAT_DEBUG"}}
    return {
        **environ,
        "SAMEBOAT_ENV": "production",
        "SECRET_KEY": "k" * 20 + "production-like-secret-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "sameboat.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SAMEBOAT_VAR_DIR": str(tmp_path),
        **extra,
    }


def _check(tmp_path, **extra):
    env = _env(tmp_path, **extra)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_nothing(tmp_path):
    result = _check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env_without = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env={
            **env_without,
            "SAMEBOAT_ENV": "production",
            "ALLOWED_HOSTS": "x.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "SAMEBOAT_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"SECRET_KEY": "short-but-random-Zq8x"}, "SECRET_KEY"),
        ({"SECRET_KEY": "test-only-secret-key-not-for-production-use-0123456789"}, "SECRET_KEY"),
        ({"SECRET_KEY": "django-insecure-" + "x7Gq2LmP9vR4tW8yB3nK6cJ1hF5dS0aE" * 2}, "SECRET_KEY"),
        ({"SECRET_KEY": "0123456789" * 6}, "SECRET_KEY"),
        ({"SECRET_KEY": "correct-horse-battery-staple-" * 3}, "SECRET_KEY"),
        ({"SAMEBOAT_DEBUG": "true"}, "DEBUG"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "EMAIL_BACKEND"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}, "EMAIL_BACKEND"),
    ],
    ids=["short-key", "test-key", "insecure-key", "digits-key", "repeated-key", "debug", "console-mail", "locmem-mail"],
)
def test_production_refuses_to_start_unsafe(tmp_path, extra, named):
    result = _check(tmp_path, **extra)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr.splitlines()[-1]


def test_production_defaults_to_sending_mail(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "shell",
            "-c",
            "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        ],
        env={**_env(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.strip().splitlines()[-1] == "django.core.mail.backends.smtp.EmailBackend", result.stderr
