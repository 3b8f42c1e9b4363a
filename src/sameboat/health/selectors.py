"""Reads of the health capability, always through the scoping helper.

Subtree totals are sums over ``DailyReturn`` rows (one per unit per day), so the cost of a
dashboard depends on the number of units shown, not on the number of check-ins or days of
history behind them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.utils import timezone

from sameboat.accounts.roles import HEALTH_VALUE_ROLES, READ_ROLES
from sameboat.accounts.scoping import get_in_scope_or_404, reaches, scope
from sameboat.health.models import (
    FEVER_THRESHOLD,
    OPEN_CASE_STATUSES,
    RETURN_COUNTERS,
    CheckIn,
    DailyReturn,
    FollowUpCase,
    OpenedDay,
    Quarantine,
    WorkStatus,
)
from sameboat.orgs.models import Employee, Organization
from sameboat.orgs.selectors import officers_by_unit, region_rule_on

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
    # The officers who get the reminders (chase_run), on the unit or above it: one query.
    officers = officers_by_unit(r.organization for r in lagging)
    return [
        {
            "organization": r.organization,
            "headcount": r.headcount,
            "reported": r.reported,
            "missing": r.headcount - r.reported,
            "officers": [str(user) for user in officers.get(r.organization_id, [])],
        }
        for r in lagging
    ]


def missing_people(*, user: Any, organization: Organization, day: datetime.date) -> QuerySet[Employee]:
    """Who in the subtree has not reported on ``day``."""
    from sameboat.health.services.chase import missing_employees

    return scope(missing_employees(day=day, organization=organization), user, roles=READ_ROLES)


def missing_people_count(*, user: Any, organization: Organization, day: datetime.date) -> int:
    """How many ``missing_people`` lists, in one query when today's returns are exact.

    Counting the people one by one is an anti-join of the roster with the day's reports
    (200 ms for 200,000 people); while today's returns match the live roster (see
    ``OpenedDay``) the same number is the subtree's headcount minus its reports, summed
    over one row per unit. Any other day, or an inexact one, counts the people."""
    if day != timezone.localdate():
        return missing_people(user=user, organization=organization, day=day).count()
    # One statement either way (the dashboard's query count is pinned): the databases
    # evaluate the counting subquery only when the CASE reaches it.
    people = missing_people(user=user, organization=organization, day=day).order_by()
    counted = Subquery(
        people.annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField())).values("n")[:1],
        output_field=IntegerField(),
    )
    rows = scope(DailyReturn.objects.filter(day=day), user, roles=READ_ROLES, within=organization).aggregate(
        n=Case(
            When(Exists(OpenedDay.objects.filter(day=day, exact=True)), then=Sum("headcount") - Sum("reported")),
            default=counted,
            output_field=IntegerField(),
        )
    )
    return int(rows["n"] or 0)


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


def repeat_allowed(*, today: CheckIn | None, yesterday: CheckIn | None, quarantined: bool) -> bool:
    """Whether "same as yesterday" may file today's check-in: nothing filed yet, a healthy
    yesterday, and not "on site" from a quarantine."""
    return (
        today is None
        and yesterday is not None
        and not yesterday.needs_follow_up
        and not (quarantined and yesterday.work_status == WorkStatus.ON_SITE)
    )


def checkin_today_for(*, user: Any) -> dict[str, Any] | None:
    """The person's own check-in state for today (their home page): today's check-in or
    None, and whether "same as yesterday" may file it; None for a login with no roster entry."""
    employee = employee_for_user(user)
    if employee is None:
        return None
    day = timezone.localdate()
    yesterday_day = day - datetime.timedelta(days=1)
    recent = {c.day: c for c in checkin_list(user=user, employee=employee, since=yesterday_day)}
    today = recent.get(day)
    quarantined = today is None and in_quarantine(employee=employee, day=day)
    return {
        "checkin": today,
        "can_repeat": repeat_allowed(today=today, yesterday=recent.get(yesterday_day), quarantined=quarantined),
    }


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
    """The person a check-in is for, with what the service must know.

    The employee comes with its organisation, and flags: ``may_report`` (the actor is
    the person, or an officer whose scope reaches their unit; the system, ``actor=None``,
    always may), ``in_quarantine`` (a confirmed quarantine covers ``day``) and
    ``elsewhere`` (a check-in of the last 14 days was filed from another region, so the
    arrival check has something to look at). ``reserved_checkin_id`` is None here: only
    the fast path (``health.fastpath.checkin_subject``, one query) draws an id.
    """
    since = day - datetime.timedelta(days=ARRIVAL_LOOKBACK_DAYS)
    employee = (
        Employee.objects.select_related("organization")
        .annotate(
            in_quarantine=Exists(
                Quarantine.objects.filter(employee=OuterRef("pk"), proposed=False, start__lte=day).filter(
                    Q(released_on__isnull=True) | Q(released_on__gt=day)
                )
            ),
            elsewhere=Exists(
                CheckIn.objects.filter(employee=OuterRef("pk"), day__gte=since, day__lt=day).exclude(
                    region_id=region_id
                )
            ),
        )
        .filter(pk=employee_id)
        .first()
    )
    if employee is None:
        return None
    may_report = (
        actor is None
        or (getattr(actor, "is_authenticated", False) and employee.user_id == actor.pk)
        # Filing for someone shows their day's answers: the same roles as reading them.
        or reaches(actor, employee.organization, HEALTH_VALUE_ROLES)
    )
    return CheckInSubject(employee, may_report, employee.in_quarantine, employee.elsewhere, None)


def units_not_reported_count(*, user: Any, organization: Organization, day: datetime.date) -> int:
    """How many units in the subtree still have someone missing."""
    return scope(DailyReturn.objects.filter(day=day, reported__lt=F("headcount")), user, within=organization).count()


# --- Follow-up and quarantines (reads the follow-up services make) ---------------------------------

DEFAULT_QUARANTINE_DAYS = 14


def in_quarantine(*, employee: Employee, day: datetime.date) -> bool:
    """Whether a confirmed quarantine covers the person on ``day``."""
    return Quarantine.objects.filter(
        Q(released_on__isnull=True) | Q(released_on__gt=day),
        employee=employee,
        proposed=False,
        start__lte=day,
    ).exists()


def quarantine_open_on(*, employee: Employee, day: datetime.date) -> bool:
    """Whether the person has a quarantine (proposed or confirmed) not ended by ``day``."""
    return Quarantine.objects.filter(
        Q(released_on__isnull=True) | Q(released_on__gt=day),
        employee=employee,
    ).exists()


def default_quarantine_days(employee: Employee) -> int:
    """Quarantine days from the rules of the unit's region, or 14 when it has none."""
    region = employee.organization.region
    rule = region_rule_on(region=region) if region else None
    return rule.quarantine_days if rule and rule.quarantine_days else DEFAULT_QUARANTINE_DAYS


def checkins_elsewhere_before(*, checkin: CheckIn, days: int) -> list[CheckIn]:
    """The person's check-ins of the ``days`` before this one filed from another region,
    newest first (with their regions)."""
    since = checkin.day - datetime.timedelta(days=days)
    return list(
        CheckIn.objects.filter(employee_id=checkin.employee_id, day__gte=since, day__lt=checkin.day)
        .exclude(region_id=checkin.region_id)
        .select_related("region")
        .order_by("-day")[:days]
    )


def cases_open_by_person(*, employee_ids: Iterable[int]) -> dict[int, FollowUpCase]:
    """The open follow-up case of each of these people who has one, by person."""
    return {
        case.employee_id: case
        for case in FollowUpCase.objects.filter(employee_id__in=set(employee_ids), closed_on__isnull=True)
    }
