"""Chasing: reminding the people who have not reported, and their unit officers."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.accounts.roles import ROSTER_ROLES
from sameboat.accounts.scoping import reaches
from sameboat.core.audit import Changes, audit
from sameboat.core.exceptions import PermissionDenied
from sameboat.core.notify import merge_key_for, notify, ref
from sameboat.health.models import CheckIn
from sameboat.health.services.alerts import low_reporting_rates
from sameboat.orgs.models import Employee, Organization
from sameboat.orgs.selectors import unit_officers


def missing_employees(*, day: datetime.date, organization: Organization | None = None) -> QuerySet[Employee]:
    """Active roster entries with no check-in for ``day`` (within a subtree if given)."""
    qs = Employee.objects.filter(is_active=True).exclude(
        Exists(CheckIn.objects.filter(employee=OuterRef("pk"), day=day))
    )
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    return qs.select_related("organization")


@transaction.atomic
def chase_run(
    *, actor: Any = None, day: datetime.date | None = None, organization: Organization | None = None
) -> dict[str, int]:
    """Remind everyone missing for the day, and each unit's officers with a summary; once the
    cut-off has passed, tell companies' managers of units under the reporting-rate target.

    Run twice on one day (the cut-off job and an officer's button), nobody is told twice:
    each message carries a merge key for its day and subject."""
    if actor is not None and (organization is None or not reaches(actor, organization, ROSTER_ROLES)):
        raise PermissionDenied(_("You may not send reminders for this organisation."))
    day = day or timezone.localdate()
    people = list(missing_employees(day=day, organization=organization))
    by_unit: dict[int, list[Employee]] = defaultdict(list)
    for employee in people:
        by_unit[employee.organization_id].append(employee)
    url = reverse("health:checkin")
    notify(
        event="health.checkin.reminder",
        recipients=[e.user for e in people if e.user_id],
        params={"day": day.isoformat()},
        url=url,
        merge_key=merge_key_for("health.checkin.reminder", "self", day),
    )
    officers_told = 0
    for employees in by_unit.values():
        unit = employees[0].organization
        officers = unit_officers(unit)
        officers_told += len(officers)
        notify(
            event="health.checkin.missing",
            recipients=officers,
            params={"n": len(employees), "unit": ref("orgs.organization", unit), "day": day.isoformat()},
            url=reverse("health:missing") + f"?org={unit.pk}&day={day.isoformat()}",
            organization=unit,
            merge_key=merge_key_for("health.checkin.missing", unit, day),
        )
    units_under_rate = low_reporting_rates(day=day, missing_by_unit=by_unit)
    summary = {
        "missing": len(people),
        "reminded": sum(1 for e in people if e.user_id),
        "units": len(by_unit),
        "officers": officers_told,
        "under_rate": units_under_rate,
    }
    audit(
        "health.chase.sent",
        organization,
        Changes(after={"day": day, **summary}),
        actor=actor,
        object_repr=str(organization) if organization else _("whole group"),
    )
    return summary
