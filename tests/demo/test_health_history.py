"""The demo world's 90 days of health reporting: consistent with the health app's own rules."""

from __future__ import annotations

import datetime
import io
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from sameboat.accounts.models import User
from sameboat.core.models import AuditEvent
from sameboat.demo.data import GROUP_CODE
from sameboat.health.demo.data import CONFIRMED_UNIT, HISTORY_DAYS, OFFICER_UNIT
from sameboat.health.models import (
    FEVER_THRESHOLD,
    OPEN_CASE_STATUSES,
    QUARANTINE_STATUSES,
    CaseStatus,
    CheckIn,
    DailyReturn,
    FollowUpCase,
    Quarantine,
    QuarantinePlace,
    WorkStatus,
)
from sameboat.health.selectors import case_list, fever_list, returns_subtree
from sameboat.health.services.retention import retention_cutoff
from sameboat.orgs.models import Employee, Organization, RegionRule

pytestmark = pytest.mark.usefixtures("small_world")

RAW_COUNTERS = ("reported", "on_time", "on_site", "cloud_office", "leave", "fever", "symptomatic", "exposed")
STATUS_COUNTER: dict[str, str] = {
    WorkStatus.ON_SITE: "on_site",
    WorkStatus.CLOUD: "cloud_office",
    WorkStatus.LEAVE: "leave",
}


def today() -> datetime.date:
    return timezone.localdate()


def group_units() -> dict[int, int]:
    """Headcount of every organisation of the group that has its own staff, by id."""
    group = Organization.objects.get(code=GROUP_CODE)
    rows = Employee.objects.filter(group=group, is_active=True).values("organization_id").annotate(n=Count("id"))
    return {r["organization_id"]: r["n"] for r in rows}


def recount_raw() -> dict[tuple[int, datetime.date], Counter[str]]:
    """The check-in counters of every (organisation, day), counted in Python from raw rows."""
    counts: dict[tuple[int, datetime.date], Counter[str]] = defaultdict(Counter)
    for c in CheckIn.objects.all().iterator():
        row = counts[(c.organization_id, c.day)]
        row["reported"] += 1
        row["on_time"] += int(c.on_time)
        row[STATUS_COUNTER.get(c.work_status, "quarantine")] += 1
        row["fever"] += int(c.temperature >= FEVER_THRESHOLD)
        row["symptomatic"] += int(bool(c.symptoms))
        row["exposed"] += int(c.contact)
    return counts


def demo_login(username: str) -> tuple[User, Employee]:
    user = User.objects.get(username=username)
    return user, Employee.objects.get(user=user)


def test_every_staffed_unit_of_the_group_has_ninety_days_of_returns(db):
    units = group_units()
    assert len(units) > 30
    first = today() - datetime.timedelta(days=HISTORY_DAYS - 1)
    rows = DailyReturn.objects.filter(organization_id__in=units)
    per_unit = Counter(rows.values_list("organization_id", flat=True))
    assert per_unit == dict.fromkeys(units, HISTORY_DAYS)
    assert set(rows.values_list("day", flat=True)) == {first + datetime.timedelta(days=i) for i in range(90)}
    for row in rows:
        assert row.headcount == units[row.organization_id]
        assert row.reported <= row.headcount
        assert row.on_site + row.cloud_office + row.leave <= row.reported
        assert row.on_time <= row.reported and row.fever <= row.reported
    # The trade council keeps no history in the demo.
    assert not DailyReturn.objects.exclude(organization_id__in=units).exists()


def test_returns_equal_a_recount_of_the_raw_checkins_wherever_raw_rows_are_kept(db):
    cutoff = retention_cutoff()
    counts = recount_raw()
    rows = list(DailyReturn.objects.filter(day__gte=cutoff))
    assert len(rows) == len(group_units()) * (today() - cutoff).days + len(group_units())
    for row in rows:
        got = {k: getattr(row, k) for k in RAW_COUNTERS}
        expected = {k: counts[(row.organization_id, row.day)][k] for k in RAW_COUNTERS}
        assert got == expected, (row.organization_id, row.day)
    # Someone is counted in a return only for the unit they reported in.
    assert set(counts) <= {(r.organization_id, r.day) for r in rows}


def test_quarantined_equals_the_confirmed_quarantines_of_each_day(db):
    quarantines = defaultdict(list)
    for q in Quarantine.objects.all():
        quarantines[q.organization_id].append(q)
    rows = DailyReturn.objects.all()
    assert sum(r.quarantined for r in rows) > 0
    for row in rows:
        expected = len({q.employee_id for q in quarantines[row.organization_id] if q.active_on(row.day)})
        assert row.quarantined == expected, (row.organization_id, row.day)


def test_raw_checkins_older_than_the_retention_cutoff_do_not_exist(db):
    cutoff = retention_cutoff()
    assert not CheckIn.objects.filter(day__lt=cutoff).exists()
    assert CheckIn.objects.filter(day=cutoff).exists()
    # The returns go further back than the raw rows.
    assert DailyReturn.objects.filter(day__lt=cutoff - datetime.timedelta(days=50), reported__gt=0).exists()


def test_nobody_reports_on_site_while_in_quarantine(db):
    quarantines = list(Quarantine.objects.filter(proposed=False))
    assert quarantines
    checked = 0
    for q in quarantines:
        for c in CheckIn.objects.filter(employee_id=q.employee_id, day__gte=q.start):
            if q.active_on(c.day):
                assert c.work_status in QUARANTINE_STATUSES, (q.pk, c.day, c.work_status)
                checked += 1
    assert checked > 10  # the quarantines of the last weeks have check-ins to check


def test_a_wave_of_quarantines_after_the_holiday_travel(db):
    first, last = today() - datetime.timedelta(days=80), today() - datetime.timedelta(days=62)
    wave = Quarantine.objects.filter(start__gte=first, start__lte=last)
    assert wave.count() >= 5
    assert not wave.filter(released_on__isnull=True).exists()  # all over long ago
    assert {q.place for q in wave} == {QuarantinePlace.HOME, QuarantinePlace.CENTRAL}
    assert all(q.released_on is not None and q.released_on >= q.planned_end for q in wave)
    quarantined_then = sum(DailyReturn.objects.filter(day=last).values_list("quarantined", flat=True))
    quarantined_now = sum(DailyReturn.objects.filter(day=today()).values_list("quarantined", flat=True))
    assert quarantined_then > quarantined_now


def test_exactly_one_confirmed_case_in_one_unit_on_todays_dashboard(db):
    confirmed = FollowUpCase.objects.get(status=CaseStatus.CONFIRMED)
    assert confirmed.closed_on is None
    assert confirmed.organization.code == CONFIRMED_UNIT
    assert today() - confirmed.opened_on <= datetime.timedelta(days=7)
    central = Quarantine.objects.get(employee=confirmed.employee, released_on__isnull=True)
    assert central.place == QuarantinePlace.CENTRAL
    assert CheckIn.objects.filter(
        employee=confirmed.employee, day=today() - datetime.timedelta(days=1)
    ).get().work_status == (WorkStatus.CENTRAL_QUARANTINE)
    assert [n.status_to for n in confirmed.notes.exclude(status_to="")] == ["suspected", "isolated", "confirmed"]
    hq = User.objects.get(username="hq")
    totals = returns_subtree(user=hq, organization=Organization.objects.get(code=GROUP_CODE), day=today())
    assert totals["confirmed"] == 1
    assert totals["suspected"] >= 2
    assert DailyReturn.objects.get(organization=confirmed.organization, day=today()).confirmed == 1


def test_todays_suspected_and_confirmed_are_the_open_cases(db):
    open_cases = FollowUpCase.objects.filter(closed_on__isnull=True)
    assert set(open_cases.values_list("status", flat=True)) <= OPEN_CASE_STATUSES
    suspected = Counter(
        open_cases.filter(status__in=[CaseStatus.SUSPECTED, CaseStatus.ISOLATED]).values_list(
            "organization_id", flat=True
        )
    )
    confirmed = Counter(open_cases.filter(status=CaseStatus.CONFIRMED).values_list("organization_id", flat=True))
    for row in DailyReturn.objects.filter(day=today()):
        assert (row.suspected, row.confirmed) == (suspected[row.organization_id], confirmed[row.organization_id])
    # Cleared cases are closed, with the day they were cleared.
    cleared = FollowUpCase.objects.filter(status=CaseStatus.CLEARED)
    assert cleared.exists() and not cleared.filter(closed_on__isnull=True).exists()
    assert all(c.closed_on is not None and c.closed_on >= c.opened_on for c in cleared)


def test_every_signal_in_the_kept_days_is_on_a_follow_up_case(db):
    cases = defaultdict(list)
    for case in FollowUpCase.objects.all():
        cases[case.employee_id].append(case)
    signals = [c for c in CheckIn.objects.all() if c.needs_follow_up]
    assert signals
    for c in signals:
        covering = [
            case
            for case in cases[c.employee_id]
            if case.opened_on <= c.day and (case.closed_on is None or case.closed_on > c.day)
        ]
        assert len(covering) == 1, (c.employee_id, c.day)
    opened_by = FollowUpCase.objects.filter(opened_on__gte=retention_cutoff())
    assert opened_by.exists()
    for case in opened_by.select_related("opened_by_checkin"):
        assert case.opened_by_checkin is not None
        assert (case.opened_by_checkin.employee_id, case.opened_by_checkin.day) == (case.employee_id, case.opened_on)


def test_the_employee_login_has_not_reported_today_but_did_every_day_before(db):
    _, person = demo_login("employee")
    days = set(CheckIn.objects.filter(employee=person).values_list("day", flat=True))
    assert today() not in days
    yesterday = CheckIn.objects.get(employee=person, day=today() - datetime.timedelta(days=1))
    assert not yesterday.needs_follow_up  # "same as yesterday" works on the check-in page
    assert days == {today() - datetime.timedelta(days=i) for i in range(1, (today() - retention_cutoff()).days + 1)}


def test_the_officers_unit_has_a_fever_today_on_the_follow_up_list(db):
    officer, _ = demo_login("officer")
    unit = Organization.objects.get(code=OFFICER_UNIT)
    fevers = list(fever_list(user=officer, organization=unit, day=today()))
    assert fevers
    open_today = case_list(user=officer, organization=unit).filter(opened_on=today())
    assert {c.employee_id for c in fevers} <= set(open_today.values_list("employee_id", flat=True))


def test_most_staff_have_reported_today_and_nearly_all_on_earlier_days(db):
    rows = DailyReturn.objects.filter(organization_id__in=group_units())
    by_day: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        by_day[row.day][0] += row.reported
        by_day[row.day][1] += row.headcount
    rate = {day: reported / heads for day, (reported, heads) in by_day.items()}
    assert 0.75 <= rate.pop(today()) <= 0.93
    weekdays = [r for day, r in rate.items() if day.weekday() < 5]
    weekends = [r for day, r in rate.items() if day.weekday() >= 5]
    assert min(weekdays) >= 0.85 and sum(weekdays) / len(weekdays) >= 0.92
    assert sum(weekends) / len(weekends) < sum(weekdays) / len(weekdays)


def test_on_site_stays_within_each_regions_rule_and_grows_after_the_holiday(db):
    rules = defaultdict(list)
    for rule in RegionRule.objects.order_by("effective_from"):
        rules[rule.region_id].append(rule)
    rows = DailyReturn.objects.filter(organization_id__in=group_units()).select_related("organization")
    onsite: dict[datetime.date, int] = Counter()
    for row in rows:
        in_force = [r for r in rules[row.organization.region_id or 0] if r.effective_from <= row.day]
        ratio = in_force[-1].max_onsite_ratio if in_force else Decimal(1)
        assert row.on_site <= ratio * row.headcount, (row.organization.code, row.day)
        onsite[row.day] += row.on_site
    holiday = [onsite[today() - datetime.timedelta(days=k)] for k in range(65, 75)]
    recent = [onsite[today() - datetime.timedelta(days=k)] for k in range(1, 11)]
    assert max(holiday) * 3 < max(recent)


def test_temperatures_are_mostly_normal_with_a_few_fevers(db):
    temperatures = Counter(CheckIn.objects.values_list("temperature", flat=True))
    total = sum(temperatures.values())
    normal = sum(n for t, n in temperatures.items() if Decimal("36.0") <= t <= Decimal("37.1"))
    fevers = sum(n for t, n in temperatures.items() if t >= FEVER_THRESHOLD)
    assert normal / total > 0.99
    assert 1 <= fevers < total / 100
    assert CheckIn.objects.filter(on_time=True).count() / total > 0.85


def test_building_again_is_a_no_op_and_the_history_has_one_audit_event(db):
    models = (CheckIn, DailyReturn, FollowUpCase, Quarantine)
    before = {m.__name__: m.objects.count() for m in models}
    out = io.StringIO()
    call_command("demo", "--size", "small", stdout=out)
    assert "exists already" in out.getvalue()
    assert {m.__name__: m.objects.count() for m in models} == before
    event = AuditEvent.objects.get(action="demo.health.built")
    assert event.after is not None
    assert event.after["checkins"] == before["CheckIn"]
    assert event.after["daily_returns"] == before["DailyReturn"]
    assert event.after["quarantines"] == before["Quarantine"]
