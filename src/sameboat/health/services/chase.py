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
from sameboat.core.audit import audit_record
from sameboat.core.exceptions import PermissionDenied
from sameboat.core.notify import notify, ref
from sameboat.health.models import CheckIn
from sameboat.health.services.followup import unit_officers
from sameboat.orgs.models import Employee, Organization


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
    """Remind everyone missing for the day, and each unit's officers with a summary."""
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
        )
    summary = {
        "missing": len(people),
        "reminded": sum(1 for e in people if e.user_id),
        "units": len(by_unit),
        "officers": officers_told,
    }
    audit_record(
        actor=actor,
        action="health.chase.sent",
        obj=organization,
        object_repr=str(organization) if organization else _("whole group"),
        after={"day": day, **summary},
    )
    return summary
