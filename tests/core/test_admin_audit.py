"""Admin changes that used to fail or leave no trace: a user's groups, moving an
organisation in the tree (both by the change form and by drag and drop)."""

from __future__ import annotations

import datetime
import decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.translation import gettext_lazy

from sameboat.core.audit import audit_record
from sameboat.core.models import AuditEvent
from sameboat.orgs.models import Organization
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    user = UserFactory(username="root")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def _user_form(user, **changes):
    """What the admin's user change page posts back unchanged, plus ``changes``."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "display_name": user.display_name,
        "phone": user.phone,
        "language": user.language,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_changing_a_users_groups_in_the_admin_is_saved_and_audited(client_as, world, superuser):
    old = Group.objects.create(name="old-group")
    first, second = Group.objects.create(name="desk"), Group.objects.create(name="auditors")
    world.viewer_a.groups.add(old)
    client = client_as(superuser)
    response = client.post(
        reverse("admin:accounts_user_change", args=[world.viewer_a.pk]),
        _user_form(world.viewer_a, groups=[second.pk, first.pk]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(world.viewer_a.groups.all()) == {first, second}
    event = AuditEvent.objects.get(action="admin.accounts.user.changed", object_id=str(world.viewer_a.pk))
    assert event.actor == superuser
    # (The form's date_joined drops microseconds, so it may show as changed too.)
    assert event.before["groups"] == [old.pk]
    assert event.after["groups"] == sorted([first.pk, second.pk])


def test_audit_values_of_any_kind_are_stored_as_plain_data(world):
    group = Group.objects.create(name="g")
    world.hq.groups.add(group)
    event = audit_record(
        actor=world.hq,
        action="tests.thing.done",
        obj=world.company_a,
        after={
            "groups": world.hq.groups.all(),
            "manager": world.hq.groups,
            "set": {3, 1, 2},
            "day": datetime.date(2026, 1, 2),
            "amount": decimal.Decimal("1.50"),
            "org": world.company_a,
            "label": gettext_lazy("Name"),
        },
    )
    event.refresh_from_db()
    assert event.after == {
        "groups": [group.pk],
        "manager": [group.pk],
        "set": [1, 2, 3],
        "day": "2026-01-02",
        "amount": "1.50",
        "org": world.company_a.pk,
        "label": "Name",
    }


def test_moving_an_organisation_by_the_admin_change_form_is_audited(client_as, world, superuser):
    client = client_as(superuser)
    org = world.unit_a1
    response = client.post(
        reverse("admin:orgs_organization_change", args=[org.pk]),
        {
            "code": org.code,
            "name_zh": org.name_zh,
            "name_en": org.name_en,
            "kind": org.kind,
            "country": "CN",
            "is_active": "on",
            "treebeard_position": "sorted-child",
            "treebeard_ref_node": world.company_b.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    org.refresh_from_db()
    assert Organization.objects.get_parent(org) == world.company_b
    event = AuditEvent.objects.get(action="admin.orgs.organization.moved", object_id=str(org.pk))
    assert event.actor == superuser
    assert event.before == {"parent": "CA"} and event.after == {"parent": "CB"}


def test_moving_an_organisation_by_drag_and_drop_in_the_admin_is_audited(client_as, world, superuser):
    client = client_as(superuser)
    org = world.unit_a1
    response = client.post(
        reverse("admin:orgs_organization_changelist") + "move/",
        {"node": org.pk, "target": world.company_b.pk, "relation": "child"},
    )
    assert response.status_code == 200, response.content.decode()[:3000]
    org.refresh_from_db()
    assert Organization.objects.get_parent(org) == world.company_b
    event = AuditEvent.objects.get(action="admin.orgs.organization.moved", object_id=str(org.pk))
    assert event.actor == superuser
    assert event.before == {"parent": "CA"} and event.after == {"parent": "CB"}


def test_a_refused_drag_and_drop_leaves_no_move_event(client_as, world, superuser):
    client = client_as(superuser)
    response = client.post(
        reverse("admin:orgs_organization_changelist") + "move/",
        {"node": world.company_a.pk, "target": world.unit_a1.pk, "relation": "child"},
    )
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="admin.orgs.organization.moved").exists()
