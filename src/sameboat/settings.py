"""One settings module for every environment, driven by environment variables.

SAMEBOAT_ENV chooses the defaults: ``development`` (what `make run` uses), ``test`` or
``production`` (strict: secrets required, HTTPS-only cookies, passes ``check --deploy``).
"""

from __future__ import annotations

import datetime
import math
import secrets
import zlib
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sameboat.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("SAMEBOAT_VAR_DIR", str(BASE_DIR / "var")))

ENV = env_str("SAMEBOAT_ENV", "development")
if ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"SAMEBOAT_ENV={ENV!r}: use development, test or production.")
PRODUCTION = ENV == "production"
TESTING = ENV == "test"


def _development_secret_key() -> str:
    # Outside production a key is made once and kept, so sessions survive a restart.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


# Published on purpose (tests only); production refuses it below.
_TEST_SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"  # noqa: S105
SECRET_KEY = (
    env_str("SECRET_KEY")
    if PRODUCTION
    else env_str("SECRET_KEY", "") or (_TEST_SECRET_KEY if TESTING else _development_secret_key())
)
DEBUG = env_bool("SAMEBOAT_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "treebeard",
    "django_countries",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "sameboat.core",
    "sameboat.accounts",
    "sameboat.orgs",
    "sameboat.health",
    "sameboat.supplies",
    "sameboat.api",
    "sameboat.site",
    "sameboat.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are no-store unless their view says otherwise (after WhiteNoise: static files may be kept).
    "sameboat.core.privacy.PrivatePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the locale, so the refusal speaks the user's language.
    "sameboat.core.middleware.FailSafelyMiddleware",
    "sameboat.core.middleware.RejectNullBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sameboat.urls"
WSGI_APPLICATION = "sameboat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "sameboat.core.context_processors.navigation",
            ],
            # |redacted shows a value the retention purge removed in the reader's language.
            "builtins": ["sameboat.core.templatetags.redaction"],
        },
    }
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sameboat.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work beside the one writer; IMMEDIATE takes the write lock at the
    # start of a transaction so two workers queue on busy_timeout instead of failing with
    # "database is locked" when both try to upgrade a read lock.
    # The busy timeout is how long a request waits for the write lock before it answers 503
    # with Retry-After (core.middleware). Ordinary write transactions hold the lock for
    # milliseconds, so a few seconds still lets every queued writer through (the concurrency
    # tests write side by side); a lock held longer is a long job, and a person is better
    # told so in 5 s than left waiting 20 s for a 500.
    _busy_ms = env_int("SQLITE_BUSY_TIMEOUT_MS", 5000)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": _busy_ms / 1000,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            f"PRAGMA busy_timeout={_busy_ms};"
        ),
    }
    if not TESTING:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
elif env_bool("DB_PREPARED_STATEMENTS", True):
    # Django's cursors bind on the client and are never prepared whatever this says; it
    # lets core.db.hot_cursor prepare the few statements of the busiest requests. Turn it
    # off behind a transaction pooler that cannot keep prepared statements (PgBouncer < 1.21).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline scripts or styles anywhere: every script is a static file, so the policy can
# forbid 'unsafe-inline'. htmx is told not to inject its indicator <style> (see base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # bigger uploads spool to disk
SAMEBOAT_IMPORT_MAX_BYTES = env_int("SAMEBOAT_IMPORT_MAX_BYTES", 50 * 1024 * 1024)

# --- E-mail --------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Sameboat <sameboat@localhost>")

# --- Production refuses to start unsafe -----------------------------------------------------
# A guessable key forges sessions and password-reset links; DEBUG shows settings and code on
# any error; the console, in-memory and file e-mail backends put password-reset links in the
# logs, in nobody's inbox, or on disk. Better not to start than to run like that.
_KEPT_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


def _secret_key_weakness(key: str) -> str | None:
    """Why ``key`` is too weak for production, or None."""
    if len(key) < 50:
        return f"it has {len(key)} characters; use at least 50"
    if key == _TEST_SECRET_KEY or key.startswith("django-insecure-"):
        return "it is a published development key"
    counts = [key.count(c) for c in set(key)]
    bits = -sum(n * math.log2(n / len(key)) for n in counts)
    # Few distinct characters, or a pattern that compresses (a word or digits repeated):
    # random keys (token_urlsafe, hex) pass both with room to spare.
    if len(counts) < 10 or bits < 160 or len(zlib.compress(key.encode(), 9)) < 0.8 * len(key):
        return "it is not random enough"
    return None


if PRODUCTION:
    _weakness = _secret_key_weakness(SECRET_KEY)
    if _weakness:
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak for production: {_weakness}. Make one with "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    if DEBUG:
        raise ImproperlyConfigured("SAMEBOAT_DEBUG (DEBUG) must be off in production: it shows settings and code.")
    if EMAIL_BACKEND in _KEPT_EMAIL_BACKENDS:
        raise ImproperlyConfigured(
            f"EMAIL_BACKEND={EMAIL_BACKEND} keeps mail (and password-reset links) out of inboxes in "
            "production: use the SMTP backend and set EMAIL_HOST."
        )

# --- Background work ---------------------------------------------------------------------------
TASKS = {
    "default": {
        # Tests run tasks in-process; everywhere else the database worker started by
        # `make run` (scripts/serve.sh) picks them up.
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING and not env_bool("SAMEBOAT_REAL_WORKER", False)
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A running job whose worker has not touched it for this long is reported as failed.
SAMEBOAT_JOB_STALE_SECONDS = env_int("SAMEBOAT_JOB_STALE_SECONDS", 120)
# Hostile files and job files. A workbook is refused before it is read when its parts
# unpack to more than this many MB, when a part unpacks to more than RATIO times its packed
# size (zip bombs), or when a sheet declares more rows or columns than these; it is then read
# in a child process limited to READER_MEMORY_MB of address space and READER_CPU_SECONDS.
SAMEBOAT_IMPORT_MAX_UNPACKED_MB = env_int("SAMEBOAT_IMPORT_MAX_UNPACKED_MB", 1024)
SAMEBOAT_IMPORT_MAX_RATIO = env_int("SAMEBOAT_IMPORT_MAX_RATIO", 200)
SAMEBOAT_IMPORT_MAX_ROWS = env_int("SAMEBOAT_IMPORT_MAX_ROWS", 1_000_000)
SAMEBOAT_IMPORT_MAX_COLUMNS = env_int("SAMEBOAT_IMPORT_MAX_COLUMNS", 1000)
SAMEBOAT_IMPORT_READER_MEMORY_MB = env_int("SAMEBOAT_IMPORT_READER_MEMORY_MB", 2048)
SAMEBOAT_IMPORT_READER_CPU_SECONDS = env_int("SAMEBOAT_IMPORT_READER_CPU_SECONDS", 600)
# A job's input file is deleted when the job ends; one whose worker died keeps it this long
# so that it can be retried. Result files are deleted this long after their job ended.
SAMEBOAT_JOB_RETRY_HOURS = env_int("SAMEBOAT_JOB_RETRY_HOURS", 24)
SAMEBOAT_JOB_RESULT_TTL_HOURS = env_int("SAMEBOAT_JOB_RESULT_TTL_HOURS", 72)

# --- Health reporting ------------------------------------------------------------------------


def _cutoff(value: str) -> datetime.time:
    try:
        return datetime.time.fromisoformat(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"SAMEBOAT_CHECKIN_CUTOFF={value!r}: use HH:MM, e.g. 10:00.") from exc


# Check-ins filed after this local time count as late; reminders go out at it.
SAMEBOAT_CHECKIN_CUTOFF = _cutoff(env_str("SAMEBOAT_CHECKIN_CUTOFF", "10:00"))
# A unit whose share of staff reported is below this percentage when the cut-off has
# passed is reported to its company's managers (health_chase, run at the cut-off).
SAMEBOAT_CHECKIN_RATE_ALERT = env_int("SAMEBOAT_CHECKIN_RATE_ALERT", 90)
if not 0 <= SAMEBOAT_CHECKIN_RATE_ALERT <= 100:
    raise ImproperlyConfigured("SAMEBOAT_CHECKIN_RATE_ALERT is a percentage: 0 to 100 (0 turns the alert off).")
# Raw check-ins older than this many days are purged; the daily returns stay.
SAMEBOAT_CHECKIN_RETENTION_DAYS = env_int("SAMEBOAT_CHECKIN_RETENTION_DAYS", 30)

# The hand-written SQL of the hot paths (each app's fastpath.py). Off, every one of them
# runs its plain ORM counterpart instead (same results, slower): to rule one out.
SAMEBOAT_FAST_PATHS = env_bool("SAMEBOAT_FAST_PATHS", True)
# Only for `make bench`: mounts the plain endpoints the benchmarks compare against.
SAMEBOAT_BENCH_ENDPOINTS = env_bool("SAMEBOAT_BENCH_ENDPOINTS", False) and not PRODUCTION

# --- Notifications -------------------------------------------------------------------------------
SAMEBOAT_NOTIFY_CHANNELS = env_list("SAMEBOAT_NOTIFY_CHANNELS", ["sameboat.core.notify.InAppChannel"])

# --- API -----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes DRF answer 401 (not 403) to anonymous.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sameboat.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "sameboat.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "sameboat.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "sameboat.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sameboat API",
    "DESCRIPTION": "Organisations, people, roles and everything Sameboat coordinates.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind": each choice set gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "OrgKindEnum": "sameboat.orgs.models.OrgKind",
        "LocationKindEnum": "sameboat.supplies.models.LocationKind",
        "MoveKindEnum": "sameboat.supplies.models.MoveKind",
    },
}

# --- Throttles, the trusted reverse proxy and API tokens -----------------------------------------
# Addresses or networks of reverse proxies whose X-Forwarded-For is believed (see
# core/client_ip.py); empty: the header is ignored and the peer is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
# django-axes locks out (user name, client address), with the client found the same way.
AXES_CLIENT_IP_CALLABLE = "sameboat.core.client_ip.client_ip"
# Throttle counters must be shared by every gunicorn worker: Redis when configured, else
# the database cache table (created by the migration core/…_throttle_cache_table), which
# works for a SQLite pilot with several workers. Tests use each process's memory.
_CACHE_URL = env_str("REDIS_URL", "") or env_str("CACHE_URL", "")
if _CACHE_URL:
    if not _CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("REDIS_URL/CACHE_URL: give a redis://, rediss:// or unix:// URL.")
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
            "KEY_PREFIX": "sameboat",
        }
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "sameboat_cache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# "N/s", "N/min", "N/hour", "N/day" or "N/<k><unit>" (e.g. 20/15min); empty turns one off.
SAMEBOAT_THROTTLE_RATES = {
    # Login page POSTs and token requests, per client address.
    "login": env_str("SAMEBOAT_THROTTLE_LOGIN", "30/min"),
    "token": env_str("SAMEBOAT_THROTTLE_TOKEN", "10/min"),
    # Failed logins per client address, whatever the user names (page and token alike).
    "auth_failures": env_str("SAMEBOAT_THROTTLE_AUTH_FAILURES", "20/15min"),
    # Edits of an existing check-in, per user (first reports are never counted).
    "checkin_edit": env_str("SAMEBOAT_THROTTLE_CHECKIN_EDIT", "10/min"),
    # Starting an import job and downloading an export, per user.
    "import": env_str("SAMEBOAT_THROTTLE_IMPORT", "20/hour"),
    "export": env_str("SAMEBOAT_THROTTLE_EXPORT", "60/hour"),
}
# API tokens (django-rest-knox): stored as SHA-512 digests, expire, never refreshed by use.
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 7 * 24)),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
# Live tokens one user may hold; issuing another drops the oldest.
SAMEBOAT_API_TOKENS_PER_USER = env_int("SAMEBOAT_API_TOKENS_PER_USER", 10)

# --- Logging -------------------------------------------------------------------------------------
# Request bodies are never logged: check-ins carry health data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
