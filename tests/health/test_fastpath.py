"""The hand-written SQL of ``health.fastpath`` against its plain ORM counterparts.

Each property runs the same inputs through the fast path and through the plain one
(``SAMEBOAT_FAST_PATHS=false``), each inside a savepoint rolled back afterwards, and
holds the two equal: the same rows written, the same answers read, the same scope
decisions. Ids and timestamps differ between the two runs and are left out.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sameboat.api.idempotency import Receipt
from sameboat.api.models import IdempotencyKey
from sameboat.core.exceptions import DomainError
from sameboat.core.models import AuditEvent
from sameboat.health import fastpath, selectors
from sameboat.health.importers import import_checkins
from sameboat.health.models import (
    CHECKIN_VALUE_FIELDS,
    RETURN_COUNTERS,
    CheckIn,
    CheckInRevision,
    DailyReturn,
    FollowUpCase,
    Quarantine,
)
from sameboat.health.services import rollup
from sameboat.health.services.checkins import checkin_submit

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
ACTORS = ("system", "hq", "officer_a", "viewer_a", "officer_b", "employee_user", "nobody", "anonymous")


@pytest.fixture(autouse=True)
def morning():
    """Before the cut-off, so both runs file on time (or both late) whatever the clock says."""
    now = timezone.localtime()
    with time_machine.travel(now.replace(hour=8, minute=0, second=0, microsecond=0), tick=False):
        yield


def _actor(world: Any, name: str) -> Any:
    if name == "system":
        return None
    if name == "anonymous":
        return AnonymousUser()
    return getattr(world, name)


def _rolled_back(run: Callable[[], Any]) -> Any:
    """``run()`` in a savepoint rolled back afterwards, whatever happens."""
    sid = transaction.savepoint()
    try:
        return run()
    finally:
        transaction.savepoint_rollback(sid)


def _both(run: Callable[[], Any]) -> tuple[Any, Any]:
    """``run()`` with the fast paths, then without; each rolled back."""
    out = []
    for fast in (True, False):
        with override_settings(SAMEBOAT_FAST_PATHS=fast):
            out.append(_rolled_back(run))
    return out[0], out[1]


def _setup(
    hworld: Any,
    *,
    quarantine: str,
    earlier_region: str | None,
    open_day: bool,
    day: datetime.date | None = None,
    gaps: tuple[int, int, int] = (1, 0, 5),
) -> None:
    """Person A's quarantine and an earlier check-in, around ``day`` (today): the
    quarantine starts ``gaps[0]`` days before it and (released) ends ``gaps[1]`` days
    after; the earlier check-in is ``gaps[2]`` days before it."""
    today = timezone.localdate()
    day = day or today
    start_gap, release_gap, earlier_gap = gaps
    employee = hworld.employee_a
    if quarantine != "none":
        Quarantine.objects.create(
            employee=employee,
            organization=employee.organization,
            start=day - datetime.timedelta(days=start_gap),
            planned_end=day + datetime.timedelta(days=13),
            released_on=day + datetime.timedelta(days=release_gap) if quarantine == "released" else None,
            place="home",
            reason="test",
            proposed=quarantine == "proposed",
        )
    if earlier_region is not None:
        CheckIn.objects.create(
            employee=employee,
            organization=employee.organization,
            day=day - datetime.timedelta(days=earlier_gap),
            temperature=Decimal("36.5"),
            region=hworld.regions[earlier_region],
            work_status="on_site",
        )
    if open_day:
        rollup.returns_open_day(today)


def _subject(subject: selectors.CheckInSubject | None) -> Any:
    if subject is None:
        return None
    return (
        subject.employee.pk,
        subject.employee.organization.pk,
        subject.employee.organization.path,
        subject.may_report,
        subject.in_quarantine,
        subject.elsewhere,
    )


@settings(EXAMPLES, max_examples=60)
@given(
    actor=st.sampled_from(ACTORS),
    who=st.sampled_from(["employee_a", "employee_a", "employee_b", "missing"]),
    back=st.integers(0, 2),
    region=st.sampled_from(["home", "hot"]),
    quarantine=st.sampled_from(["none", "confirmed", "proposed", "released"]),
    earlier=st.sampled_from([None, "home", "hot"]),
    # On and either side of each boundary: quarantine start and release, the 14 days back.
    gaps=st.tuples(st.integers(-1, 1), st.integers(-1, 1), st.sampled_from([-1, 0, 1, 13, 14, 15])).filter(
        lambda g: g[0] + g[1] >= 0  # a release comes on or after the start
    ),
)
def test_checkin_subject_reads_what_the_orm_reads(hworld, actor, who, back, region, quarantine, earlier, gaps):
    day = timezone.localdate() - datetime.timedelta(days=back)
    employee_id = getattr(hworld, who).pk if who != "missing" else 999_999
    kwargs = {
        "actor": _actor(hworld, actor),
        "employee_id": employee_id,
        "day": day,
        "region_id": hworld.regions[region].pk,
    }

    def read() -> tuple[Any, Any]:
        _setup(hworld, quarantine=quarantine, earlier_region=earlier, open_day=False, day=day, gaps=gaps)
        return fastpath.checkin_subject(**kwargs), selectors.checkin_subject(**kwargs)

    fast, plain = _rolled_back(read)
    assert _subject(fast) == _subject(plain)
    if fast is not None:
        # Only PostgreSQL draws the check-in's id ahead, for the one-statement filing.
        assert (fast.reserved_checkin_id is not None) == (connection.vendor == "postgresql")
        assert plain is not None and plain.reserved_checkin_id is None


def _without_ids(after: Any) -> Any:
    # A revision's or a case's id differs between the two runs; what it holds is compared.
    if isinstance(after, dict):
        return {k: v for k, v in after.items() if k not in {"revision", "case", "id"}}
    return after


def _written() -> dict[str, Any]:
    """What a check-in left in the database, without ids and times."""
    checkins = {
        c.pk: (c.employee_id, c.day)
        for c in CheckIn.objects.all()  # to name revisions and audit rows by person and day
    }
    return {
        "checkins": sorted(
            CheckIn.objects.values_list(
                "employee_id",
                "organization_id",
                "day",
                *CHECKIN_VALUE_FIELDS,
                "source",
                "on_time",
                "submitted_by_id",
            ),
            key=repr,
        ),
        "returns": sorted(DailyReturn.objects.values_list("organization_id", "day", *RETURN_COUNTERS), key=repr),
        "revisions": sorted(
            ((checkins[r.checkin_id], r.values, r.actor_id) for r in CheckInRevision.objects.all()), key=repr
        ),
        "audit": sorted(
            (
                (
                    e.action,
                    e.object_type,
                    checkins.get(int(e.object_id)) if e.object_type == "health.checkin" else None,
                    e.object_repr,
                    e.organization_id,
                    e.actor_id,
                    _without_ids(e.after),
                )
                for e in AuditEvent.objects.filter(action__startswith="health.")
            ),
            key=repr,
        ),
        "keys": sorted(IdempotencyKey.objects.values_list("user_id", "key", "status_code", "response"), key=repr),
        "cases": sorted(FollowUpCase.objects.values_list("employee_id", "status", "reason"), key=repr),
        "quarantines": sorted(
            Quarantine.objects.values_list("employee_id", "start", "proposed", "released_on"), key=repr
        ),
    }


def _respond(result: CheckIn, created: bool) -> tuple[int, dict[str, Any]]:
    return (201 if created else 200), {"employee": result.employee_id, "day": str(result.day)}


@EXAMPLES
@given(
    actor=st.sampled_from(["system", "hq", "officer_a", "officer_b", "employee_user"]),
    who=st.sampled_from(["employee_a", "employee_b"]),
    back=st.integers(0, 2),
    temperature=st.sampled_from(["36.5", "37.2", "37.3", "38.4"]),
    status=st.sampled_from(["on_site", "cloud", "leave"]),
    symptoms=st.sampled_from([[], ["cough"]]),
    contact=st.booleans(),
    region=st.sampled_from(["home", "hot"]),
    earlier=st.sampled_from([None, "hot"]),
    quarantine=st.sampled_from(["none", "confirmed"]),
    open_day=st.booleans(),
    with_key=st.booleans(),
    second=st.sampled_from([None, "36.6", "37.3"]),
)
def test_checkin_submit_writes_the_same_rows_either_way(
    hworld,
    actor,
    who,
    back,
    temperature,
    status,
    symptoms,
    contact,
    region,
    earlier,
    quarantine,
    open_day,
    with_key,
    second,
):
    user = _actor(hworld, actor)

    def run() -> Any:
        _setup(hworld, quarantine=quarantine, earlier_region=earlier, open_day=open_day)
        employee = getattr(hworld, who)
        outcomes = []
        for n, temp in enumerate([temperature] if second is None else [temperature, second]):
            receipt = Receipt(user_id=hworld.hq.pk, key=f"k{n}", digest="d", respond=_respond) if with_key else None
            try:
                checkin, created = checkin_submit(
                    actor=user,
                    employee=employee,
                    day=timezone.localdate() - datetime.timedelta(days=back),
                    temperature=temp,
                    region=hworld.regions[region],
                    work_status=status,
                    symptoms=symptoms,
                    contact=contact,
                    receipt=receipt,
                )
                outcomes.append(("filed", checkin.employee_id, checkin.day, created, receipt and receipt.answer))
            except DomainError as exc:
                outcomes.append(("refused", exc.code, str(exc)))
        return outcomes, _written()

    fast, plain = _both(run)
    assert fast == plain


def _upload(tmp_path: Any, hworld: Any, rows: list[str]) -> Any:
    header = (
        "Employee number,Date,Temperature,Symptoms,Region code,Travelled in the last 14 days,"
        "Contact with a case in the last 14 days,Work status,Commute mode\n"
    )
    path = tmp_path / "upload.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


row = st.tuples(
    st.sampled_from(["A-001", "B-001"]),
    st.integers(0, 2),
    st.sampled_from(["36.5", "36.6", "37.3", "38.0"]),
    st.sampled_from(["", "cough", "cough;fatigue"]),
    st.sampled_from(["CN-SC", "CN-HB"]),
    st.sampled_from(["no", "yes"]),
    st.sampled_from(["on_site", "cloud", "leave"]),
)


@EXAMPLES
@given(
    before=st.lists(row, max_size=4, unique_by=lambda r: (r[0], r[1])),
    upload=st.lists(row, min_size=1, max_size=6, unique_by=lambda r: (r[0], r[1])),
    earlier=st.sampled_from([None, "hot"]),
)
def test_upload_writes_the_same_rows_either_way(tmp_path, hworld, before, upload, earlier):
    today = timezone.localdate()

    def line(r: tuple[Any, ...]) -> str:
        no, back, temp, symptoms, region, contact, status = r
        return f"{no},{today - datetime.timedelta(days=back)},{temp},{symptoms},{region},no,{contact},{status},car\n"

    def run() -> Any:
        _setup(hworld, quarantine="none", earlier_region=earlier, open_day=True)
        # Reports already in: some of the upload's rows edit them, some repeat them.
        if before:
            import_checkins(path=_upload(tmp_path, hworld, [line(r) for r in before]), name="a.csv", actor=hworld.hq)
        result = import_checkins(
            path=_upload(tmp_path, hworld, [line(r) for r in upload]), name="b.csv", actor=hworld.hq
        )
        return result, _written()

    fast, plain = _both(run)
    assert fast == plain


@EXAMPLES
@given(delta=st.dictionaries(st.sampled_from(RETURN_COUNTERS), st.integers(0, 3), min_size=1))
def test_the_increment_adds_what_returns_apply_adds(hworld, delta):
    today = timezone.localdate()
    org = hworld.unit_a1.pk

    def run_fast() -> Any:
        rollup.returns_ensure([org], today)
        statement = fastpath.increment_sql(org, today, delta)
        if statement is not None:
            with connection.cursor() as cursor:
                cursor.execute(*statement)
        return list(DailyReturn.objects.filter(organization_id=org, day=today).values_list(*RETURN_COUNTERS))

    def run_plain() -> Any:
        rollup.returns_ensure([org], today)
        rollup.returns_apply(org, today, delta)
        return list(DailyReturn.objects.filter(organization_id=org, day=today).values_list(*RETURN_COUNTERS))

    assert _rolled_back(run_fast) == _rolled_back(run_plain)


def test_an_unknown_counter_is_refused_by_both(hworld):
    today = timezone.localdate()
    with pytest.raises(ValueError, match="unknown return counters"):
        fastpath.increment_sql(hworld.unit_a1.pk, today, {"nonsense": 1})
    with pytest.raises(ValueError, match="unknown return counters"):
        rollup.returns_apply(hworld.unit_a1.pk, today, {"nonsense": 1})
