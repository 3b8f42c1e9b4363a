"""The scheduled commands: chase, purge, open the day."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from sameboat.core.models import AuditEvent, Notification
from sameboat.health.models import CheckIn, CheckInRevision, DailyReturn
from sameboat.health.services.checkins import checkin_submit

pytestmark = pytest.mark.django_db


def test_chase_reminds_missing_people_and_their_officers(hworld, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("health_chase", stdout=out)
    assert "missing 2" in out.getvalue()
    assert Notification.objects.filter(recipient=hworld.employee_user, event="health.checkin.reminder").exists()
    assert Notification.objects.filter(recipient=hworld.officer_a, event="health.checkin.missing").exists()
    assert Notification.objects.filter(recipient=hworld.officer_b, event="health.checkin.missing").exists()


def test_purge_keeps_returns_and_drops_values(hworld, today, settings):
    settings.SAMEBOAT_CHECKIN_RETENTION_DAYS = 5
    old_day = today - datetime.timedelta(days=2)
    for temp in ("36.5", "38.5"):
        checkin_submit(
            actor=None,
            employee=hworld.employee_a,
            day=old_day,
            temperature=temp,
            region=hworld.regions["home"],
            work_status="cloud",
        )
    checkin_submit(
        actor=None,
        employee=hworld.employee_a,
        day=today,
        temperature="36.4",
        region=hworld.regions["home"],
        work_status="cloud",
    )
    before = DailyReturn.objects.get(organization=hworld.unit_a1, day=old_day)
    call_command("health_purge", stdout=StringIO())
    assert CheckIn.objects.count() == 2  # still inside the retention period
    # Four days on: old_day is now 6 days back, today's 4.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4), tick=True):
        call_command("health_purge", stdout=StringIO())
    assert CheckIn.objects.get().day == today
    CheckIn.objects.all().delete()
    assert not CheckIn.objects.exists()
    assert not CheckInRevision.objects.exists()
    after = DailyReturn.objects.get(organization=hworld.unit_a1, day=old_day)
    assert (after.reported, after.fever) == (before.reported, before.fever) == (1, 1)
    purge = AuditEvent.objects.get(action="health.retention.purged")
    assert purge.after["checkins"] == 1
    # No health value survives anywhere in the trail.
    for event in AuditEvent.objects.filter(action__startswith="health.checkin"):
        assert "38.5" not in str(event.before) + str(event.after)


def test_open_day_creates_rows_for_staffed_units(hworld, today):
    call_command("health_open_day", stdout=StringIO())
    rows = DailyReturn.objects.filter(day=today)
    assert {r.organization_id for r in rows} == {hworld.unit_a1.pk, hworld.unit_b1.pk}
    assert all(r.headcount == 1 and r.reported == 0 for r in rows)


def test_health_values_never_reach_the_logs(api_as, hworld, caplog):
    import logging

    with caplog.at_level(logging.DEBUG):
        client = api_as(hworld.employee_user)
        client.post(
            "/api/v1/checkins/", {"temperature": "39.7", "region": "CN-SC", "work_status": "cloud"}, format="json"
        )
        client.post(
            "/api/v1/checkins/", {"temperature": "99.1", "region": "CN-SC", "work_status": "cloud"}, format="json"
        )
    assert "39.7" not in caplog.text and "99.1" not in caplog.text


def test_retention_never_reaches_into_the_filing_window(settings, today):
    from sameboat.health.services.checkins import MAX_DAYS_BACK
    from sameboat.health.services.retention import retention_cutoff

    settings.SAMEBOAT_CHECKIN_RETENTION_DAYS = 0
    assert retention_cutoff() == today - datetime.timedelta(days=MAX_DAYS_BACK + 1)
