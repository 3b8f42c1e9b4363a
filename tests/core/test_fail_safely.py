"""Honest answers: 503 with Retry-After while the database is locked or unreachable, 413 for
a request over the limits; pages and the API alike, and neither logged as a 500."""

from __future__ import annotations

import logging
import sqlite3

import psycopg
import pytest
from django.db import OperationalError, ProgrammingError, connection
from django.test import Client, override_settings
from django.urls import reverse

from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db

LOCKED = "database is locked"


def _locked(*args, **kwargs):
    raise OperationalError(LOCKED)


def _assert_unavailable_page(response) -> None:
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert 'data-testid="error-503"' in html
    assert "try again" in html


def _assert_unavailable_json(response) -> None:
    error = assert_error(response, 503, "unavailable")
    assert int(response["Retry-After"]) > 0
    assert "try again" in error["message"]


def _no_server_errors(caplog) -> None:
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [r.getMessage() for r in caplog.records]


# --- 503: a locked database, raised in a view ------------------------------------------------------


def test_a_page_answers_503_when_the_database_is_locked(client_as, world, monkeypatch, caplog):
    client = client_as(world.hq)
    monkeypatch.setattr("sameboat.core.views.notification_list", _locked)
    _assert_unavailable_page(client.get(reverse("core:inbox")))
    _no_server_errors(caplog)


def test_the_page_speaks_the_users_language(client_as, world, monkeypatch):
    client = client_as(world.hq)
    monkeypatch.setattr("sameboat.core.views.notification_list", _locked)
    response = client.get(reverse("core:inbox"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 503
    assert "繁忙" in response.content.decode()


def test_a_client_asking_for_json_gets_the_error_shape(client_as, world, monkeypatch):
    client = client_as(world.hq)
    monkeypatch.setattr("sameboat.core.views.notification_list", _locked)
    _assert_unavailable_json(client.get(reverse("core:inbox"), HTTP_ACCEPT="application/json"))


def test_the_api_answers_503_in_the_error_shape(world, monkeypatch, caplog, api_as):
    monkeypatch.setattr("sameboat.orgs.selectors.employee_list", _locked)
    _assert_unavailable_json(api_as(world.hq).get("/api/v1/employees/"))
    _no_server_errors(caplog)

    # An OperationalError that is a bug, not a busy database, stays a 500.
    def broken(*args, **kwargs):
        raise OperationalError("no such table: orgs_employee")

    monkeypatch.setattr("sameboat.orgs.selectors.employee_list", broken)
    client = api_as(world.hq)
    client.raise_request_exception = False
    assert_error(client.get("/api/v1/employees/"), 500, "server_error")


def test_a_locked_database_outside_any_view_is_a_503_too(world, monkeypatch, client_as):
    # A middleware meeting the database (as the session middleware does when it saves on
    # the way out) is outside the view: the handler500 fallback answers.
    client = client_as(world.hq, raise_request_exception=False)
    monkeypatch.setattr(
        "django.contrib.messages.middleware.MessageMiddleware.process_request", lambda self, request: _locked()
    )
    _assert_unavailable_page(client.get(reverse("core:inbox")))
    _assert_unavailable_json(client.get("/api/v1/employees/"))


def _wrapped(cause: Exception, wrapper: type[Exception] = OperationalError) -> Exception:
    exc = wrapper(str(cause))
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize(
    ("cause", "unavailable"),
    [
        (psycopg.errors.LockNotAvailable("lock timeout"), True),
        (psycopg.errors.QueryCanceled("statement timeout"), True),
        (psycopg.errors.AdminShutdown("terminating connection"), True),
        (psycopg.errors.TooManyConnections("too many clients"), True),
        (psycopg.errors.DeadlockDetected("deadlock"), True),
        (psycopg.OperationalError("connection refused"), True),
        (psycopg.errors.UndefinedTable("no such relation"), False),
        (psycopg.errors.NumericValueOutOfRange("out of range"), False),
    ],
)
def test_postgresql_errors_that_mean_try_again(cause, unavailable):
    from sameboat.core.middleware import database_unavailable

    assert database_unavailable(_wrapped(cause)) is unavailable


def test_sqlite_errors_that_mean_try_again():
    from sameboat.core.middleware import database_unavailable

    busy = sqlite3.OperationalError("database is locked")
    busy.sqlite_errorcode = 5  # type: ignore[attr-defined]
    missing = sqlite3.OperationalError("no such table: x")
    missing.sqlite_errorcode = 1  # type: ignore[attr-defined]
    assert database_unavailable(_wrapped(busy))
    assert not database_unavailable(_wrapped(missing))
    assert not database_unavailable(ProgrammingError(LOCKED))


# --- 503: a real lock held by another connection ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_healthz_and_writes_answer_503_while_another_connection_holds_the_sqlite_write_lock(world, client_as):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    name = connection.settings_dict["NAME"]
    client = client_as(world.hq)
    assert client.get(reverse("core:healthz")).status_code == 200
    holder = sqlite3.connect(str(name), uri=str(name).startswith("file:"), isolation_level=None, timeout=1)
    try:
        holder.execute("BEGIN IMMEDIATE")
        # In the shared in-memory test database a lock is per table: write the probe's and the
        # inbox's tables, as a long import would write its own.
        holder.execute("INSERT OR REPLACE INTO core_healthprobe (id, checked_at) VALUES (1, '2020-01-01')")
        holder.execute("UPDATE core_notification SET read_at = NULL WHERE id < 0")
        probe = client.get(reverse("core:healthz"))
        assert probe.status_code == 503
        assert probe.json()["database"] == "error"
        assert int(probe["Retry-After"]) > 0
        _assert_unavailable_page(client.post(reverse("core:inbox_read_all")))
        _assert_unavailable_json(client.post(reverse("core:inbox_read_all"), HTTP_ACCEPT="application/json"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert client.get(reverse("core:healthz")).status_code == 200


@pytest.mark.postgres
def test_healthz_answers_503_while_another_connection_locks_the_probe_table(client):
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("prepare_threshold", None)
    params.pop("context", None)
    with psycopg.connect(**params) as holder:
        holder.execute("LOCK TABLE core_healthprobe IN ACCESS EXCLUSIVE MODE")
        response = client.get(reverse("core:healthz"))
        holder.rollback()
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0


def test_healthz_writes_the_probe_row(client):
    from sameboat.core.models import HealthProbe

    assert client.get(reverse("core:healthz")).status_code == 200
    first = HealthProbe.objects.get(pk=1).checked_at
    assert client.get(reverse("core:healthz")).status_code == 200
    assert HealthProbe.objects.get(pk=1).checked_at >= first


# --- 413: too much data ------------------------------------------------------------------------------


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_a_body_over_the_limit_is_413_for_anonymous_api_callers(caplog, api_as):
    body = "username=x&password=" + "p" * 20_000
    response = api_as().generic("POST", "/api/v1/auth/token/", body, content_type="application/x-www-form-urlencoded")
    assert_error(response, 413, "too_large")
    big_json = '{"username": "x", "password": "' + "p" * 20_000 + '"}'
    assert_error(api_as().generic("POST", "/api/v1/auth/token/", big_json, content_type="application/json"), 413)
    _no_server_errors(caplog)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_a_body_over_the_limit_is_a_413_page(client, caplog):
    body = "username=x&password=" + "p" * 20_000
    response = client.generic("POST", reverse("accounts:login"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert 'data-testid="error-413"' in response.content.decode()
    _no_server_errors(caplog)


TOO_MANY = "&".join(f"f{i}=1" for i in range(1_100))


def test_too_many_fields_is_413_in_the_api(caplog, api_as):
    response = api_as().generic(
        "POST", "/api/v1/auth/token/", TOO_MANY, content_type="application/x-www-form-urlencoded"
    )
    assert_error(response, 413, "too_large")
    _no_server_errors(caplog)


@pytest.mark.parametrize("enforce_csrf", [False, True])
def test_too_many_fields_is_a_413_page(enforce_csrf):
    # With CSRF enforced the middleware reads the form before any view: the 413 comes from
    # the handler400 fallback.
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.cookies["csrftoken"] = "a" * 32
    response = client.generic(
        "POST", reverse("accounts:login"), TOO_MANY, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "too many fields" in response.content.decode()


def test_too_many_query_parameters_is_413(world, api_as):
    assert_error(api_as(world.hq).get("/api/v1/employees/?" + TOO_MANY), 413, "too_large")
    assert Client().get(reverse("accounts:login") + "?" + TOO_MANY).status_code == 413


@override_settings(SAMEBOAT_IMPORT_MAX_BYTES=100_000, DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_an_upload_over_the_import_limit_is_refused_with_the_limit(client_as, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(world.officer_a)
    upload = SimpleUploadedFile("people.csv", b"x" * 300_000, content_type="text/csv")
    response = client.post(reverse("orgs:import_start"), {"kind": "employees", "file": upload})
    assert response.status_code == 413
    assert "The file is 0.3 MB; the limit is 0.1 MB." in response.content.decode()
