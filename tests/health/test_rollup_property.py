"""Property: after any sequence of check-ins, edits, quarantines and purges, every
organisation's daily return equals a recount from the raw rows (of its subtree)."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sameboat.core.exceptions import DomainError
from sameboat.health.models import FEVER_THRESHOLD, CheckIn, DailyReturn, Quarantine
from sameboat.health.selectors import returns_subtree
from sameboat.health.services import rollup
from sameboat.health.services.checkins import checkin_submit
from sameboat.health.services.followup import quarantine_release, quarantine_start
from sameboat.health.services.retention import health_purge, retention_cutoff
from tests.clock import FROZEN_NOW
from tests.factories import make_employee

pytestmark = pytest.mark.django_db

CHECKED = (
    "reported",
    "on_time",
    "on_site",
    "cloud_office",
    "leave",
    "fever",
    "symptomatic",
    "exposed",
    "quarantined",
    "headcount",
)

checkin_op = st.tuples(
    st.just("checkin"),
    st.integers(0, 5),  # employee
    st.integers(0, 2),  # days back
    st.sampled_from(["36.4", "37.2", "37.3", "39.0"]),
    st.sampled_from(["on_site", "cloud", "leave", "home_quarantine", "central_quarantine"]),
    st.booleans(),  # symptoms
    st.booleans(),  # contact
)
quarantine_op = st.tuples(st.just("quarantine"), st.integers(0, 5), st.integers(0, 3))
release_op = st.tuples(st.just("release"), st.integers(0, 5), st.integers(0, 1))
purge_op = st.tuples(st.just("purge"))
tick_op = st.tuples(st.just("tick"))  # the clock moves on to the next day
ops = st.lists(st.one_of(checkin_op, checkin_op, quarantine_op, release_op, purge_op, tick_op), max_size=30)


def recount(org_id: int, day: datetime.date, headcount: int) -> dict[str, int]:
    """Count one organisation's own staff for a day from raw check-ins and quarantines."""
    counts: Counter[str] = Counter()
    for c in CheckIn.objects.filter(organization_id=org_id, day=day):
        counts["reported"] += 1
        counts["on_time"] += int(c.on_time)
        counts[{"on_site": "on_site", "cloud": "cloud_office", "leave": "leave"}.get(c.work_status, "other")] += 1
        counts["fever"] += int(c.temperature >= FEVER_THRESHOLD)
        counts["symptomatic"] += int(bool(c.symptoms))
        counts["exposed"] += int(c.contact)
    counts["quarantined"] = sum(q.active_on(day) for q in Quarantine.objects.filter(organization_id=org_id))
    counts["headcount"] = headcount
    return {k: counts[k] for k in CHECKED}


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(sequence=ops)
def test_returns_equal_recount(hworld, sequence, settings):
    settings.SAMEBOAT_CHECKIN_RETENTION_DAYS = 3
    # Each example starts on the fixed day; "tick" moves the whole clock a day on.
    with time_machine.travel(FROZEN_NOW, tick=False) as clock:
        run_sequence(hworld, sequence, clock)


def run_sequence(hworld, sequence, clock):
    with transaction.atomic():
        sid = transaction.savepoint()
        staff = [hworld.employee_a, hworld.employee_b]
        staff += [
            make_employee(hworld.unit_a1),
            make_employee(hworld.unit_b1),
            make_employee(hworld.company_a),
            make_employee(hworld.unit_a1),
        ]
        units = {e.organization_id for e in staff}
        heads = Counter(e.organization_id for e in staff)
        purged_before: datetime.date | None = None
        frozen: dict[tuple[int, datetime.date], dict[str, int]] = {}
        for op in sequence:
            kind = op[0]
            today = timezone.localdate()
            try:
                if kind == "checkin":
                    _, who, back, temp, status, symptoms, contact = op
                    checkin_submit(
                        actor=None,
                        employee=staff[who],
                        day=today - datetime.timedelta(days=back),
                        temperature=temp,
                        region=hworld.regions["home"],
                        work_status=status,
                        symptoms=["cough"] if symptoms else [],
                        contact=contact,
                    )
                elif kind == "quarantine":
                    _, who, back = op
                    quarantine_start(
                        actor=None, employee=staff[who], start=today - datetime.timedelta(days=back), reason="test"
                    )
                elif kind == "release":
                    _, who, back = op
                    q = Quarantine.objects.filter(employee=staff[who], released_on__isnull=True).first()
                    if q:
                        quarantine_release(
                            actor=None, quarantine=q, released_on=max(q.start, today - datetime.timedelta(days=back))
                        )
                elif kind == "tick":
                    clock.shift(datetime.timedelta(days=1))
                else:
                    before = retention_cutoff()
                    # The aggregates of purged days must not change: remember them first.
                    for row in DailyReturn.objects.filter(day__lt=before):
                        frozen.setdefault((row.organization_id, row.day), {k: getattr(row, k) for k in CHECKED})
                    health_purge()
                    purged_before = max(purged_before or before, before)
            except DomainError:
                pass  # refused input (e.g. on site while in quarantine) must change nothing

        for row in DailyReturn.objects.all():
            got = {k: getattr(row, k) for k in CHECKED}
            if purged_before and row.day < purged_before:
                expected = frozen.get((row.organization_id, row.day))
                if expected is not None:
                    expected = {**expected, "quarantined": got["quarantined"]}  # quarantines are not purged
                    assert got == expected
                continue
            assert got == recount(row.organization_id, row.day, heads[row.organization_id]), row.day
        # Every unit and day with raw check-ins has its row.
        for org_id, day in CheckIn.objects.values_list("organization_id", "day").distinct():
            assert DailyReturn.objects.filter(organization_id=org_id, day=day).exists()
        # Subtree totals equal the sum of the recounts of the subtree's units.
        today = timezone.localdate()
        for day in {today - datetime.timedelta(days=i) for i in range(3)}:
            if purged_before and day < purged_before:
                continue
            rollup.returns_ensure(units, day)
            totals = returns_subtree(user=hworld.hq, organization=hworld.company_a, day=day)
            in_a = [u for u in units if u in (hworld.unit_a1.pk, hworld.company_a.pk)]
            expected = Counter()
            for u in in_a:
                expected.update(recount(u, day, heads[u]))
            assert {k: totals[k] for k in CHECKED} == {k: expected[k] for k in CHECKED}
        transaction.savepoint_rollback(sid)
