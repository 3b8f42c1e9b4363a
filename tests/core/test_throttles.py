"""Throttles answer 429 with Retry-After (login page, token endpoint, imports, exports;
check-in edits: tests/health/test_checkin_throttle.py); failed logins are counted per
address across user names; a lockout behind a trusted proxy locks the client, not
everyone behind the proxy."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from sameboat.core.throttle import Throttled, parse_rate, throttle_count, throttle_hit
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"
PROXY = "10.0.0.1"


def _rates(settings, **rates):
    settings.SAMEBOAT_THROTTLE_RATES = {**settings.SAMEBOAT_THROTTLE_RATES, **rates}


def _assert_throttled_page(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert 'data-testid="throttled"' in response.content.decode()


def _assert_throttled_api(response):
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) >= 1


def _login(client, username, password="wrong", **meta):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **meta)


def _token(username, password="wrong", **meta):
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": password}, format="json", **meta)


# --- The helper ---------------------------------------------------------------------------------


def test_rates_parse():
    assert parse_rate("10/min").seconds == 60
    assert parse_rate("20/15min").seconds == 900
    assert parse_rate("5/hour").count == 5
    assert parse_rate("") is None


def test_counters_work_on_the_database_cache(settings):
    """Without Redis the counters live in the database cache table the migration made."""
    _rates(settings, export="2/hour")
    db_cache = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "sameboat_cache"}}
    with override_settings(CACHES=db_cache):
        assert throttle_count("export", "user:1") is None
        assert throttle_count("export", "user:1") is None
        with pytest.raises(Throttled) as refused:
            throttle_hit("export", "user:1")
        assert 1 <= refused.value.wait <= 3600
        assert throttle_count("export", "user:2") is None
        cache.clear()


# --- Login page and token endpoint ---------------------------------------------------------------


def test_login_page_is_throttled_per_address(client, world, settings):
    _rates(settings, login="3/min")
    for _ in range(3):
        assert _login(client, "hq").status_code == 200
    _assert_throttled_page(_login(client, "hq", PASSWORD))
    # Another address is not affected.
    assert _login(client, "hq", PASSWORD, REMOTE_ADDR="198.51.100.20").status_code == 302


def test_the_throttled_page_speaks_the_users_language(client, world, settings):
    _rates(settings, login="1/min")
    _login(client, "hq")
    response = client.post(
        reverse("accounts:login"), {"username": "hq", "password": "x"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    _assert_throttled_page(response)
    with translation.override("zh-hans"):
        assert translation.gettext("Too many requests") in response.content.decode()


def test_token_endpoint_is_throttled_per_address(world, settings):
    _rates(settings, token="3/min")
    for _ in range(3):
        assert _token("hq").status_code == 400
    _assert_throttled_api(_token("hq", PASSWORD))
    assert _token("hq", PASSWORD, REMOTE_ADDR="198.51.100.20").status_code == 200


def test_thirty_user_names_from_one_address_are_blocked(client, world, settings):
    """Default rates: the failures of many names add up per address, on the page and the API."""
    statuses = [_login(client, f"guess{n}").status_code for n in range(15)]
    statuses += [_token(f"guess{n}").status_code for n in range(15, 30)]
    # Refused from the first attempt past the failure budget (default 20 per 15 minutes),
    # although every name was tried only once.
    budget = parse_rate(settings.SAMEBOAT_THROTTLE_RATES["auth_failures"]).count
    assert budget < 30
    assert statuses.index(429) == budget
    assert all(s == 429 for s in statuses[budget:])
    # Even a right password is refused from that address now, on both doors...
    _assert_throttled_page(_login(client, "hq", PASSWORD))
    _assert_throttled_api(_token("hq", PASSWORD))
    # ...while everyone else logs in.
    assert _login(client, "hq", PASSWORD, REMOTE_ADDR="198.51.100.20").status_code == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, TRUSTED_PROXIES=[PROXY])
def test_a_lockout_behind_the_proxy_locks_the_client_not_everyone(client, world):
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    owner = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for _ in range(3):
        _login(client, "hq", **attacker)
    # The attacker's client is locked out of "hq", even with the right password...
    locked = _login(client, "hq", PASSWORD, **attacker)
    assert locked.status_code == 429 and 'data-testid="locked-out"' in locked.content.decode()
    locked_api = _token("hq", PASSWORD, **attacker)
    assert_error(locked_api, 429, "locked_out")
    assert int(locked_api["Retry-After"]) >= 1
    # ...but the real user, through the same proxy, is not.
    assert _login(client, "hq", PASSWORD, **owner).status_code == 302
    assert _token("hq", PASSWORD, **owner).status_code == 200


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, TRUSTED_PROXIES=[PROXY])
def test_an_untrusted_peers_forwarded_header_is_ignored(client, world):
    """A client that is not our proxy cannot dodge its lockout by inventing addresses."""
    for n in range(3):
        _login(client, "hq", REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    locked = _login(client, "hq", PASSWORD, REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert locked.status_code == 429 and 'data-testid="locked-out"' in locked.content.decode()


# --- Imports and exports -------------------------------------------------------------------------


def test_starting_imports_is_throttled(client_as, world, settings):
    _rates(settings, **{"import": "2/hour"})
    client = client_as(world.officer_a)
    for _ in range(2):
        assert client.post("/orgs/import/", {"kind": "employees"}).status_code == 200
    _assert_throttled_page(client.post("/orgs/import/", {"kind": "employees"}))
    # Looking at the page is not starting an import.
    assert client.get("/orgs/import/").status_code == 200


@pytest.mark.parametrize("url", ["/orgs/people/export.csv", "/health/export/returns.csv"])
def test_exports_are_throttled(client_as, world, settings, url):
    _rates(settings, export="2/hour")
    client = client_as(world.hq)
    for _ in range(2):
        assert client.get(url).status_code == 200
    _assert_throttled_page(client.get(url))
    # Per user: somebody else may still export.
    client = client_as(world.officer_a)
    assert client.get(url).status_code == 200
