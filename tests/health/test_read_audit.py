"""Reads of other people's health values: one audit event per request naming what was read
(record ids, people, filter), in the trail of whoever oversees those people."""

from __future__ import annotations

import pytest

from sameboat.accounts.selectors import audit_event_list
from sameboat.core.models import AuditEvent
from sameboat.health.models import CaseNote, FollowUpCase
from sameboat.health.services.checkins import checkin_submit
from sameboat.health.services.followup import quarantine_start

pytestmark = pytest.mark.django_db


def report(w, employee, day, temperature="36.6"):
    checkin, _ = checkin_submit(
        actor=None, employee=employee, day=day, temperature=temperature, region=w.regions["home"], work_status="cloud"
    )
    return checkin


def new_events(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=since).order_by("pk"))


def last_pk() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_a_list_read_is_one_event_with_the_ids_people_and_filter(hworld, today, api_as):
    a = report(hworld, hworld.employee_a, today)
    b = report(hworld, hworld.employee_b, today)
    since = last_pk()
    rows = api_as(hworld.hq).get(f"/api/v1/checkins/?day={today.isoformat()}").json()["results"]
    assert {r["id"] for r in rows} == {a.pk, b.pk}
    [event] = new_events(since)
    assert event.action == "health.checkins.read" and event.actor_id == hworld.hq.pk
    assert sorted(event.after["read"]["checkins"]) == sorted([a.pk, b.pk])
    assert event.after["count"] == 2
    assert event.after["employees"] == sorted([hworld.employee_a.pk, hworld.employee_b.pk])
    assert event.after["filter"] == {"day": today.isoformat()}
    # The values themselves stay out of the trail.
    assert "36.6" not in str(event.after)
    # Both companies' people: the event belongs to the group, in its commander's trail.
    assert event.organization_id == hworld.group.pk
    assert event in audit_event_list(user=hworld.hq)
    # One person: the event is about them, in their unit.
    since = last_pk()
    assert api_as(hworld.officer_a).get(f"/api/v1/checkins/{a.pk}/").status_code == 200
    [event] = new_events(since)
    assert (event.object_type, event.object_id) == ("orgs.employee", str(hworld.employee_a.pk))
    assert event.organization_id == hworld.unit_a1.pk and event.after["read"] == {"checkins": [a.pk]}


def test_reading_your_own_values_is_not_recorded(client_as, hworld, today, api_as):
    own = report(hworld, hworld.employee_a, today, temperature="38.3")
    quarantine = quarantine_start(actor=None, employee=hworld.employee_a, start=today, reason="own")
    since = last_pk()
    person = api_as(hworld.employee_user)
    assert [r["id"] for r in person.get("/api/v1/checkins/").json()["results"]] == [own.pk]
    assert person.get(f"/api/v1/checkins/{own.pk}/").status_code == 200
    assert person.get(f"/api/v1/quarantines/{quarantine.pk}/").status_code == 200
    client = client_as(hworld.employee_user)
    assert b"38.3" in client.get("/health/me/").content
    assert client.get(f"/health/quarantines/{quarantine.pk}/").status_code == 200
    assert new_events(since) == []
    # An empty list reads nobody's values: nothing to record either.
    assert api_as(hworld.officer_b).get("/api/v1/checkins/").json()["results"] == []
    assert new_events(since) == []
    # HQ reading the list with two people in it: recorded.
    report(hworld, hworld.employee_b, today)
    since = last_pk()
    assert len(api_as(hworld.hq).get("/api/v1/checkins/").json()["results"]) == 2
    assert [e.action for e in new_events(since)] == ["health.checkins.read"]


def test_the_case_page_is_one_event_naming_the_case_checkins_notes_and_quarantine(client_as, hworld, today):
    checkin = report(hworld, hworld.employee_a, today, temperature="38.4")
    case = FollowUpCase.objects.get(employee=hworld.employee_a)
    note = CaseNote.objects.create(case=case, text="called, resting")
    quarantine = quarantine_start(actor=None, employee=hworld.employee_a, start=today, reason="contact")
    client = client_as(hworld.officer_a)
    since = last_pk()
    page = client.get(f"/health/followup/{case.pk}/").content.decode()
    assert "38.4" in page and "called, resting" in page
    [event] = new_events(since)
    assert event.action == "health.cases.read" and event.object_id == str(hworld.employee_a.pk)
    assert event.after["read"] == {
        "cases": [case.pk],
        "checkins": [checkin.pk],
        "quarantines": [quarantine.pk],
        "notes": [note.pk],
    }


def test_a_filtered_page_names_its_filter(client_as, hworld, today):
    report(hworld, hworld.employee_a, today, temperature="38.4")
    report(hworld, hworld.employee_b, today, temperature="38.5")
    client = client_as(hworld.hq)
    since = last_pk()
    page = client.get(f"/health/followup/?org={hworld.company_a.pk}&status=watch").content.decode()
    assert hworld.employee_a.name in page and hworld.employee_b.name not in page
    [event] = new_events(since)
    assert event.after["filter"] == {"org": str(hworld.company_a.pk), "status": "watch"}
    assert event.organization_id == hworld.company_a.pk  # the filter's organisation
    assert event.after["employees"] == [hworld.employee_a.pk]


@pytest.mark.parametrize("url", ["/api/v1/checkins/", "/api/v1/cases/", "/api/v1/quarantines/"])
def test_an_audited_api_list_costs_the_same_queries_however_many_people_it_shows(
    hworld, today, url, django_assert_num_queries, api_as
):
    """Memberships, count, page, then the one audit insert and the look-up of the
    organisation above both companies' people (5 queries)."""
    from tests.factories import make_employee

    def grow(n: int) -> None:
        for i in range(n):
            employee = make_employee(hworld.unit_a1 if i % 2 else hworld.unit_b1)
            report(hworld, employee, today, temperature="38.2")
            quarantine_start(actor=None, employee=employee, start=today, reason="contact")

    grow(3)
    fresh = type(hworld.hq).objects.get(pk=hworld.hq.pk)
    with django_assert_num_queries(5):
        small = api_as(fresh).get(url)
    assert small.status_code == 200
    grow(20)
    fresh = type(hworld.hq).objects.get(pk=hworld.hq.pk)
    with django_assert_num_queries(5):
        large = api_as(fresh).get(url)
    assert large.status_code == 200
    assert len(small.json()["results"]) == 3 and len(large.json()["results"]) == 23
