"""API tokens (django-rest-knox): hashed at rest, expiring, revoked on request, on a
password change by any path and on deactivation; the one-query lookup answers as knox."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from knox import auth as knox_auth
from knox.models import AuthToken
from rest_framework import exceptions
from rest_framework.test import APIClient

from sameboat.accounts.services import api_token_issue
from sameboat.api.authentication import TokenAuthentication
from sameboat.core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"
NEW_PASSWORD = "a-new-long-pass-42"


def _request_token(username: str = "officer_a", password: str = PASSWORD) -> dict:
    response = APIClient().post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _works(token: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/organizations/").status_code == 200


def test_the_database_holds_only_a_digest_of_the_token(world):
    token = _request_token()["token"]
    assert _works(token)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuthToken._meta.db_table}")
        rows = cursor.fetchall()
    assert len(rows) == 1
    stored = " ".join(str(value) for value in rows[0])
    assert token not in stored
    # Only the first characters (the look-up key) are kept in clear.
    assert token[15:] not in stored
    # The old plain-text table is gone.
    assert "authtoken_token" not in connection.introspection.table_names()


def test_a_token_expires(world, settings):
    body = _request_token()
    expiry = datetime.datetime.fromisoformat(body["expiry"])
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert abs((expiry - timezone.now()) - ttl) < datetime.timedelta(minutes=1)
    assert _works(body["token"])
    AuthToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert not _works(body["token"])


def test_delete_revokes_this_token_or_all(world):
    first, second, third = (_request_token()["token"] for _ in range(3))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert not _works(first) and _works(second)
    client.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert client.delete("/api/v1/auth/token/?all=true").status_code == 204
    assert not _works(second) and not _works(third)
    assert not AuthToken.objects.exists()


def test_issuing_drops_expired_tokens_and_keeps_a_bounded_number(world, settings):
    settings.SAMEBOAT_API_TOKENS_PER_USER = 3
    old, *_rest = (_request_token()["token"] for _ in range(3))
    AuthToken.objects.filter(token_key=old[:15]).update(expiry=timezone.now() - datetime.timedelta(hours=1))
    for _ in range(4):
        api_token_issue(user=world.officer_a)
    assert AuthToken.objects.filter(user=world.officer_a).count() == 3


# --- Revoked when the password changes (every path) or the login is deactivated ---------------


def _assert_revoked_and_audited(user, token: str, actor) -> None:
    assert not _works(token)
    assert not AuthToken.objects.filter(user=user).exists()
    event = AuditEvent.objects.get(action="accounts.password.changed")
    assert event.object_id == str(user.pk)
    assert event.actor_id == (actor.pk if actor is not None else None)
    assert event.after == {"usable": True, "api_tokens_revoked": 1}
    payload = f"{event.before} {event.after}"
    assert NEW_PASSWORD not in payload and "pbkdf2" not in payload and "md5$" not in payload


def test_password_change_page_revokes_tokens(client_as, world):
    token = _request_token()["token"]
    client = client_as(world.officer_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    _assert_revoked_and_audited(world.officer_a, token, actor=world.officer_a)


def test_password_reset_revokes_tokens(client, world):
    token = _request_token()["token"]
    client.post(reverse("accounts:password_reset"), {"email": world.officer_a.email})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body).group(1)
    confirm = client.get(link, follow=True)
    done = client.post(confirm.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    _assert_revoked_and_audited(world.officer_a, token, actor=world.officer_a)


@pytest.fixture
def superuser(db):
    user = UserFactory(username="root")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def test_admin_password_change_revokes_tokens(client_as, world, superuser):
    token = _request_token()["token"]
    client = client_as(superuser)
    url = reverse("admin:auth_user_password_change", args=[world.officer_a.pk])
    response = client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}, follow=False
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    _assert_revoked_and_audited(world.officer_a, token, actor=superuser)


def test_set_password_in_code_revokes_tokens(world):
    token = _request_token()["token"]
    user = get_user_model().objects.get(pk=world.officer_a.pk)
    user.set_password(NEW_PASSWORD)
    user.save()
    _assert_revoked_and_audited(world.officer_a, token, actor=None)


def test_deactivation_revokes_tokens(world):
    token = _request_token()["token"]
    user = get_user_model().objects.get(pk=world.officer_a.pk)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not AuthToken.objects.filter(user=user).exists()
    assert not _works(token)
    event = AuditEvent.objects.get(action="accounts.api_token.revoked")
    assert event.after["reason"] == "deactivated"
    assert not AuditEvent.objects.filter(action="accounts.password.changed").exists()


def test_admin_deactivation_revokes_tokens(client_as, world, superuser):
    token = _request_token()["token"]
    client = client_as(superuser)
    url = reverse("admin:accounts_user_change", args=[world.officer_a.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {
            "is_active": "",
            "date_joined_0": timezone.localtime(world.officer_a.date_joined).strftime("%Y-%m-%d"),
            "date_joined_1": timezone.localtime(world.officer_a.date_joined).strftime("%H:%M:%S"),
            "groups": [],
            "user_permissions": [],
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        }
    )
    data = {k: v for k, v in data.items() if k not in {"is_active", "last_login", "date_joined"}}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    world.officer_a.refresh_from_db()
    assert not world.officer_a.is_active
    assert not _works(token)
    event = AuditEvent.objects.get(action="accounts.api_token.revoked", after__reason="deactivated")
    assert event.actor_id == superuser.pk


def test_other_saves_of_a_user_keep_their_tokens(world):
    token = _request_token()["token"]
    user = get_user_model().objects.get(pk=world.officer_a.pk)
    user.display_name = "Officer A"
    user.save()
    assert _works(token)
    assert not AuditEvent.objects.filter(action="accounts.password.changed").exists()


# --- The one-query lookup answers exactly as knox's own authentication ------------------------


def _outcome(authenticator, token: str):
    try:
        user, auth_token = authenticator.authenticate_credentials(token.encode())
    except exceptions.AuthenticationFailed as exc:
        return ("refused", str(exc.detail))
    return ("accepted", user.pk, auth_token.digest, auth_token.expiry)


def _cases(world) -> dict[str, str]:
    _instance, valid = AuthToken.objects.create(user=world.officer_a)
    expired_instance, expired = AuthToken.objects.create(user=world.hq)
    expired_instance.expiry = timezone.now() - datetime.timedelta(minutes=1)
    expired_instance.save()
    _instance, inactive = AuthToken.objects.create(user=world.viewer_a)
    get_user_model().objects.filter(pk=world.viewer_a.pk).update(is_active=False)
    _instance, forever = AuthToken.objects.create(user=world.officer_b, expiry=None)
    wrong_digest = valid[:15] + ("0" if valid[15] != "0" else "1") + valid[16:]
    return {
        "valid": valid,
        "expired": expired,
        "wrong digest": wrong_digest,
        "inactive user": inactive,
        "no expiry": forever,
        "unknown": "f" * 64,
        "short": "abc",
    }


def test_fast_lookup_answers_as_knox(world):
    cases = _cases(world)
    ours = {name: _outcome(TokenAuthentication(), token) for name, token in cases.items()}
    # knox deletes an expired token as it refuses it: ask it second.
    theirs = {name: _outcome(knox_auth.TokenAuthentication(), token) for name, token in cases.items()}
    assert ours == theirs
    assert ours["valid"][0] == "accepted" and ours["no expiry"][0] == "accepted"
    assert {name for name, outcome in ours.items() if outcome[0] == "refused"} == {
        "expired",
        "wrong digest",
        "inactive user",
        "unknown",
        "short",
    }


def test_fast_lookup_is_one_query(world):
    _instance, token = AuthToken.objects.create(user=world.officer_a)
    with CaptureQueriesContext(connection) as queries:
        user, _auth = TokenAuthentication().authenticate_credentials(token.encode())
    assert user.pk == world.officer_a.pk
    assert len(queries) == 1
