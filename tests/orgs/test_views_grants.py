"""The membership form on an organisation's page (issue 7): it offers only the roles the
person may grant there, and a refused grant (forged or not) is a message on the page, is
audited and stores nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from sameboat.accounts.models import Membership
from sameboat.accounts.roles import Role
from sameboat.core.models import AuditEvent
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_a(world):
    user = UserFactory(username="manager_a")
    grant(user, world.company_a, Role.UNIT_MANAGER)
    return user


def _roles_offered(response) -> set[str]:
    form = response.context["grant_form"]
    return {value for value, _label in form.fields["role"].choices}


def test_the_form_offers_only_grantable_roles(client_as, world, manager_a):
    client = client_as(manager_a)
    offered = _roles_offered(client.get(reverse("orgs:detail", args=[world.unit_a1.pk])))
    assert offered == {Role.UNIT_MANAGER, Role.UNIT_OFFICER, Role.VIEWER, Role.EMPLOYEE}
    client = client_as(world.hq)
    assert _roles_offered(client.get(reverse("orgs:detail", args=[world.unit_a1.pk]))) == set(Role.values)


@pytest.mark.parametrize(
    ("username", "role", "words"),
    [
        ("manager_a", Role.HQ_COMMANDER, "Only HQ of the whole tree"),  # the reported attack
        ("nobody", Role.HQ_COMMANDER, "Only HQ of the whole tree"),  # an accomplice
        ("nobody", Role.SUPPLIES_OFFICER, "at or below your own"),
        ("manager_a", Role.VIEWER, "to themselves"),
    ],
)
def test_a_refused_grant_is_a_message_audited_and_stores_nothing(client_as, world, manager_a, username, role, words):
    client = client_as(manager_a)
    count = Membership.objects.count()
    response = client.post(
        reverse("orgs:member_grant", args=[world.company_a.pk]), {"username": username, "role": role}, follow=True
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    assert Membership.objects.count() == count
    event = AuditEvent.objects.get(action="accounts.membership.grant_refused")
    assert event.actor == manager_a and event.organization == world.company_a
    assert event.after["user"] == username and event.after["role"] == role


def test_an_allowed_grant_still_works(client_as, world, manager_a):
    client = client_as(manager_a)
    client.post(reverse("orgs:member_grant", args=[world.unit_a1.pk]), {"username": "nobody", "role": "unit_officer"})
    assert Membership.objects.filter(user=world.nobody, organization=world.unit_a1, role="unit_officer").exists()


def test_a_non_administrator_gets_403_and_the_attempt_is_audited(client_as, world):
    client = client_as(world.viewer_a)
    response = client.post(
        reverse("orgs:member_grant", args=[world.company_a.pk]), {"username": "viewer_a", "role": "hq_commander"}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=world.viewer_a, role="hq_commander").exists()
    assert AuditEvent.objects.get(action="accounts.membership.grant_refused").after["reason"] == "out_of_scope"


def test_revoking_ones_own_role_or_a_higher_one_is_a_message(client_as, world, manager_a):
    own = Membership.objects.get(user=manager_a)
    hq = Membership.objects.get(user=world.hq)
    officer = Membership.objects.get(user=world.officer_a)
    client = client_as(manager_a)
    response = client.post(reverse("orgs:member_revoke", args=[world.company_a.pk, own.pk]), follow=True)
    assert "take away their own" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()
    # HQ's membership is on the group, out of the manager's sight: 404 as ever.
    assert client.post(reverse("orgs:member_revoke", args=[world.group.pk, hq.pk])).status_code == 404
    assert Membership.objects.filter(pk=hq.pk).exists()
    response = client.post(reverse("orgs:member_revoke", args=[world.company_a.pk, officer.pk]), follow=True)
    assert "The role was taken away" in response.content.decode()
    assert AuditEvent.objects.filter(action="accounts.membership.revoke_refused").count() == 1


def test_the_admin_is_no_way_around_the_rule(client_as, world, manager_a):
    """Only active superusers reach the admin: staff with every Membership permission are
    sent to the login page and store nothing."""
    manager_a.is_staff = True
    manager_a.save()
    manager_a.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    client = client_as(manager_a)
    url = reverse("admin:accounts_membership_add")
    assert client.get(url).status_code == 302
    body = {"user": manager_a.pk, "organization": world.group.pk, "role": "hq_commander"}
    response = client.post(url, body)
    assert response.status_code == 302 and "login" in response.url
    assert not Membership.objects.filter(user=manager_a, role="hq_commander").exists()


def test_revoke_buttons_only_for_what_one_may_revoke(client_as, world, manager_a):
    supplies = grant(UserFactory(username="supplies_a"), world.company_a, Role.SUPPLIES_OFFICER)
    officer = Membership.objects.get(user=world.officer_a)
    own = Membership.objects.get(user=manager_a)
    client = client_as(manager_a)
    html = client.get(reverse("orgs:detail", args=[world.company_a.pk])).content.decode()
    assert f'data-testid="member-revoke-{officer.pk}"' in html
    assert f'data-testid="member-revoke-{supplies.pk}"' not in html
    assert f'data-testid="member-revoke-{own.pk}"' not in html
