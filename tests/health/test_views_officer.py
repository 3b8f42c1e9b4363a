"""The officer's follow-up pages: scope, writes, audit."""

from __future__ import annotations

import re

import pytest

from sameboat.core.models import AuditEvent, Notification
from sameboat.health.models import FollowUpCase, Quarantine
from sameboat.health.services.checkins import checkin_submit
from sameboat.health.services.followup import quarantine_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def fever_case(hworld, today):
    checkin_submit(
        actor=None,
        employee=hworld.employee_a,
        day=today,
        temperature="38.2",
        region=hworld.regions["home"],
        work_status="cloud",
    )
    return FollowUpCase.objects.get(employee=hworld.employee_a)


def test_case_list_and_detail_are_scoped(client, hworld, fever_case):
    client.force_login(hworld.officer_a)
    assert f'data-testid="case-row-{fever_case.pk}"'.encode() in client.get("/health/followup/").content
    page = client.get(f"/health/followup/{fever_case.pk}/")
    assert page.status_code == 200 and b"38.2" in page.content
    assert AuditEvent.objects.filter(action="health.checkin.viewed", actor=hworld.officer_a).exists()
    client.force_login(hworld.officer_b)
    assert f"case-row-{fever_case.pk}".encode() not in client.get("/health/followup/").content
    assert client.get(f"/health/followup/{fever_case.pk}/").status_code == 404
    assert client.get(f"/health/people/{hworld.employee_a.pk}/checkins/").status_code == 404
    client.logout()
    assert client.get("/health/followup/").status_code == 302


def test_status_change_is_audited_and_viewer_is_refused(client, hworld, fever_case):
    client.force_login(hworld.viewer_a)
    assert client.post(f"/health/followup/{fever_case.pk}/", {"status": "suspected"}).status_code == 403
    client.force_login(hworld.officer_a)
    response = client.post(f"/health/followup/{fever_case.pk}/", {"status": "suspected", "note": "called"})
    assert response.status_code == 302
    fever_case.refresh_from_db()
    assert fever_case.status == "suspected"
    assert AuditEvent.objects.filter(action="health.case.status_changed", object_id=str(fever_case.pk)).exists()
    client.post(f"/health/followup/{fever_case.pk}/", {"text": "test negative"})
    assert fever_case.notes.filter(text="test negative").exists()


def test_quarantine_create_release_and_scope(client, hworld, today):
    client.force_login(hworld.officer_a)
    response = client.post(
        "/health/quarantines/new", {"employee_no": "B-001", "start": today, "place": "home", "reason": "contact"}
    )
    assert response.status_code == 200 and b"No employee with this number" in response.content
    response = client.post(
        "/health/quarantines/new", {"employee_no": "A-001", "start": today, "place": "home", "reason": "contact"}
    )
    q = Quarantine.objects.get(employee=hworld.employee_a)
    assert response.status_code == 302 and q.planned_end > today
    assert f"quarantine-row-{q.pk}".encode() in client.get("/health/quarantines/").content
    client.force_login(hworld.officer_b)
    assert client.get(f"/health/quarantines/{q.pk}/").status_code == 404
    client.force_login(hworld.officer_a)
    client.post(f"/health/quarantines/{q.pk}/", {"action": "release", "released_on": today})
    q.refresh_from_db()
    assert q.released_on == today


def test_proposed_quarantine_confirm_and_dismiss(client, hworld, today):
    q = quarantine_start(actor=None, employee=hworld.employee_a, start=today, reason="arrival", proposed=True)
    client.force_login(hworld.officer_a)
    response = client.post(f"/health/quarantines/{q.pk}/", {"action": "dismiss", "reason": ""})
    assert response.status_code == 200  # the reason is required
    client.post(f"/health/quarantines/{q.pk}/", {"action": "confirm"})
    q.refresh_from_db()
    assert not q.proposed


def test_missing_list_and_remind(client, hworld, today, django_capture_on_commit_callbacks):
    client.force_login(hworld.officer_a)
    page = client.get(f"/health/missing/?org={hworld.company_a.pk}").content.decode()
    assert "A-001" in page and "B-001" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/health/missing/remind", {"org": hworld.company_a.pk, "day": today.isoformat()})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=hworld.employee_user, event="health.checkin.reminder").exists()
    assert client.post("/health/missing/remind", {"org": hworld.company_b.pk}).status_code == 404
    client.force_login(hworld.viewer_a)
    assert client.post("/health/missing/remind", {"org": hworld.company_a.pk}).status_code == 403


def test_case_list_query_count_is_pinned(client, hworld, today, django_assert_max_num_queries):
    from tests.factories import make_employee

    for _ in range(15):
        employee = make_employee(hworld.unit_a1)
        checkin_submit(
            actor=None,
            employee=employee,
            day=today,
            temperature="38.0",
            region=hworld.regions["home"],
            work_status="cloud",
        )
    client.force_login(hworld.officer_a)
    with django_assert_max_num_queries(12):
        html = client.get("/health/followup/").content.decode()
    assert html.count('data-testid="case-row-') == 15
    assert not re.search(r"<script[^>]*>\s*[^<\s]", html) and " style=" not in html
