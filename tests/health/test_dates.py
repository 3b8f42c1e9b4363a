"""Dates as officers use them: a return to work is planned ahead, a check-in day is a fact
that happened (never ahead), and the date inputs come pre-filled in Chinese too."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine

from sameboat.core.exceptions import DomainError
from sameboat.core.models import AuditEvent
from sameboat.health.models import DailyReturn
from sameboat.health.services.checkins import checkin_submit
from sameboat.health.services.followup import PLANNING_DAYS, quarantine_release, quarantine_start
from tests.clock import FROZEN_NOW

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _checkin(w, day, work_status="on_site"):
    return checkin_submit(
        actor=w.employee_user,
        employee=w.employee_a,
        day=day,
        temperature="36.5",
        region=w.regions["home"],
        work_status=work_status,
    )


def test_a_return_to_work_tomorrow_is_planned_and_the_quarantine_holds_until_then(hworld, today):
    q = quarantine_start(actor=hworld.officer_a, employee=hworld.employee_a, start=today - DAY, reason="contact")
    quarantine_release(actor=hworld.officer_a, quarantine=q, released_on=today + DAY)
    q.refresh_from_db()
    assert q.released_on == today + DAY
    assert q.active_on(today) and not q.active_on(today + DAY)
    # Still in quarantine today: on site is refused, and today's return counts the person.
    with pytest.raises(DomainError):
        _checkin(hworld, today)
    _checkin(hworld, today, work_status="home_quarantine")
    assert DailyReturn.objects.get(organization=hworld.unit_a1, day=today).quarantined == 1
    # On the planned day the person is back.
    with time_machine.travel(FROZEN_NOW + DAY, tick=True):
        _checkin(hworld, today + DAY)


def test_a_planned_return_may_move_until_it_comes(hworld, today):
    q = quarantine_start(actor=hworld.officer_a, employee=hworld.employee_a, start=today, reason="contact")
    quarantine_release(actor=hworld.officer_a, quarantine=q, released_on=today + 3 * DAY)
    quarantine_release(actor=hworld.officer_a, quarantine=q, released_on=today + 5 * DAY)
    q.refresh_from_db()
    assert q.released_on == today + 5 * DAY
    moved = AuditEvent.objects.filter(action="health.quarantine.released", object_id=str(q.pk)).order_by("pk").last()
    assert moved is not None and moved.before["released_on"] == str(today + 3 * DAY)
    # Once the day has come, the quarantine has ended and stays ended.
    with time_machine.travel(FROZEN_NOW + 5 * DAY, tick=True), pytest.raises(DomainError, match="already ended"):
        quarantine_release(actor=hworld.officer_a, quarantine=q, released_on=today + 9 * DAY)


def test_a_return_beyond_the_planning_horizon_or_before_the_start_is_refused(hworld, today):
    q = quarantine_start(actor=hworld.officer_a, employee=hworld.employee_a, start=today, reason="contact")
    with pytest.raises(DomainError) as info:
        quarantine_release(actor=hworld.officer_a, quarantine=q, released_on=today + (PLANNING_DAYS + 1) * DAY)
    assert info.value.field == "released_on" and str(PLANNING_DAYS) in str(info.value.message)
    with pytest.raises(DomainError) as info:
        quarantine_release(actor=hworld.officer_a, quarantine=q, released_on=today - DAY)
    assert info.value.field == "released_on"
    quarantine_release(actor=hworld.officer_a, quarantine=q, released_on=today + PLANNING_DAYS * DAY)


def test_a_check_in_day_ahead_is_refused(hworld, today):
    with pytest.raises(DomainError) as info:
        _checkin(hworld, today + DAY)
    assert info.value.field == "day"


def _date_values(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="date" name="(\w+)" value="([^"]*)"', html))


def test_the_quarantine_pages_prefill_iso_dates_in_chinese(client_as, hworld, today):
    client = client_as(hworld.officer_a)
    html = client.get("/health/quarantines/new", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'lang="zh-hans"' in html
    assert _date_values(html) == {"start": today.isoformat()}
    q = quarantine_start(actor=hworld.officer_a, employee=hworld.employee_a, start=today, reason="contact")
    html = client.get(f"/health/quarantines/{q.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert _date_values(html) == {"released_on": today.isoformat()}


def test_the_release_form_plans_a_return_and_shows_the_services_refusal(client_as, hworld, today):
    q = quarantine_start(actor=hworld.officer_a, employee=hworld.employee_a, start=today, reason="contact")
    client = client_as(hworld.officer_a)
    far = today + (PLANNING_DAYS + 1) * DAY
    response = client.post(
        f"/health/quarantines/{q.pk}/",
        {"action": "release", "released_on": far.isoformat()},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'data-testid="field-released_on">.*?class="errorlist', page, re.S)
    assert _date_values(page) == {"released_on": far.isoformat()}
    response = client.post(
        f"/health/quarantines/{q.pk}/", {"action": "release", "released_on": (today + DAY).isoformat()}
    )
    assert response.status_code == 302
    q.refresh_from_db()
    assert q.released_on == today + DAY
    # Still in force today: listed as current, and its return may still be moved.
    row = re.search(
        rf'<tr data-testid="quarantine-row-{q.pk}">.*?</tr>', client.get("/health/quarantines/").content.decode(), re.S
    )
    assert row and "ended" not in row.group(0) and "#release" in row.group(0)
