"""Reads of the health capability, always through the scoping helper.

Subtree totals are sums over ``DailyReturn`` rows (one per unit per day), so the cost of a
dashboard depends on the number of units shown, not on the number of check-ins or days of
history behind them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

from django.db import connection
from django.db.models import F, QuerySet, Sum
from django.utils import timezone

from sameboat.accounts.models import Membership
from sameboat.accounts.roles import HEALTH_VALUE_ROLES, READ_ROLES, Role
from sameboat.accounts.scoping import get_in_scope_or_404, reach_sql, scope
from sameboat.core.db import hot_cursor, model_from_row, select_columns
from sameboat.health.models import (
    FEVER_THRESHOLD,
    OPEN_CASE_STATUSES,
    RETURN_COUNTERS,
    CheckIn,
    DailyReturn,
    FollowUpCase,
    Quarantine,
)
from sameboat.orgs.models import Employee, Organization

Totals = dict[str, int]


def _empty() -> Totals:
    return dict.fromkeys(RETURN_COUNTERS, 0)


def with_missing(totals: Totals) -> Totals:
    """Add the derived figures: missing and the reporting rate (per cent)."""
    out = dict(totals)
    out["missing"] = max(0, totals["headcount"] - totals["reported"])
    out["rate"] = round(100 * totals["reported"] / totals["headcount"]) if totals["headcount"] else 0
    return out


def returns_subtree(*, user: Any, organization: Organization, day: datetime.date) -> Totals:
    """Totals for an organisation's whole subtree on a day (the organisation must be in scope)."""
    rows = scope(DailyReturn.objects.filter(day=day), user, within=organization).aggregate(
        **{k: Sum(k) for k in RETURN_COUNTERS}
    )
    return with_missing({k: rows[k] or 0 for k in RETURN_COUNTERS})


def returns_of_subtree(*, organization: Organization, day: datetime.date) -> Totals:
    """Totals for an organisation's whole subtree on a day, read without a user: for checks the
    caller has already placed in scope (a readiness check on a plan the caller may see)."""
    rows = DailyReturn.objects.filter(day=day, organization__path__startswith=organization.path).aggregate(
        **{k: Sum(k) for k in RETURN_COUNTERS}
    )
    return with_missing({k: rows[k] or 0 for k in RETURN_COUNTERS})


def returns_breakdown(*, user: Any, organization: Organization, day: datetime.date) -> list[dict[str, Any]]:
    """One line per visible child of ``organization`` with its subtree totals, and a line for
    the organisation's own staff when it has any. Two queries whatever the tree's size."""
    children = list(
        scope(Organization.objects.filter(depth=organization.depth + 1), user, via=None, within=organization).order_by(
            "path"
        )
    )
    prefix_len = len(organization.path) + Organization.steplen
    rows = scope(DailyReturn.objects.filter(day=day), user, within=organization).values_list(
        "organization__path", *RETURN_COUNTERS
    )
    by_child: dict[str, Totals] = defaultdict(_empty)
    own = _empty()
    has_own = False
    for path, *values in rows:
        target = own if len(path) == len(organization.path) else by_child[path[:prefix_len]]
        has_own = has_own or target is own
        for key, value in zip(RETURN_COUNTERS, values, strict=True):
            target[key] += value
    lines = [{"organization": child, "own_staff": False, **with_missing(by_child[child.path])} for child in children]
    if has_own:
        lines.insert(0, {"organization": organization, "own_staff": True, **with_missing(own)})
    return lines


def returns_trend(
    *, user: Any, organization: Organization, days: int, end: datetime.date | None = None
) -> list[dict[str, Any]]:
    """Daily subtree totals for the last ``days`` days (one query)."""
    end = end or timezone.localdate()
    start = end - datetime.timedelta(days=days - 1)
    rows = (
        scope(DailyReturn.objects.filter(day__gte=start, day__lte=end), user, within=organization)
        .values("day")
        .annotate(**{k: Sum(k) for k in RETURN_COUNTERS})
        .order_by("day")
    )
    found: dict[datetime.date, Any] = {r["day"]: r for r in rows}
    out = []
    for i in range(days):
        day = start + datetime.timedelta(days=i)
        row = found.get(day)
        totals = {k: (row[k] or 0) if row else 0 for k in RETURN_COUNTERS}
        out.append({"day": day, **with_missing(totals)})
    return out


def units_not_reported(
    *, user: Any, organization: Organization, day: datetime.date, limit: int | None = None
) -> list[dict[str, Any]]:
    """Units in the subtree where someone has not reported, most missing first, with their
    officers (two queries); ``limit`` caps the lines for a dashboard tile."""
    qs = (
        scope(DailyReturn.objects.filter(day=day, reported__lt=F("headcount")), user, within=organization)
        .select_related("organization")
        .order_by(F("reported") - F("headcount"), "organization__path")
    )
    lagging = list(qs[:limit] if limit else qs)
    officers: dict[int, list[str]] = defaultdict(list)
    for org_id, name, username in Membership.objects.filter(
        organization_id__in=[r.organization_id for r in lagging], role=Role.UNIT_OFFICER
    ).values_list("organization_id", "user__display_name", "user__username"):
        officers[org_id].append(name or username)
    return [
        {
            "organization": r.organization,
            "headcount": r.headcount,
            "reported": r.reported,
            "missing": r.headcount - r.reported,
            "officers": officers.get(r.organization_id, []),
        }
        for r in lagging
    ]


def missing_people(*, user: Any, organization: Organization, day: datetime.date) -> QuerySet[Employee]:
    """Who in the subtree has not reported on ``day``."""
    from sameboat.health.services.chase import missing_employees

    return scope(missing_employees(day=day, organization=organization), user, roles=READ_ROLES)


def checkin_list(
    *, user: Any, employee: Employee | None = None, since: datetime.date | None = None
) -> QuerySet[CheckIn]:
    """Check-ins the user may read: their own, or their subtree's for the roles that read
    health values (``HEALTH_VALUE_ROLES``); other roles see the returns' counts only."""
    qs = scope(
        CheckIn.objects.select_related("employee", "region", "organization"),
        user,
        roles=HEALTH_VALUE_ROLES,
        own="employee__user",
    )
    if employee is not None:
        qs = qs.filter(employee=employee)
    if since is not None:
        qs = qs.filter(day__gte=since)
    return qs.order_by("-day", "employee_id")


def checkin_history_for(*, user: Any, employee: Employee, days: int = 30) -> QuerySet[CheckIn]:
    """A person's recent check-ins (the page that shows them records the read:
    ``health.read_audit``)."""
    since = timezone.localdate() - datetime.timedelta(days=days)
    return checkin_list(user=user, employee=employee, since=since)


def fever_list(*, user: Any, organization: Organization, day: datetime.date) -> QuerySet[CheckIn]:
    """Check-ins with a fever on ``day`` in the subtree."""
    return checkin_list(user=user).filter(
        day=day, temperature__gte=FEVER_THRESHOLD, organization__path__startswith=organization.path
    )


def case_list(*, user: Any, organization: Organization | None = None, open_only: bool = True) -> QuerySet[FollowUpCase]:
    """Follow-up cases in scope of a role that reads health values, open ones by default."""
    qs = scope(FollowUpCase.objects.select_related("employee", "organization"), user, roles=HEALTH_VALUE_ROLES)
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    if open_only:
        qs = qs.filter(closed_on__isnull=True, status__in=OPEN_CASE_STATUSES)
    return qs.order_by("-opened_on", "-id")


def case_get(*, user: Any, pk: Any) -> FollowUpCase:
    """One case in scope, or 404."""
    return get_in_scope_or_404(
        FollowUpCase.objects.select_related("employee", "organization"), user, roles=HEALTH_VALUE_ROLES, pk=pk
    )


def quarantine_list(
    *,
    user: Any,
    organization: Organization | None = None,
    active_on: datetime.date | None = None,
    include_proposed: bool = True,
) -> QuerySet[Quarantine]:
    """Quarantines in scope, optionally only those open on a day; the person sees their own."""
    qs = scope(
        Quarantine.objects.select_related("employee", "organization"),
        user,
        roles=HEALTH_VALUE_ROLES,
        own="employee__user",
    )
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    if active_on is not None:
        qs = qs.filter(start__lte=active_on).exclude(released_on__lte=active_on)
    if not include_proposed:
        qs = qs.filter(proposed=False)
    return qs.order_by("-start", "-id")


def quarantine_get(*, user: Any, pk: Any) -> Quarantine:
    """One quarantine in scope, or 404."""
    return get_in_scope_or_404(
        Quarantine.objects.select_related("employee", "organization"),
        user,
        roles=HEALTH_VALUE_ROLES,
        own="employee__user",
        pk=pk,
    )


def employee_for_user(user: Any) -> Employee | None:
    """The roster entry linked to a login, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Employee.objects.select_related("organization", "organization__region", "home_region")
        .filter(user=user, is_active=True)
        .first()
    )


# How far back a check-in in another region counts as a journey to check on arrival.
ARRIVAL_LOOKBACK_DAYS = 14


@dataclass(frozen=True)
class CheckInSubject:
    """What the check-in service must know about the person a check-in is for."""

    employee: Employee  # with its organisation
    may_report: bool
    in_quarantine: bool
    elsewhere: bool
    reserved_checkin_id: int | None


def checkin_subject(*, actor: Any, employee_id: int, day: datetime.date, region_id: int) -> CheckInSubject | None:
    """The person a check-in is for, with what the service must know, in one query.

    The employee comes with its organisation, and flags: ``may_report`` (the actor is
    the person, or an officer whose scope reaches their unit; the system, ``actor=None``,
    always may), ``in_quarantine`` (a confirmed quarantine covers ``day``) and
    ``elsewhere`` (a check-in of the last 14 days was filed from another region, so the
    arrival check has something to look at), and ``reserved_checkin_id`` (PostgreSQL: an
    id drawn for the check-in; None elsewhere). A check-in is the busiest write of the day:
    these were four round trips, and the ORM took longer to compile this one than the
    database took to answer it, hence the SQL by hand.
    """
    ops = connection.ops
    if actor is None:
        may_sql, may_params = "1 = 1", cast(list[Any], [])
    else:
        # Filing for someone shows their day's answers: the same roles as reading them.
        may_sql, may_params = reach_sql(actor, "o.path", HEALTH_VALUE_ROLES)
        if getattr(actor, "is_authenticated", False):
            may_sql, may_params = f"(e.user_id = %s OR {may_sql})", [actor.pk, *may_params]
    # On PostgreSQL the check-in's id is drawn here, so its answer (and idempotency key)
    # can be written in the same statement as the check-in itself.
    reserve = (
        f", nextval(pg_get_serial_sequence('{CheckIn._meta.db_table}', 'id'))"
        if connection.vendor == "postgresql"
        else ", NULL"
    )
    sql = (
        f"SELECT {select_columns(Employee, 'e')}, {select_columns(Organization, 'o')}, {may_sql},"  # noqa: S608 - table and column names from the models
        f" EXISTS (SELECT 1 FROM {Quarantine._meta.db_table} q WHERE q.employee_id = e.id AND NOT q.proposed"
        "  AND q.start <= %s AND (q.released_on IS NULL OR q.released_on > %s)),"
        f" EXISTS (SELECT 1 FROM {CheckIn._meta.db_table} c WHERE c.employee_id = e.id"
        "  AND c.day >= %s AND c.day < %s AND c.region_id <> %s)"
        f"{reserve}"
        f" FROM {Employee._meta.db_table} e JOIN {Organization._meta.db_table} o ON o.id = e.organization_id"
        " WHERE e.id = %s"
    )
    on_day = ops.adapt_datefield_value(day)
    since = ops.adapt_datefield_value(day - datetime.timedelta(days=ARRIVAL_LOOKBACK_DAYS))
    with hot_cursor(connection) as cursor:
        cursor.execute(sql, [*may_params, on_day, on_day, since, on_day, region_id, employee_id])
        row = cursor.fetchone()
    if row is None:
        return None
    n, m = len(Employee._meta.concrete_fields), len(Organization._meta.concrete_fields)
    employee = model_from_row(Employee, row[:n], connection)
    employee.organization = model_from_row(Organization, row[n : n + m], connection)
    may_report, in_quarantine, elsewhere, reserved = row[n + m :]
    return CheckInSubject(employee, bool(may_report), bool(in_quarantine), bool(elsewhere), reserved)


def units_not_reported_count(*, user: Any, organization: Organization, day: datetime.date) -> int:
    """How many units in the subtree still have someone missing."""
    return scope(DailyReturn.objects.filter(day=day, reported__lt=F("headcount")), user, within=organization).count()
