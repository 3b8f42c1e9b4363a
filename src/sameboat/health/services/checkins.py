"""Submitting and editing daily check-ins."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.accounts.roles import ROSTER_ROLES
from sameboat.core.audit import audit_record
from sameboat.core.exceptions import DomainError
from sameboat.core.scoping import reaches
from sameboat.health.models import (
    TEMPERATURE_MAX,
    TEMPERATURE_MIN,
    CheckIn,
    CheckInRevision,
    CommuteMode,
    Source,
    Symptom,
    WorkStatus,
)
from sameboat.health.services import followup, rollup
from sameboat.orgs.models import Employee, Region

# How far back a check-in may be filed or corrected (today and the two days before).
MAX_DAYS_BACK = 2
VALUE_FIELDS = (
    "temperature",
    "symptoms",
    "region_id",
    "travelled",
    "contact",
    "work_status",
    "commute_mode",
)


def may_report_for(actor: Any, employee: Employee) -> bool:
    """The person themselves, or an officer whose scope reaches their unit."""
    if actor is None:
        return True
    if employee.user_id is not None and employee.user_id == getattr(actor, "pk", None):
        return True
    return reaches(actor, employee.organization, ROSTER_ROLES)


def cutoff_time() -> datetime.time:
    """The daily reporting cut-off (SAMEBOAT_CHECKIN_CUTOFF, local time, default 10:00)."""
    return settings.SAMEBOAT_CHECKIN_CUTOFF


def _clean(
    *,
    day: datetime.date,
    temperature: Any,
    symptoms: Any,
    work_status: str,
    commute_mode: str,
) -> tuple[Decimal, list[str]]:
    today = timezone.localdate()
    if day > today:
        raise DomainError(_("The date cannot be in the future."), field="day", code="invalid_day")
    if day < today - datetime.timedelta(days=MAX_DAYS_BACK):
        raise DomainError(
            _("A check-in can be filed at most %(n)d days back.") % {"n": MAX_DAYS_BACK},
            field="day",
            code="invalid_day",
        )
    try:
        temp = Decimal(str(temperature)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise DomainError(
            _("Enter the temperature as a number, such as 36.5."), field="temperature", code="invalid_temperature"
        ) from exc
    if not TEMPERATURE_MIN <= temp <= TEMPERATURE_MAX:
        raise DomainError(
            _("%(t)s °C is not a plausible body temperature (%(lo)s–%(hi)s °C).")
            % {"t": temp, "lo": TEMPERATURE_MIN, "hi": TEMPERATURE_MAX},
            field="temperature",
            code="invalid_temperature",
        )
    chosen = [s for s in (symptoms or []) if s and s != "none"]
    unknown = [s for s in chosen if s not in Symptom.values]
    if unknown:
        raise DomainError(_("Unknown symptom: %(s)s.") % {"s": ", ".join(unknown)}, field="symptoms")
    if work_status not in WorkStatus.values:
        raise DomainError(_("Choose a work status."), field="work_status")
    if commute_mode not in CommuteMode.values:
        raise DomainError(_("Choose a commute mode."), field="commute_mode")
    return temp, sorted(set(chosen))


def _values(checkin: CheckIn) -> dict[str, Any]:
    return {
        "temperature": str(checkin.temperature),
        "symptoms": list(checkin.symptoms),
        "region_id": checkin.region_id,
        "travelled": checkin.travelled,
        "contact": checkin.contact,
        "work_status": checkin.work_status,
        "commute_mode": checkin.commute_mode,
    }


def checkin_submit(
    *,
    actor: Any,
    employee: Employee,
    day: datetime.date,
    temperature: Any,
    region: Region,
    work_status: str,
    symptoms: list[str] | None = None,
    travelled: bool = False,
    contact: bool = False,
    commute_mode: str = CommuteMode.NONE,
    source: str = Source.WEB,
) -> tuple[CheckIn, bool]:
    """File the day's check-in, or edit it if one exists; returns (check-in, created)."""
    kwargs = {
        "actor": actor,
        "employee": employee,
        "day": day,
        "temperature": temperature,
        "region": region,
        "work_status": work_status,
        "symptoms": symptoms,
        "travelled": travelled,
        "contact": contact,
        "commute_mode": commute_mode,
        "source": source,
    }
    try:
        with transaction.atomic():
            return _submit_once(**kwargs, edit=False)
    except IntegrityError:
        # The person already reported that day (or a concurrent first report won the insert):
        # the unique constraint rolled this savepoint back, and the report becomes an edit.
        # Inserting first saves the lookup on the common path, the day's first report.
        with transaction.atomic():
            return _submit_once(**kwargs, edit=True)


def _submit_once(
    *,
    actor: Any,
    employee: Employee,
    day: datetime.date,
    temperature: Any,
    region: Region,
    work_status: str,
    symptoms: list[str] | None,
    travelled: bool,
    contact: bool,
    commute_mode: str,
    source: str,
    edit: bool,
) -> tuple[CheckIn, bool]:
    if not may_report_for(actor, employee):
        raise DomainError(_("You may not report for this employee."), field="employee", code="out_of_scope")
    if not employee.is_active:
        raise DomainError(_("This employee is not on the roster."), field="employee")
    temp, symptom_list = _clean(
        day=day, temperature=temperature, symptoms=symptoms, work_status=work_status, commute_mode=commute_mode
    )
    if work_status == WorkStatus.ON_SITE and followup.in_quarantine(employee=employee, day=day):
        raise DomainError(
            _("This person is in quarantine on %(day)s and cannot report being on site.") % {"day": day},
            field="work_status",
            code="in_quarantine",
        )
    values = {
        "temperature": temp,
        "symptoms": symptom_list,
        "region": region,
        "travelled": bool(travelled),
        "contact": bool(contact),
        "work_status": work_status,
        "commute_mode": commute_mode,
    }
    if edit:
        existing = CheckIn.objects.select_for_update().get(employee=employee, day=day)
        return _edit(actor=actor, checkin=existing, values=values, source=source), False
    on_time = day == timezone.localdate() and timezone.localtime().time() <= cutoff_time()
    checkin = CheckIn.objects.create(
        employee=employee,
        organization_id=employee.organization_id,
        day=day,
        source=source,
        on_time=on_time,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        **values,
    )
    rollup.returns_apply(checkin.organization_id, day, rollup.contribution(checkin, on_time=on_time))
    audit_record(
        actor=actor,
        action="health.checkin.submitted",
        obj=checkin,
        organization=employee.organization,
        object_repr=str(employee),
        after={"day": day, "source": source},
    )
    followup.after_checkin(actor=actor, checkin=checkin)
    return checkin, True


def _edit(*, actor: Any, checkin: CheckIn, values: dict[str, Any], source: str) -> CheckIn:
    before = _values(checkin)
    old = rollup.contribution(checkin)
    for name, value in values.items():
        setattr(checkin, name, value)
    after = _values(checkin)
    changed_fields = sorted(k for k in after if after[k] != before[k])
    if not changed_fields:
        return checkin
    checkin.source = source
    checkin.save()
    rollup.returns_apply(checkin.organization_id, checkin.day, rollup.difference(rollup.contribution(checkin), old))
    revision = CheckInRevision.objects.create(
        checkin=checkin, values=before, actor=actor if getattr(actor, "is_authenticated", False) else None
    )
    # The trail names the fields and the revision; the values stay in the revision, which
    # the retention purge removes with the check-in.
    audit_record(
        actor=actor,
        action="health.checkin.edited",
        obj=checkin,
        organization=checkin.organization,
        object_repr=str(checkin.employee),
        after={"day": checkin.day, "fields": changed_fields, "revision": revision.pk},
    )
    followup.after_checkin(actor=actor, checkin=checkin)
    return checkin


@transaction.atomic
def checkin_repeat_yesterday(*, actor: Any, employee: Employee) -> CheckIn:
    """One click for healthy staff: today's check-in with yesterday's answers."""
    today = timezone.localdate()
    yesterday = CheckIn.objects.filter(employee=employee, day=today - datetime.timedelta(days=1)).first()
    if yesterday is None:
        raise DomainError(_("There is no check-in from yesterday to repeat."), code="no_yesterday")
    if yesterday.needs_follow_up:
        raise DomainError(
            _("Yesterday's check-in reported a fever, symptoms or contact: please fill in today's answers."),
            code="not_healthy",
        )
    checkin, _created = checkin_submit(
        actor=actor,
        employee=employee,
        day=today,
        temperature=yesterday.temperature,
        region=yesterday.region,
        work_status=yesterday.work_status,
        symptoms=[],
        travelled=yesterday.travelled,
        contact=False,
        commute_mode=yesterday.commute_mode,
        source=Source.REPEAT,
    )
    return checkin
