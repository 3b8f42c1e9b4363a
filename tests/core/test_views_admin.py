"""The admin site: superusers only; the audit trail cannot be edited there."""

from __future__ import annotations

import pytest
from django.urls import reverse

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


def test_staff_without_superuser_is_kept_out(client_as, world):
    world.hq.is_staff = True
    world.hq.save()
    client = client_as(world.hq)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response.url


def test_superuser_gets_in(client_as, superuser):
    client = client_as(superuser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Sameboat" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "admin:orgs_organization_changelist",
        "admin:orgs_region_changelist",
        "admin:orgs_employee_changelist",
        "admin:orgs_leadershipgroup_changelist",
        "admin:accounts_user_changelist",
        "admin:accounts_membership_changelist",
        "admin:core_job_changelist",
        "admin:core_notification_changelist",
        "admin:core_auditevent_changelist",
    ],
)
def test_every_model_is_registered(client_as, world, superuser, name):
    client = client_as(superuser)
    assert client.get(reverse(name)).status_code == 200


def test_audit_events_are_read_only(client_as, world, superuser):
    event = audit_record(actor=world.hq, action="tests.thing.done", obj=world.company_a)
    client = client_as(superuser)
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    response = client.post(reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    change = client.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()


def test_admin_changes_are_audited(client_as, world, superuser):
    client = client_as(superuser)
    response = client.post(
        reverse("admin:orgs_employee_change", args=[world.employee_a.pk]),
        {
            "organization": world.unit_a1.pk,
            "group": world.group.pk,
            "employee_no": "A-001",
            "name": "张三 (admin)",
            "is_active": "on",
            "user": world.employee_user.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="admin.orgs.employee.changed")
    assert event.before == {"name": "张三"} and event.after == {"name": "张三 (admin)"}


def test_admin_adds_an_organisation_in_the_tree(client_as, world, superuser):
    client = client_as(superuser)
    response = client.post(
        reverse("admin:orgs_organization_add"),
        {
            "code": "CA7",
            "name_zh": "甲七",
            "name_en": "Unit A7",
            "kind": "unit",
            "country": "CN",
            "is_active": "on",
            "treebeard_position": "sorted-child",
            "treebeard_ref_node": world.company_a.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    org = Organization.objects.get(code="CA7")
    assert Organization.objects.get_parent(org) == world.company_a
    assert AuditEvent.objects.filter(action="admin.orgs.organization.added", object_id=str(org.pk)).exists()
