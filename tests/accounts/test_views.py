"""Account pages: login and lockout, logout, password change and reset, profile."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from sameboat.core.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"


def test_login_page_renders(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'data-testid="login-form"' in response.content.decode()


def test_login_with_good_password_goes_to_the_dashboard(client, world):
    response = client.post(reverse("accounts:login"), {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200


def test_login_applies_the_preferred_language(client, world):
    world.officer_a.language = "zh-hans"
    world.officer_a.save()
    response = client.post(reverse("accounts:login"), {"username": "officer_a", "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"


def test_login_with_bad_password_shows_an_error(client, world):
    response = client.post(reverse("accounts:login"), {"username": "officer_a", "password": "nope"})
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in response.content.decode()


def test_five_failures_show_the_locked_out_page(client, world):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "officer_a", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert 'data-testid="locked-out"' in response.content.decode()


def test_logout_needs_post_and_ends_the_session(client_as, world):
    client = client_as(world.officer_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_password_change(client_as, world):
    client = client_as(world.officer_a)
    assert client.get(reverse("accounts:password_change")).status_code == 200
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-pass-42",
            "new_password2": "a-new-long-pass-42",
        },
    )
    assert response.status_code == 302 and response.url == reverse("accounts:password_change_done")
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password("a-new-long-pass-42")
    assert client.get(response.url).status_code == 200


def test_password_change_needs_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_password_reset_by_email(client, world):
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    response = client.post(reverse("accounts:password_reset"), {"email": world.officer_a.email})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert client.get(response.url).status_code == 200
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body).group(1)
    confirm = client.get(link, follow=True)
    assert confirm.status_code == 200 and confirm.context["validlink"]
    done = client.post(
        confirm.redirect_chain[-1][0],
        {
            "new_password1": "reset-long-pass-77",
            "new_password2": "reset-long-pass-77",
        },
    )
    assert done.status_code == 302 and done.url == reverse("accounts:password_reset_complete")
    assert client.get(done.url).status_code == 200
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password("reset-long-pass-77")


def test_password_reset_with_a_bad_link(client, world):
    response = client.get(reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]))
    assert 'data-testid="password-reset-invalid"' in response.content.decode()


def test_profile_lists_my_memberships(client_as, world):
    client = client_as(world.officer_a)
    response = client.get(reverse("accounts:profile"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Company A" in html and 'data-testid="profile-membership"' in html
    assert "Company B" not in html


def test_profile_saves_the_language_and_audits_it(client_as, world):
    client = client_as(world.officer_a)
    response = client.post(reverse("accounts:profile"), {"language": "zh-hans"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    world.officer_a.refresh_from_db()
    assert world.officer_a.language == "zh-hans"
    event = AuditEvent.objects.get(action="accounts.user.language_set")
    assert event.after == {"language": "zh-hans"}


def test_profile_refuses_an_unknown_language(client_as, world):
    client = client_as(world.officer_a)
    response = client.post(reverse("accounts:profile"), {"language": "xx"})
    assert response.status_code == 200
    assert response.context["form"].errors
    world.officer_a.refresh_from_db()
    assert world.officer_a.language == ""


def test_profile_needs_login(client):
    assert client.get(reverse("accounts:profile")).status_code == 302
