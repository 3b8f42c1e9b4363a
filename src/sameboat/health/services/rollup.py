"""Keeping the daily returns right as things happen (no nightly batch).

Each ``DailyReturn`` row holds one organisation's own staff for one day. A check-in adds
its contribution with ``UPDATE … SET n = n + 1`` (the row lock serialises concurrent
check-ins of a unit, and increments never lose an update); an edit moves the difference;
quarantines and cases, which span days, recount just the cells they touch. Subtree totals
are summed at read time from these rows (see ``health.selectors``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q

from sameboat.core.db import bulk_update_rows, transaction_lock
from sameboat.health.models import (
    CASE_FIGURES,
    QUARANTINE_STATUSES,
    RETURN_COUNTERS,
    CheckIn,
    DailyReturn,
    FollowUpCase,
    OpenedDay,
    Quarantine,
    WorkStatus,
)

# Taken by the day's opening and by roster writes, so that they take turns (see returns_open_day).
OPENING_LOCK = "health.opened_day"

_STATUS_COUNTER = {
    WorkStatus.ON_SITE: "on_site",
    WorkStatus.CLOUD: "cloud_office",
    WorkStatus.LEAVE: "leave",
}


def contribution(checkin: CheckIn | Mapping[str, Any], *, on_time: bool = False) -> dict[str, int]:
    """What one check-in adds to its unit's return for its day."""
    get: Any = checkin.get if isinstance(checkin, Mapping) else lambda k: getattr(checkin, k)
    from sameboat.health.models import FEVER_THRESHOLD

    out = {"reported": 1, "on_time": 1 if on_time else 0}
    counter = _STATUS_COUNTER.get(get("work_status"))
    if counter:
        out[counter] = 1
    out["fever"] = 1 if get("temperature") >= FEVER_THRESHOLD else 0
    out["symptomatic"] = 1 if get("symptoms") else 0
    out["exposed"] = 1 if get("contact") else 0
    return out


def difference(new: Mapping[str, int], old: Mapping[str, int]) -> dict[str, int]:
    """new − old, counter by counter (only the non-zero ones)."""
    keys = set(new) | set(old)
    return {k: new.get(k, 0) - old.get(k, 0) for k in keys if new.get(k, 0) != old.get(k, 0)}


def quarantined_on(org_ids: Iterable[int], day: datetime.date) -> dict[int, int]:
    """People of each organisation in a confirmed quarantine on ``day``."""
    rows = (
        Quarantine.objects.filter(organization_id__in=list(org_ids), proposed=False, start__lte=day)
        .filter(Q(released_on__isnull=True) | Q(released_on__gt=day))
        .values("organization_id")
        .annotate(n=Count("employee_id", distinct=True))
    )
    return {r["organization_id"]: r["n"] for r in rows}


def _open_cases(org_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    rows: Any = (
        FollowUpCase.objects.filter(organization_id__in=list(org_ids), closed_on__isnull=True)
        .values("organization_id")
        .annotate(**{key: Count("id", filter=Q(status__in=statuses)) for key, statuses in CASE_FIGURES.items()})
    )
    return {r["organization_id"]: {key: r[key] for key in CASE_FIGURES} for r in rows}


def _headcounts(org_ids: Iterable[int]) -> dict[int, int]:
    from sameboat.orgs.models import Employee

    rows = (
        Employee.objects.filter(organization_id__in=list(org_ids), is_active=True)
        .values("organization_id")
        .annotate(n=Count("id"))
    )
    return {r["organization_id"]: r["n"] for r in rows}


def returns_ensure(org_ids: Iterable[int], day: datetime.date) -> None:
    """Create the missing rows for these organisations and day, with their snapshots.

    Headcount, quarantined, suspected and confirmed start from the current roster,
    quarantines and open cases; reports then add themselves as they arrive.
    """
    wanted = set(org_ids)
    if not wanted:
        return
    have = set(
        DailyReturn.objects.filter(day=day, organization_id__in=wanted).values_list("organization_id", flat=True)
    )
    missing = wanted - have
    if not missing:
        return
    heads = _headcounts(missing)
    quarantined = quarantined_on(missing, day)
    cases = _open_cases(missing)
    DailyReturn.objects.bulk_create(
        [
            DailyReturn(
                organization_id=org_id,
                day=day,
                headcount=heads.get(org_id, 0),
                quarantined=quarantined.get(org_id, 0),
                suspected=cases.get(org_id, {}).get("suspected", 0),
                confirmed=cases.get(org_id, {}).get("confirmed", 0),
            )
            for org_id in missing
        ],
        ignore_conflicts=True,  # a concurrent request may have created the same row
    )


def returns_apply(org_id: int, day: datetime.date, delta: Mapping[str, int]) -> None:
    """Add ``delta`` to one organisation's return for one day."""
    changes = {k: v for k, v in delta.items() if v}
    if not changes:
        return
    if any(k not in _ALL_COUNTERS for k in changes):
        raise ValueError(f"unknown return counters: {sorted(delta)}")
    # ``n = n + d`` in the database: the row lock serialises concurrent reports of a unit
    # and no increment is lost. The row nearly always exists (the day was opened, or a
    # colleague reported first), so try the increment before paying for the snapshot
    # queries that create a row.
    row = DailyReturn.objects.filter(organization_id=org_id, day=day)
    increments = {k: F(k) + v for k, v in changes.items()}
    if not row.update(**increments):
        returns_ensure([org_id], day)
        row.update(**increments)


def returns_recount_quarantined(org_id: int, first: datetime.date, last: datetime.date) -> None:
    """Recount the quarantined column of one organisation's existing rows in a date range."""
    rows = DailyReturn.objects.filter(organization_id=org_id, day__gte=first, day__lte=last)
    for row in rows.only("id", "day", "quarantined"):
        n = quarantined_on([org_id], row.day).get(org_id, 0)
        if n != row.quarantined:
            DailyReturn.objects.filter(pk=row.pk).update(quarantined=n)


def returns_recount_cases(org_id: int, day: datetime.date) -> None:
    """Recount suspected and confirmed for one organisation's return of ``day`` (today)."""
    returns_ensure([org_id], day)
    counts = _open_cases([org_id]).get(org_id, {"suspected": 0, "confirmed": 0})
    DailyReturn.objects.filter(organization_id=org_id, day=day).update(**counts)


def returns_sync_headcount(org_ids: Iterable[int], day: datetime.date) -> None:
    """Bring the day's headcount in line with the roster (after roster changes)."""
    ids = list(org_ids)
    returns_ensure(ids, day)
    heads = _headcounts(ids)
    for org_id in ids:
        DailyReturn.objects.filter(organization_id=org_id, day=day).exclude(headcount=heads.get(org_id, 0)).update(
            headcount=heads.get(org_id, 0)
        )


def returns_open_day(day: datetime.date) -> int:
    """Create the day's rows for every organisation that has staff; returns how many exist.

    Marks the day opened, and exact when every return matches its live roster (see
    ``OpenedDay``); a day found inexact, or made so by a roster change, stays inexact.
    """
    from sameboat.orgs.models import Employee

    org_ids = set(Employee.objects.filter(is_active=True).values_list("organization_id", flat=True).distinct())
    returns_ensure(org_ids, day)
    with transaction.atomic():
        # Roster writes take the same lock (returns_follow_roster): one that commits while
        # the match is being checked would otherwise find the day not yet exact, skip its
        # own check, and leave the day marked exact on returns it had just made wrong.
        transaction_lock(OPENING_LOCK)
        exact = returns_match_roster(day)
        marker, _created = OpenedDay.objects.get_or_create(day=day, defaults={"exact": exact})
        if not exact and marker.exact:
            OpenedDay.objects.filter(pk=marker.pk).update(exact=False)
    return len(org_ids)


def returns_match_roster(day: datetime.date, org_ids: Iterable[int] | None = None) -> bool:
    """Whether the day's returns of these organisations (all when None) match the live roster:
    each headcount is the active roster, each reported is the day's reports filed there, and
    each of those reports is by a person still active there (nobody who reported has left or
    moved). Then headcount − reported is exactly the people who have not reported."""
    from sameboat.orgs.models import Employee

    ids = None if org_ids is None else set(org_ids)
    people = Employee.objects.filter(is_active=True)
    reports = CheckIn.objects.filter(day=day)
    rows = DailyReturn.objects.filter(day=day)
    if ids is not None:
        people = people.filter(organization_id__in=ids)
        reports = reports.filter(Q(organization_id__in=ids) | Q(employee__organization_id__in=ids))
        rows = rows.filter(organization_id__in=ids)
    heads = dict(people.values("organization_id").annotate(n=Count("id")).values_list("organization_id", "n"))
    filed = dict(reports.values("organization_id").annotate(n=Count("id")).values_list("organization_id", "n"))
    stored = {org: (h, r) for org, h, r in rows.values_list("organization_id", "headcount", "reported")}
    if ids is not None:
        filed = {org: n for org, n in filed.items() if org in ids}
    for org in set(heads) | set(filed) | set(stored):
        if stored.get(org, (0, 0)) != (heads.get(org, 0), filed.get(org, 0)):
            return False
    strays = reports.filter(~Q(employee__is_active=True) | ~Q(employee__organization_id=F("organization_id")))
    return not strays.exists()


def returns_follow_roster(org_ids: Iterable[int], day: datetime.date) -> None:
    """After a roster write: bring the day's headcounts in line, and clear the day's exact
    flag if the change broke the match (someone who reported that day left or moved)."""
    ids = sorted(set(org_ids))
    with transaction.atomic():
        returns_sync_headcount(ids, day)
        # Waits for an opening in progress (returns_open_day), so its mark is seen here.
        transaction_lock(OPENING_LOCK)
        if OpenedDay.objects.filter(day=day, exact=True).exists() and not returns_match_roster(day, ids):
            OpenedDay.objects.filter(day=day).update(exact=False)


def is_quarantine_status(status: str) -> bool:
    """Whether a work status means the person is in quarantine."""
    return status in QUARANTINE_STATUSES


def returns_recount(pairs: Iterable[tuple[int, datetime.date]]) -> int:
    """Recompute the check-in counters of these (organisation, day) returns from raw rows.

    For bulk writers (spreadsheet uploads, the demo's history): one grouped query over the
    affected units and days, then one update per affected row. Quarantined, suspected and
    confirmed are left as the events that change them keep them.
    """
    wanted = set(pairs)
    if not wanted:
        return 0
    org_ids = {org for org, _ in wanted}
    days = {day for _, day in wanted}
    for day in days:
        returns_ensure({org for org, d in wanted if d == day}, day)
    fever = Q(temperature__gte=_fever_threshold())
    counts = (
        CheckIn.objects.filter(organization_id__in=org_ids, day__in=days)
        .values("organization_id", "day")
        .annotate(
            reported=Count("id"),
            on_time=Count("id", filter=Q(on_time=True)),
            on_site=Count("id", filter=Q(work_status=WorkStatus.ON_SITE)),
            cloud_office=Count("id", filter=Q(work_status=WorkStatus.CLOUD)),
            leave=Count("id", filter=Q(work_status=WorkStatus.LEAVE)),
            fever=Count("id", filter=fever),
            symptomatic=Count("id", filter=~Q(symptoms=[])),
            exposed=Count("id", filter=Q(contact=True)),
        )
    )
    found: dict[tuple[int, datetime.date], Any] = {(r["organization_id"], r["day"]): r for r in counts}
    rows = []
    for org_id, day in wanted:
        row = found.get((org_id, day))
        rows.append([*(row[k] if row else 0 for k in _CHECKIN_COUNTERS), org_id, day])
    # Every row exists (ensured above): one statement sent with many parameter sets
    # instead of a round trip per row (500 units were 1.4 s one by one).
    bulk_update_rows(DailyReturn, _CHECKIN_COUNTERS, rows, keys=("organization", "day"))
    return len(wanted)


_ALL_COUNTERS = frozenset(RETURN_COUNTERS)
_CHECKIN_COUNTERS = ("reported", "on_time", "on_site", "cloud_office", "leave", "fever", "symptomatic", "exposed")


def _fever_threshold() -> Any:
    from sameboat.health.models import FEVER_THRESHOLD

    return FEVER_THRESHOLD
