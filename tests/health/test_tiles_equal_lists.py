"""Property: every dashboard tile that links to a list shows the number of rows that list
shows, for any mix of check-ins, cases and quarantines, on any recent day, for any unit
and any reader (issue 9: "疑似" said 3 and its list showed 2)."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sameboat.core.exceptions import DomainError
from sameboat.health.models import CaseStatus, FollowUpCase, Quarantine
from sameboat.health.services import rollup
from sameboat.health.services.checkins import checkin_submit
from sameboat.health.services.followup import case_set_status, quarantine_release, quarantine_start
from tests.factories import make_employee

pytestmark = pytest.mark.django_db

STAFF = 6
checkin_op = st.tuples(
    st.just("checkin"),
    st.integers(0, STAFF - 1),
    st.integers(0, 3),  # days back
    st.sampled_from(["36.5", "37.3", "38.4"]),
    st.sampled_from(["on_site", "cloud", "leave", "home_quarantine"]),
)
case_op = st.tuples(st.just("case"), st.integers(0, STAFF - 1), st.sampled_from(CaseStatus.values))
quarantine_op = st.tuples(st.just("quarantine"), st.integers(0, STAFF - 1), st.integers(0, 4), st.booleans())
release_op = st.tuples(st.just("release"), st.integers(0, STAFF - 1), st.integers(0, 2))
ops = st.lists(st.one_of(checkin_op, checkin_op, case_op, quarantine_op, release_op), max_size=20)


def _apply(world, staff, op) -> None:
    today = timezone.localdate()
    kind = op[0]
    if kind == "checkin":
        _, who, back, temp, status = op
        checkin_submit(
            actor=None,
            employee=staff[who],
            day=today - datetime.timedelta(days=back),
            temperature=temp,
            region=world.regions["home"],
            work_status=status,
        )
    elif kind == "case":
        _, who, status = op
        case = FollowUpCase.objects.filter(employee=staff[who], closed_on__isnull=True).first()
        if case is not None:
            case_set_status(actor=world.hq, case=case, status=status)
    elif kind == "quarantine":
        _, who, back, proposed = op
        quarantine_start(
            actor=None,
            employee=staff[who],
            start=today - datetime.timedelta(days=back),
            reason="test",
            proposed=proposed,
        )
    else:
        _, who, back = op
        q = Quarantine.objects.filter(employee=staff[who], released_on__isnull=True, proposed=False).first()
        if q is not None:
            quarantine_release(
                actor=None, quarantine=q, released_on=max(q.start, today - datetime.timedelta(days=back))
            )


def _linked_tiles(client, org, day) -> list[dict]:
    response = client.get("/health/", {"org": org.pk, "day": day.isoformat()})
    assert response.status_code == 200
    return [k for k in response.context["kpis"] if k["href"]]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    sequence=ops,
    back=st.integers(0, 3),
    reader=st.sampled_from(["hq", "officer_a", "viewer_a"]),
    where=st.sampled_from(["group", "company_a", "unit_a1", "company_b"]),
    opened=st.booleans(),
)
def test_every_linked_tile_equals_its_list(hworld, client_as, sequence, back, reader, where, opened):
    user = getattr(hworld, reader)
    org = getattr(hworld, where)
    if reader != "hq" and where in {"group", "company_b"}:
        org = hworld.company_a  # out of scope is a 404 (tested elsewhere)
    with transaction.atomic():
        sid = transaction.savepoint()
        staff = [hworld.employee_a, hworld.employee_b]
        staff += [make_employee(hworld.unit_a1), make_employee(hworld.unit_b1), make_employee(hworld.company_a)]
        staff += [make_employee(hworld.unit_a1)]
        for op in sequence:
            try:
                with transaction.atomic():
                    _apply(hworld, staff, op)
            except DomainError:
                pass  # refused input changes nothing
        day = timezone.localdate() - datetime.timedelta(days=back)
        if opened:  # the nightly opening of the day ran, or not: the tiles hold either way
            rollup.returns_open_day(day)
        client = client_as(user)
        tiles = _linked_tiles(client, org, day)
        assert any(t["key"] == "missing" for t in tiles)
        for tile in tiles:
            listed = client.get(tile["href"])
            assert listed.status_code == 200, tile["href"]
            assert listed.context["page"].paginator.count == tile["value"], (tile["key"], tile["href"])
        transaction.savepoint_rollback(sid)


def test_suspected_tile_opens_suspected_and_isolated(hworld, client_as, today):
    """The reported case: two suspected and one isolated make 3, and the list shows 3."""
    staff = [make_employee(hworld.unit_a1) for _ in range(3)]
    for employee, status in zip(staff, ["suspected", "suspected", "isolated"], strict=True):
        checkin_submit(
            actor=None,
            employee=employee,
            day=today,
            temperature="38.5",
            region=hworld.regions["home"],
            work_status="cloud",
        )
        case = FollowUpCase.objects.get(employee=employee)
        case_set_status(actor=hworld.hq, case=case, status=status)
    client = client_as(hworld.hq)
    tile = next(t for t in _linked_tiles(client, hworld.group, today) if t["key"] == "suspected")
    assert tile["value"] == 3
    listed = client.get(tile["href"])
    assert listed.context["page"].paginator.count == 3
    assert listed.content.decode().count('data-testid="case-row-') == 3
