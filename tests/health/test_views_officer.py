"""The officer's follow-up pages: scope, writes, audit."""

from __future__ import annotations

import datetime
import re

import pytest

from sameboat.core.models import AuditEvent, Notification
from sameboat.health.models import CaseNote, FollowUpCase, Quarantine
from sameboat.health.services.checkins import checkin_submit
from sameboat.health.services.followup import quarantine_start
from tests.factories import make_employee

pytestmark = pytest.mark.django_db


def fever(w, employee, day, temperature="38.2"):
    checkin_submit(
        actor=None, employee=employee, day=day, temperature=temperature, region=w.regions["home"], work_status="cloud"
    )
    return FollowUpCase.objects.get(employee=employee)


@pytest.fixture
def fever_case(hworld, today):
    return fever(hworld, hworld.employee_a, today)


@pytest.fixture
def sibling_case(hworld, today):
    return fever(hworld, hworld.employee_b, today, temperature="38.7")


def officer_pages(w, case, quarantine) -> list[str]:
    return [
        "/health/followup/",
        f"/health/followup/{case.pk}/",
        "/health/quarantines/",
        f"/health/quarantines/{quarantine.pk}/",
        f"/health/missing/?org={w.company_a.pk}",
        f"/health/people/{w.employee_a.pk}/checkins/",
    ]


def test_every_page_opens_for_officer_and_hq_and_the_aggregates_for_a_viewer(client_as, hworld, today, fever_case):
    q = quarantine_start(actor=None, employee=hworld.employee_a, start=today, reason="contact")
    for user in (hworld.officer_a, hworld.viewer_a, hworld.hq):
        client = client_as(user)
        for url in [*officer_pages(hworld, fever_case, q), "/health/"]:
            response = client.get(url)
            # A viewer sees who has not reported and the returns; no page of health values.
            if user == hworld.viewer_a and url not in (f"/health/missing/?org={hworld.company_a.pk}", "/health/"):
                assert response.status_code == 404, (user, url)
                continue
            assert response.status_code == 200, (user, url)
            html = response.content.decode()
            assert not re.search(r"\sstyle=", html) and not re.search(r"\son[a-z]+=", html), url
            assert 'class="breadcrumb"' in html, url  # a way back from every page
    client = client_as(hworld.officer_a)
    assert client.get("/health/quarantines/new").status_code == 200


def test_anonymous_is_sent_to_the_login_page(client, hworld, today, fever_case):
    q = quarantine_start(actor=None, employee=hworld.employee_a, start=today, reason="contact")
    for url in [*officer_pages(hworld, fever_case, q), "/health/quarantines/new"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    response = client.post("/health/missing/remind", {"org": hworld.company_a.pk})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Notification.objects.exists()


def test_employees_and_people_without_a_role_get_404(client_as, hworld, today, fever_case):
    q = quarantine_start(actor=None, employee=hworld.employee_b, start=today, reason="contact")
    for user in (hworld.employee_user, hworld.nobody):
        client = client_as(user)
        for url in officer_pages(hworld, fever_case, q):
            assert client.get(url).status_code == 404, (user, url)
        assert client.get("/health/quarantines/new").status_code == 404


def test_employee_may_open_their_own_quarantine_only(client_as, hworld, today):
    own = quarantine_start(actor=None, employee=hworld.employee_a, start=today, reason="own-reason")
    other = quarantine_start(actor=None, employee=hworld.employee_b, start=today, reason="other-reason")
    client = client_as(hworld.employee_user)
    page = client.get(f"/health/quarantines/{own.pk}/").content.decode()
    assert "own-reason" in page and 'href="/health/me/"' in page
    assert "quarantine-release-form" not in page  # read-only for the person
    assert client.post(f"/health/quarantines/{own.pk}/", {"action": "release", "released_on": today}).status_code == 403
    assert client.get(f"/health/quarantines/{other.pk}/").status_code == 404


def test_sibling_officer_gets_404_on_detail_pages(client_as, hworld, today, fever_case):
    q = quarantine_start(actor=None, employee=hworld.employee_a, start=today, reason="contact")
    client = client_as(hworld.officer_b)
    assert client.get(f"/health/followup/{fever_case.pk}/").status_code == 404
    assert client.post(f"/health/followup/{fever_case.pk}/", {"status": "cleared"}).status_code == 404
    assert client.get(f"/health/quarantines/{q.pk}/").status_code == 404
    assert client.post(f"/health/quarantines/{q.pk}/", {"action": "release", "released_on": today}).status_code == 404
    assert client.get(f"/health/people/{hworld.employee_a.pk}/checkins/").status_code == 404
    # A filter naming A's company reads as unknown: a message beside the field, B's own list.
    for path in ("/health/missing/", "/health/followup/"):
        response = client.get(path, {"org": hworld.company_a.pk})
        assert response.status_code == 200 and "org" in response.context["filters"].errors
        assert response.context["org"] != hworld.company_a
        assert f"case-row-{fever_case.pk}" not in response.content.decode()
    fever_case.refresh_from_db()
    q.refresh_from_db()
    assert fever_case.status == "watch" and q.released_on is None
    assert not AuditEvent.objects.filter(action__endswith=".read", actor=hworld.officer_b).exists()


def test_case_list_and_detail_are_scoped(client_as, hworld, fever_case, sibling_case):
    client = client_as(hworld.officer_a)
    html = client.get("/health/followup/").content.decode()
    assert f'data-testid="case-row-{fever_case.pk}"' in html
    assert f"case-row-{sibling_case.pk}" not in html and hworld.employee_b.name not in html
    assert "Company B" not in html  # the unit filter lists only organisations in scope
    page = client.get(f"/health/followup/{fever_case.pk}/")
    assert page.status_code == 200 and b"38.2" in page.content
    assert b'data-testid="case-status-form"' in page.content
    # Reading someone's check-ins is recorded in the audit trail.
    assert AuditEvent.objects.filter(action="health.cases.read", actor=hworld.officer_a).exists()
    client = client_as(hworld.officer_b)
    html = client.get("/health/followup/").content.decode()
    assert f"case-row-{fever_case.pk}" not in html and f"case-row-{sibling_case.pk}" in html


def test_case_list_filters_by_unit_and_status(client_as, hworld, today, fever_case, sibling_case):
    client = client_as(hworld.hq)
    html = client.get(f"/health/followup/?org={hworld.company_b.pk}").content.decode()
    assert f"case-row-{sibling_case.pk}" in html and f"case-row-{fever_case.pk}" not in html
    html = client.get("/health/followup/?status=suspected").content.decode()
    assert "case-row-" not in html and "No case matches" in html
    client = client_as(hworld.officer_a)
    client.post(f"/health/followup/{fever_case.pk}/", {"status": "cleared", "note": "fine"})
    assert f"case-row-{fever_case.pk}" not in client.get("/health/followup/").content.decode()
    # Cleared cases are closed: filtering on them shows the closed ones.
    assert f"case-row-{fever_case.pk}" in client.get("/health/followup/?status=cleared").content.decode()
    assert f"case-row-{fever_case.pk}" in client.get("/health/followup/?closed=1").content.decode()
    nope = client.get("/health/followup/?org=nope")
    assert nope.status_code == 200 and "org" in nope.context["filters"].errors


def test_status_change_is_audited_and_viewer_is_refused(client_as, hworld, fever_case):
    client = client_as(hworld.viewer_a)
    # A viewer reads no case: the page is absent for them, and so is its form.
    assert client.get(f"/health/followup/{fever_case.pk}/").status_code == 404
    assert client.post(f"/health/followup/{fever_case.pk}/", {"status": "suspected"}).status_code == 404
    fever_case.refresh_from_db()
    assert fever_case.status == "watch"
    client = client_as(hworld.officer_a)
    response = client.post(f"/health/followup/{fever_case.pk}/", {"status": "suspected", "note": "called"})
    assert (response.status_code, response["Location"]) == (302, f"/health/followup/{fever_case.pk}/")
    fever_case.refresh_from_db()
    assert fever_case.status == "suspected"
    event = AuditEvent.objects.get(action="health.case.status_changed", object_id=str(fever_case.pk))
    assert event.actor == hworld.officer_a
    assert event.before == {"status": "watch"} and event.after == {"status": "suspected"}
    page = client.get(f"/health/followup/{fever_case.pk}/").content.decode()
    notes = re.search(r'data-testid="case-notes">.*?</ul>', page, re.S).group(0)
    assert "Watch" in notes and "Suspected" in notes and "called" in notes  # labels, not codes
    client.post(f"/health/followup/{fever_case.pk}/", {"text": "test negative"})
    assert fever_case.notes.filter(text="test negative").exists()
    assert AuditEvent.objects.filter(action="health.case.noted", object_id=str(fever_case.pk)).exists()


def test_bad_case_input_is_shown_next_to_the_field(client_as, hworld, fever_case):
    client = client_as(hworld.officer_a)
    response = client.post(f"/health/followup/{fever_case.pk}/", {"status": "nonsense"})
    assert response.status_code == 200 and b"has-error" in response.content
    response = client.post(f"/health/followup/{fever_case.pk}/", {"text": "   "})
    assert response.status_code == 200 and b"has-error" in response.content
    assert not CaseNote.objects.filter(case=fever_case).exclude(status_to="").exists()
    assert not CaseNote.objects.filter(case=fever_case, text="").exists()


def test_quarantine_create_release_and_scope(client_as, hworld, today):
    client = client_as(hworld.officer_a)
    page = client.get(f"/health/quarantines/new?employee={hworld.employee_a.pk}").content.decode()
    assert 'value="A-001"' in page and "14 days" in page  # the region's rule, shown before saving
    response = client.post(
        "/health/quarantines/new", {"employee_no": "B-001", "start": today, "place": "home", "reason": "contact"}
    )
    assert response.status_code == 200 and b"No employee with this number" in response.content
    response = client.post(
        "/health/quarantines/new", {"employee_no": "A-001", "start": today, "place": "home", "reason": "contact"}
    )
    q = Quarantine.objects.get(employee=hworld.employee_a)
    assert response.status_code == 302 and q.planned_end == today + datetime.timedelta(days=14)
    assert AuditEvent.objects.filter(action="health.quarantine.started", object_id=str(q.pk)).exists()
    # A second one for the same person is refused next to the field.
    response = client.post(
        "/health/quarantines/new", {"employee_no": "A-001", "start": today, "place": "home", "reason": "again"}
    )
    assert response.status_code == 200 and b"already has an open quarantine" in response.content
    assert f"quarantine-row-{q.pk}".encode() in client.get("/health/quarantines/").content
    client = client_as(hworld.officer_b)
    assert client.get(f"/health/quarantines/{q.pk}/").status_code == 404
    assert f"quarantine-row-{q.pk}".encode() not in client.get("/health/quarantines/").content
    client = client_as(hworld.officer_a)
    page = client.get(f"/health/quarantines/{q.pk}/").content.decode()
    assert re.search(r'<form [^>]*data-testid="quarantine-release-form" data-confirm="', page)
    response = client.post(
        f"/health/quarantines/{q.pk}/", {"action": "release", "released_on": today + datetime.timedelta(days=60)}
    )
    assert response.status_code == 200 and b"planned at most" in response.content
    client.post(f"/health/quarantines/{q.pk}/", {"action": "release", "released_on": today})
    q.refresh_from_db()
    assert q.released_on == today
    assert AuditEvent.objects.filter(action="health.quarantine.released", object_id=str(q.pk)).exists()
    # Ended: gone from the current list, still under "all".
    assert f"quarantine-row-{q.pk}".encode() not in client.get("/health/quarantines/").content
    assert f"quarantine-row-{q.pk}".encode() in client.get("/health/quarantines/?show=all").content


def test_viewer_cannot_start_or_release(client_as, hworld, today):
    q = quarantine_start(actor=None, employee=hworld.employee_a, start=today, reason="contact")
    client = client_as(hworld.viewer_a)
    # A viewer reads no quarantine: the pages are absent for them.
    assert client.get("/health/quarantines/new").status_code == 404
    assert client.get(f"/health/quarantines/{q.pk}/").status_code == 404
    assert client.post(f"/health/quarantines/{q.pk}/", {"action": "release", "released_on": today}).status_code == 404


def test_proposed_quarantine_confirm_and_dismiss(client_as, hworld, today):
    q = quarantine_start(actor=None, employee=hworld.employee_a, start=today, reason="arrival", proposed=True)
    client = client_as(hworld.officer_a)
    html = client.get("/health/quarantines/?show=proposed").content.decode()
    row = re.search(rf'<tr data-testid="quarantine-row-{q.pk}">.*?</tr>', html, re.S).group(0)
    assert "proposed" in row and f'data-testid="quarantine-confirm-{q.pk}"' in row
    assert re.search(r'<form method="post" action="[^"]+" data-confirm="', row)  # asks before confirming
    response = client.post(f"/health/quarantines/{q.pk}/", {"action": "dismiss", "reason": ""})
    assert response.status_code == 200 and b"has-error" in response.content  # the reason is required
    assert Quarantine.objects.filter(pk=q.pk).exists()
    # Confirmed from the list: back to the list.
    response = client.post(f"/health/quarantines/{q.pk}/", {"action": "confirm", "next": "list", "show": "proposed"})
    assert (response.status_code, response["Location"]) == (302, "/health/quarantines/?show=proposed")
    q.refresh_from_db()
    assert not q.proposed
    assert AuditEvent.objects.filter(action="health.quarantine.confirmed", object_id=str(q.pk)).exists()
    # A second proposal, dismissed with a reason.
    other = make_employee(hworld.unit_a1)
    p = quarantine_start(actor=None, employee=other, start=today, reason="arrival", proposed=True)
    response = client.post(f"/health/quarantines/{p.pk}/", {"action": "dismiss", "reason": "tested negative"})
    assert response.status_code == 302 and not Quarantine.objects.filter(pk=p.pk).exists()
    event = AuditEvent.objects.get(action="health.quarantine.dismissed", object_id=str(p.pk))
    assert event.after == {"dismissed_because": "tested negative"}


def test_missing_list_and_remind(client_as, hworld, today, django_capture_on_commit_callbacks):
    client = client_as(hworld.officer_a)
    page = client.get(f"/health/missing/?org={hworld.company_a.pk}").content.decode()
    assert 'data-testid="missing-list"' in page and 'data-testid="remind-button"' in page
    assert "A-001" in page and "B-001" not in page
    assert f'href="/health/checkin/?employee={hworld.employee_a.pk}"' in page  # file for them
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/health/missing/remind", {"org": hworld.company_a.pk, "day": today.isoformat()})
    assert response.status_code == 302
    assert response["Location"] == f"/health/missing/?org={hworld.company_a.pk}&day={today.isoformat()}"
    assert Notification.objects.filter(recipient=hworld.employee_user, event="health.checkin.reminder").exists()
    assert Notification.objects.filter(recipient=hworld.officer_a, event="health.checkin.missing").exists()
    assert AuditEvent.objects.filter(action="health.chase.sent", actor=hworld.officer_a).exists()
    messages = client.get(response["Location"]).content.decode()
    assert "Reminder sent to 1 of the 1 people" in messages
    assert client.post("/health/missing/remind", {"org": hworld.company_b.pk}).status_code == 404
    assert client.get("/health/missing/remind").status_code == 405
    client = client_as(hworld.viewer_a)
    page = client.get(f"/health/missing/?org={hworld.company_a.pk}").content.decode()
    assert "A-001" in page and "remind-button" not in page
    assert client.post("/health/missing/remind", {"org": hworld.company_a.pk}).status_code == 403
    assert Notification.objects.filter(event="health.checkin.reminder").count() == 1


def test_missing_list_after_everyone_reported(client_as, hworld, today):
    checkin_submit(
        actor=None,
        employee=hworld.employee_a,
        day=today,
        temperature="36.5",
        region=hworld.regions["home"],
        work_status="cloud",
    )
    client = client_as(hworld.officer_a)
    page = client.get(f"/health/missing/?org={hworld.company_a.pk}").content.decode()
    assert "Everyone has reported" in page and "remind-button" not in page
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    page = client.get(f"/health/missing/?org={hworld.company_a.pk}&day={yesterday}").content.decode()
    assert "A-001" in page  # nobody reported yesterday
    assert "File for them" not in page and "remind-button" not in page  # a past day is not filed from here
    response = client.post("/health/missing/remind", {"org": hworld.company_a.pk, "day": yesterday})
    assert response.status_code == 302 and not Notification.objects.exists()


def test_person_checkins_are_audited_and_scoped(client_as, hworld, today, fever_case):
    client = client_as(hworld.officer_a)
    page = client.get(f"/health/people/{hworld.employee_a.pk}/checkins/").content.decode()
    assert "38.2" in page and 'data-testid="checkins-table"' in page
    assert f'href="/health/followup/{fever_case.pk}/"' in page
    assert 'data-testid="file-for-person"' in page
    event = AuditEvent.objects.filter(action="health.checkins.read", actor=hworld.officer_a).latest("pk")
    assert event.object_id == str(hworld.employee_a.pk)
    client = client_as(hworld.viewer_a)
    assert client.get(f"/health/people/{hworld.employee_a.pk}/checkins/").status_code == 404


def test_case_list_query_count_is_pinned(client_as, hworld, today, django_assert_max_num_queries):
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
    client = client_as(hworld.officer_a)
    with django_assert_max_num_queries(13):
        response = client.get("/health/followup/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="case-row-') == 15
    assert not re.search(r"<script[^>]*>\s*[^<\s]", html) and " style=" not in html


def test_quarantine_list_query_count_is_pinned(client_as, hworld, today, django_assert_max_num_queries):
    for _ in range(12):
        quarantine_start(actor=None, employee=make_employee(hworld.unit_a1), start=today, reason="contact")
    client = client_as(hworld.officer_a)
    with django_assert_max_num_queries(13):
        response = client.get("/health/quarantines/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="quarantine-row-') == 12
