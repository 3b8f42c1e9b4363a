"""Alerts for the epidemic-prevention office: who hears about a confirmed case, a fever and
a unit that has not reported by the cut-off.

- A confirmed case reaches the HQ commanders whose scope covers the unit and the company's
  emergency leadership group.
- A fever reaches the unit's officers (``orgs.selectors.unit_officers``). A fever that
  opens a follow-up case is already in the case's own notice ("health.case.opened", with
  the temperature); these alerts cover the fever of someone whose case is open, which used
  to be added to the case as a note that nobody was told of.
- A unit under ``SAMEBOAT_CHECKIN_RATE_ALERT`` percent reported once the cut-off has
  passed reaches its company's managers (from ``chase_run``, run at the cut-off).

Each alert carries a merge key (event, subject, day): the same alert to the same person on
the same day lands once, however often the check-in is refiled or the chase is run. They
are sent through ``notify``, so they go out when the transaction commits.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from sameboat.core.notify import merge_key_for, notify, ref
from sameboat.health.models import CheckIn, FollowUpCase
from sameboat.orgs.models import Employee, Organization
from sameboat.orgs.selectors import (
    company_managers,
    hq_commanders,
    leadership_group_users,
    officers_by_unit,
    unit_officers,
)


def case_confirmed(*, case: FollowUpCase, day: datetime.date | None = None) -> None:
    """Tell HQ and the company's leadership group that a case was confirmed."""
    day = day or timezone.localdate()
    unit = case.organization
    event = "health.case.confirmed"
    notify(
        event=event,
        recipients=[*hq_commanders(unit), *leadership_group_users(unit)],
        params={
            "person": ref("orgs.employee", case.employee_id),
            "unit": ref("orgs.organization", unit),
            "day": day.isoformat(),
        },
        url=reverse("health:case", args=[case.pk]),
        organization=unit,
        merge_key=merge_key_for(event, case, day),
    )


def fever_on_open_case(*, checkin: CheckIn) -> None:
    """Tell the unit's officers of a fever reported by someone already followed up."""
    employee = checkin.employee
    event = "health.fever.reported"
    notify(
        event=event,
        recipients=unit_officers(employee.organization),
        params={
            "person": ref("orgs.employee", employee),
            "unit": ref("orgs.organization", employee.organization_id),
            "t": str(checkin.temperature),
            "day": checkin.day.isoformat(),
        },
        url=reverse("health:cases") + f"?org={employee.organization_id}",
        organization=employee.organization,
        merge_key=merge_key_for(event, employee, checkin.day),
    )


def fevers_on_open_cases(*, checkins: Iterable[CheckIn]) -> None:
    """``fever_on_open_case`` for an upload: one alert per unit and day (one insert each),
    with the officers of every unit found in one query."""
    grouped: dict[tuple[int, datetime.date], list[CheckIn]] = {}
    for checkin in checkins:
        grouped.setdefault((checkin.employee.organization_id, checkin.day), []).append(checkin)
    if not grouped:
        return
    units = {c.employee.organization_id: c.employee.organization for cs in grouped.values() for c in cs}
    officers = officers_by_unit(units.values())
    event = "health.fevers.reported"
    for (unit_id, day), found in grouped.items():
        unit = units[unit_id]
        notify(
            event=event,
            recipients=officers.get(unit_id, []),
            params={
                "n": len({c.employee_id for c in found}),
                "unit": ref("orgs.organization", unit),
                "day": day.isoformat(),
            },
            url=reverse("health:cases") + f"?org={unit_id}",
            organization=unit,
            merge_key=merge_key_for(event, unit, day),
        )


def cutoff_passed(day: datetime.date) -> bool:
    """Whether ``day``'s reporting cut-off is behind us (a past day's always is)."""
    from sameboat.health.services.checkins import cutoff_time

    today = timezone.localdate()
    return day < today or (day == today and timezone.localtime().time() >= cutoff_time())


def low_reporting_rates(*, day: datetime.date, missing_by_unit: dict[int, list[Employee]]) -> int:
    """Tell each company's managers about its units under the reporting-rate target on
    ``day``; only once the cut-off has passed. Returns the number of units reported."""
    target = settings.SAMEBOAT_CHECKIN_RATE_ALERT
    if not target or not missing_by_unit or not cutoff_passed(day):
        return 0
    headcounts = dict(
        Employee.objects.filter(is_active=True, organization_id__in=list(missing_by_unit))
        .values_list("organization_id")
        .annotate(n=Count("pk"))
        .values_list("organization_id", "n")
    )
    event = "health.rate.low"
    alerted = 0
    for unit_id, missing in missing_by_unit.items():
        headcount = headcounts.get(unit_id, 0)
        if not headcount:
            continue
        rate = 100 * (headcount - len(missing)) / headcount
        if rate >= target:
            continue
        unit: Organization = missing[0].organization
        alerted += 1
        notify(
            event=event,
            recipients=company_managers(unit),
            params={
                "unit": ref("orgs.organization", unit),
                "rate": int(rate),  # rounded down: 89.6% is not "90%" against a 90% target
                "target": target,
                "missing": len(missing),
                "day": day.isoformat(),
            },
            url=reverse("health:missing") + f"?org={unit.pk}&day={day.isoformat()}",
            organization=unit,
            merge_key=merge_key_for(event, unit, day),
        )
    return alerted
