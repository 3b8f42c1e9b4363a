"""The missing tile's shortcut (issue 16): while today's returns match the live roster, the
number of people missing is read from the returns (headcount − reported) instead of
counted person by person. Property: whatever happens to reports and to the roster, and
whether or when the day was opened, the shortcut gives the number the list counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sameboat.core.exceptions import DomainError
from sameboat.health import selectors
from sameboat.health.models import OpenedDay
from sameboat.health.services import rollup
from sameboat.health.services.checkins import checkin_submit
from sameboat.orgs.services import employee_create, employee_update
from tests.factories import make_employee

pytestmark = pytest.mark.django_db

STAFF = 6
UNITS = ("unit_a1", "unit_b1", "company_a")
ops = st.lists(
    st.one_of(
        st.tuples(st.just("checkin"), st.integers(0, STAFF - 1), st.integers(0, 1)),
        st.tuples(st.just("checkin"), st.integers(0, STAFF - 1), st.just(0)),
        st.tuples(st.just("deactivate"), st.integers(0, STAFF - 1)),
        st.tuples(st.just("reactivate"), st.integers(0, STAFF - 1)),
        st.tuples(st.just("move"), st.integers(0, STAFF - 1), st.sampled_from(UNITS)),
        st.tuples(st.just("hire"), st.sampled_from(UNITS)),
        st.just(("open",)),
    ),
    max_size=16,
)


def _apply(world, staff, op, today) -> None:
    kind = op[0]
    if kind == "checkin":
        person = staff[op[1]]
        person.refresh_from_db()
        checkin_submit(
            actor=None,
            employee=person,
            day=today - datetime.timedelta(days=op[2]),
            temperature="36.5",
            region=world.regions["home"],
            work_status="on_site",
        )
    elif kind in {"deactivate", "reactivate"}:
        employee_update(actor=world.hq, employee=staff[op[1]], is_active=kind == "reactivate")
    elif kind == "move":
        employee_update(actor=world.hq, employee=staff[op[1]], organization=getattr(world, op[2]))
    elif kind == "hire":
        _apply.hired += 1  # type: ignore[attr-defined]
        staff.append(
            employee_create(
                actor=world.hq, organization=getattr(world, op[1]), employee_no=f"H{_apply.hired}", name="新人"
            )
        )
    else:
        rollup.returns_open_day(today)


_apply.hired = 0  # type: ignore[attr-defined]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(sequence=ops, opened_first=st.booleans())
def test_missing_count_equals_the_people_listed(hworld, today, sequence, opened_first):
    with transaction.atomic():
        sid = transaction.savepoint()
        staff = [hworld.employee_a, hworld.employee_b]
        staff += [make_employee(hworld.unit_a1), make_employee(hworld.unit_b1), make_employee(hworld.company_a)]
        staff += [make_employee(hworld.unit_a1)]
        if opened_first:  # the nightly opening ran before anyone reported
            rollup.returns_open_day(today)
        for op in sequence:
            try:
                with transaction.atomic():
                    _apply(hworld, staff, op, today)
            except DomainError:
                pass  # refused input changes nothing
        for reader, where in [
            ("hq", "group"),
            ("hq", "company_a"),
            ("hq", "unit_b1"),
            ("officer_a", "company_a"),
            ("viewer_a", "unit_a1"),
        ]:
            user, org = getattr(hworld, reader), getattr(hworld, where)
            listed = selectors.missing_people(user=user, organization=org, day=today).count()
            assert selectors.missing_people_count(user=user, organization=org, day=today) == listed, (reader, where)
        transaction.savepoint_rollback(sid)


def test_opened_day_is_exact_and_counted_from_the_returns(hworld, today, django_assert_num_queries):
    """The common morning: the day opened at night, people report; one query, right number."""
    staff = [make_employee(hworld.unit_a1) for _ in range(3)]
    rollup.returns_open_day(today)
    checkin_submit(
        actor=None, employee=staff[0], day=today, temperature="36.5", region=hworld.regions["home"], work_status="cloud"
    )
    assert OpenedDay.objects.get(day=today).exact
    selectors.missing_people_count(user=hworld.hq, organization=hworld.group, day=today)  # memberships cached
    with django_assert_num_queries(1):
        n = selectors.missing_people_count(user=hworld.hq, organization=hworld.group, day=today)
    assert n == selectors.missing_people(user=hworld.hq, organization=hworld.group, day=today).count() == 4


def test_someone_who_reported_then_left_clears_the_shortcut(hworld, today):
    """Reported, then deactivated: the return still counts the report but the roster has one
    person fewer, so headcount − reported would miss one person; the day turns inexact."""
    staff = [make_employee(hworld.unit_a1) for _ in range(2)]
    rollup.returns_open_day(today)
    checkin_submit(
        actor=None, employee=staff[0], day=today, temperature="36.5", region=hworld.regions["home"], work_status="cloud"
    )
    employee_update(actor=hworld.hq, employee=staff[0], is_active=False)
    assert not OpenedDay.objects.get(day=today).exact
    listed = selectors.missing_people(user=hworld.hq, organization=hworld.unit_a1, day=today).count()
    assert listed == 2  # employee_a and staff[1]
    assert selectors.missing_people_count(user=hworld.hq, organization=hworld.unit_a1, day=today) == listed
    rollup.returns_open_day(today)  # opening again does not make it exact again
    assert not OpenedDay.objects.get(day=today).exact


def test_a_day_opened_after_a_mismatch_is_not_exact(hworld, today):
    """Opened late, after someone who reported had moved: the opening sees it."""
    person = make_employee(hworld.unit_a1)
    checkin_submit(
        actor=None, employee=person, day=today, temperature="36.5", region=hworld.regions["home"], work_status="cloud"
    )
    employee_update(actor=hworld.hq, employee=person, organization=hworld.unit_b1)
    rollup.returns_open_day(today)
    assert not OpenedDay.objects.get(day=today).exact
    for org in (hworld.unit_a1, hworld.unit_b1, hworld.group):
        listed = selectors.missing_people(user=hworld.hq, organization=org, day=today).count()
        assert selectors.missing_people_count(user=hworld.hq, organization=org, day=today) == listed


def test_past_days_are_counted_person_by_person(hworld, today):
    """Only today's headcount follows the roster, so another day never takes the shortcut."""
    yesterday = today - datetime.timedelta(days=1)
    rollup.returns_open_day(yesterday)
    make_employee(hworld.unit_a1)  # joined since: yesterday's snapshot does not know them
    listed = selectors.missing_people(user=hworld.hq, organization=hworld.group, day=yesterday).count()
    assert selectors.missing_people_count(user=hworld.hq, organization=hworld.group, day=yesterday) == listed == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_roster_write_during_the_opening_is_seen_by_it(hworld, today):
    """A roster write still open while the day is being opened: the opening waits for it
    (the lock both take), so it never marks exact returns that the write has just broken."""
    import threading

    from django.db import connections

    person = make_employee(hworld.unit_a1)
    checkin_submit(
        actor=None, employee=person, day=today, temperature="36.5", region=hworld.regions["home"], work_status="cloud"
    )
    written, opening = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def roster_write() -> None:
        try:
            with transaction.atomic():
                employee_update(actor=hworld.hq, employee=person, is_active=False)  # reported, then left
                written.set()
                opening.wait(10)
                # Without the lock the opening would finish here, before this write commits.
                opening_done.wait(1)
        except BaseException as exc:  # reported to the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    def open_day() -> None:
        try:
            written.wait(10)
            opening.set()
            rollup.returns_open_day(today)
            opening_done.set()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    opening_done = threading.Event()
    threads = [threading.Thread(target=roster_write), threading.Thread(target=open_day)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert not OpenedDay.objects.get(day=today).exact
    listed = selectors.missing_people(user=hworld.hq, organization=hworld.unit_a1, day=today).count()
    assert selectors.missing_people_count(user=hworld.hq, organization=hworld.unit_a1, day=today) == listed
