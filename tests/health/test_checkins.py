"""Check-in services: validation, edits, follow-up, quarantine blocking, roll-up."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from sameboat.core.exceptions import DomainError
from sameboat.core.models import AuditEvent
from sameboat.health.models import CheckIn, CheckInRevision, DailyReturn, FollowUpCase, Quarantine
from sameboat.health.services.checkins import checkin_repeat_yesterday, checkin_submit
from sameboat.health.services.followup import quarantine_release, quarantine_start

pytestmark = pytest.mark.django_db


def submit(w, *, employee=None, actor=None, day=None, temperature="36.5", work_status="on_site", **kw):
    from django.utils import timezone

    employee = employee or w.employee_a
    return checkin_submit(
        actor=actor or w.employee_user,
        employee=employee,
        day=day or timezone.localdate(),
        temperature=temperature,
        region=kw.pop("region", w.regions["home"]),
        work_status=work_status,
        **kw,
    )


def test_first_submission_creates_and_rolls_up(hworld, today):
    checkin, created = submit(hworld)
    assert created
    row = DailyReturn.objects.get(organization=hworld.unit_a1, day=today)
    assert (row.headcount, row.reported, row.on_site, row.fever) == (1, 1, 1, 0)
    assert AuditEvent.objects.filter(action="health.checkin.submitted", object_id=str(checkin.pk)).exists()


def test_second_submission_edits_and_keeps_values_out_of_the_trail(hworld, today):
    submit(hworld)
    checkin, created = submit(hworld, temperature="38.2", work_status="cloud")
    assert not created
    assert CheckIn.objects.filter(employee=hworld.employee_a, day=today).count() == 1
    row = DailyReturn.objects.get(organization=hworld.unit_a1, day=today)
    assert (row.reported, row.on_site, row.cloud_office, row.fever) == (1, 0, 1, 1)
    event = AuditEvent.objects.get(action="health.checkin.edited")
    assert "36.5" not in str(event.after) and "38.2" not in str(event.after)
    assert CheckInRevision.objects.get(checkin=checkin).values["temperature"] == "36.5"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"temperature": "45.1"}, "temperature"),
        ({"temperature": "abc"}, "temperature"),
        ({"day": 2}, "day"),
        ({"day": -3}, "day"),
        ({"symptoms": ["sneezing-fits"]}, "symptoms"),
        ({"work_status": "party"}, "work_status"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(hworld, today, kwargs, field):
    if "day" in kwargs:
        kwargs = {"day": today + datetime.timedelta(days=kwargs["day"])}
    with pytest.raises(DomainError) as info:
        submit(hworld, **kwargs)
    assert info.value.field == field
    assert not CheckIn.objects.exists()
    assert not DailyReturn.objects.filter(reported__gt=0).exists()


def test_employee_outside_scope_is_refused(hworld):
    with pytest.raises(DomainError) as info:
        submit(hworld, actor=hworld.officer_a, employee=hworld.employee_b)
    assert info.value.field == "employee"
    assert not CheckIn.objects.exists()


def test_officer_may_report_for_own_subtree(hworld):
    _checkin, created = submit(hworld, actor=hworld.officer_a)
    assert created


def test_fever_opens_one_case_and_notifies_officer(hworld, django_capture_on_commit_callbacks):
    from sameboat.core.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        submit(hworld, temperature="37.3")
        submit(hworld, temperature="38.0", symptoms=["cough"])
    case = FollowUpCase.objects.get(employee=hworld.employee_a)
    assert case.status == "watch" and "37.3" in case.reason_shown
    assert case.notes.count() == 1  # the edit added a note, not a second case
    assert Notification.objects.filter(recipient=hworld.officer_a, event="health.case.opened").count() == 1
    assert not Notification.objects.filter(recipient=hworld.officer_b).exists()


def test_quarantine_blocks_on_site_until_released(hworld, today):
    q = quarantine_start(actor=hworld.officer_a, employee=hworld.employee_a, start=today, reason="contact")
    assert q.planned_end == today + datetime.timedelta(days=14)  # from the region's rules
    with pytest.raises(DomainError) as info:
        submit(hworld)
    assert info.value.field == "work_status"
    submit(hworld, work_status="home_quarantine")
    assert DailyReturn.objects.get(organization=hworld.unit_a1, day=today).quarantined == 1
    quarantine_release(actor=hworld.officer_a, quarantine=q, released_on=today)
    assert DailyReturn.objects.get(organization=hworld.unit_a1, day=today).quarantined == 0
    submit(hworld)  # on site allowed again


def test_arrival_from_higher_risk_region_is_proposed_for_quarantine(hworld, today):
    submit(hworld, day=today - datetime.timedelta(days=1), region=hworld.regions["hot"], work_status="leave")
    submit(hworld, work_status="cloud")
    proposal = Quarantine.objects.get(employee=hworld.employee_a)
    assert proposal.proposed and "Hubei" in proposal.reason_shown
    # A proposal alone neither blocks nor counts until an officer confirms it.
    assert DailyReturn.objects.get(organization=hworld.unit_a1, day=today).quarantined == 0


def test_same_as_yesterday_only_for_healthy(hworld, today):
    submit(hworld, day=today - datetime.timedelta(days=1), temperature="36.6", work_status="cloud")
    checkin = checkin_repeat_yesterday(actor=hworld.employee_user, employee=hworld.employee_a)
    assert checkin.day == today and checkin.temperature == Decimal("36.6") and checkin.source == "repeat"


def test_same_as_yesterday_refused_after_fever(hworld, today):
    submit(hworld, day=today - datetime.timedelta(days=1), temperature="38.1", work_status="cloud")
    with pytest.raises(DomainError):
        checkin_repeat_yesterday(actor=hworld.employee_user, employee=hworld.employee_a)


def test_set_based_recount_matches_incremental(hworld, today):
    from sameboat.health.services.rollup import returns_recount

    submit(hworld, temperature="38.0", symptoms=["cough"], contact=True)
    submit(hworld, employee=hworld.employee_b, actor=hworld.hq, work_status="leave")
    fields = ("reported", "on_time", "on_site", "leave", "fever", "symptomatic", "exposed")
    before = {r.organization_id: [getattr(r, f) for f in fields] for r in DailyReturn.objects.filter(day=today)}
    DailyReturn.objects.filter(day=today).update(reported=0, fever=0, on_site=0, leave=0, symptomatic=0, exposed=0)
    returns_recount([(hworld.unit_a1.pk, today), (hworld.unit_b1.pk, today)])
    after = {r.organization_id: [getattr(r, f) for f in fields] for r in DailyReturn.objects.filter(day=today)}
    assert after == before
    assert before[hworld.unit_a1.pk][4:] == [1, 1, 1]
