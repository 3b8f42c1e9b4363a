"""Today's health returns count the active roster, whichever way the roster changes.

The roster import kept the headcount in step; adding, moving or deactivating a person
through the services (pages and API) did not. Every roster write now sends
``orgs.signals.roster_changed`` and health follows it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sameboat.health.models import DailyReturn
from sameboat.health.services.rollup import returns_ensure
from sameboat.orgs import services
from sameboat.orgs.models import OrgKind
from sameboat.orgs.signals import roster_changed
from tests.factories import make_org

# "Today's" returns: on the fixed day, so a test never counts across midnight.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def headcount(org) -> int:
    return DailyReturn.objects.get(organization=org, day=timezone.localdate()).headcount


@pytest.fixture
def opened(world):
    """Today's returns opened before the roster changes (the usual morning)."""
    world.unit_a2 = make_org(world.company_a, code="CA2", kind=OrgKind.UNIT, name_en="Unit A2", name_zh="甲二单位")
    returns_ensure([world.unit_a1.pk, world.unit_a2.pk], timezone.localdate())
    assert headcount(world.unit_a1) == 1
    assert headcount(world.unit_a2) == 0
    return world


def test_adding_a_person_counts_them_today(opened):
    services.employee_create(actor=opened.officer_a, organization=opened.unit_a1, employee_no="A-900", name="新人")
    assert headcount(opened.unit_a1) == 2


def test_adding_someone_off_the_roster_changes_nothing(opened):
    services.employee_create(
        actor=opened.officer_a, organization=opened.unit_a1, employee_no="A-901", name="离职", is_active=False
    )
    assert headcount(opened.unit_a1) == 1


def test_deactivating_and_reactivating_follow(opened):
    services.employee_update(actor=opened.officer_a, employee=opened.employee_a, is_active=False)
    assert headcount(opened.unit_a1) == 0
    services.employee_update(actor=opened.officer_a, employee=opened.employee_a, is_active=True)
    assert headcount(opened.unit_a1) == 1


def test_moving_a_person_moves_the_count(opened):
    services.employee_update(actor=opened.officer_a, employee=opened.employee_a, organization=opened.unit_a2)
    assert (headcount(opened.unit_a1), headcount(opened.unit_a2)) == (0, 1)


def test_a_change_that_leaves_the_roster_alone_sends_nothing(opened):
    sent: list[set[int]] = []

    def listen(*, organization_ids, **_kwargs):
        sent.append(organization_ids)

    roster_changed.connect(listen)
    try:
        services.employee_update(actor=opened.officer_a, employee=opened.employee_a, title="Engineer")
        assert sent == []
        services.employee_update(actor=opened.officer_a, employee=opened.employee_a, is_active=False)
        assert sent == [{opened.unit_a1.pk}]
    finally:
        roster_changed.disconnect(listen)


def test_the_api_path_follows_too(api_as, opened):
    api = api_as(opened.officer_a)
    created = api.post("/api/v1/employees/", {"employee_no": "A-902", "name": "接口", "unit": "CA2"}, format="json")
    assert created.status_code == 201, created.content
    assert headcount(opened.unit_a2) == 1
    changed = api.patch(f"/api/v1/employees/{created.json()['id']}/", {"is_active": False}, format="json")
    assert changed.status_code == 200, changed.content
    assert headcount(opened.unit_a2) == 0


def test_the_person_page_path_follows_too(client_as, opened):
    client = client_as(opened.officer_a)
    page = client.post(
        f"/orgs/{opened.unit_a1.pk}/people/add",
        {"employee_no": "A-903", "name": "页面", "is_active": "on"},
    )
    assert page.status_code == 302, page.content[:2000]
    assert headcount(opened.unit_a1) == 2
