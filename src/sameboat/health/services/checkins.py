"""Submitting and editing daily check-ins."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.accounts.roles import HEALTH_VALUE_ROLES
from sameboat.accounts.scoping import reaches
from sameboat.api.idempotency import Receipt
from sameboat.core.audit import Changes, audit, audit_event
from sameboat.core.db import insert_unless_conflict
from sameboat.core.exceptions import DomainError
from sameboat.core.models import AuditEvent
from sameboat.core.throttle import throttle_hit
from sameboat.health import fastpath, selectors
from sameboat.health.models import (
    CHECKIN_VALUE_FIELDS,
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
VALUE_FIELDS = CHECKIN_VALUE_FIELDS


def may_report_for(actor: Any, employee: Employee) -> bool:
    """The person themselves, or an officer whose scope reaches their unit (the roles that
    read health values: the form shows the day's answers)."""
    if actor is None:
        return True
    if employee.user_id is not None and employee.user_id == getattr(actor, "pk", None):
        return True
    return reaches(actor, employee.organization, HEALTH_VALUE_ROLES)


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


def checkin_values(checkin: CheckIn) -> dict[str, Any]:
    """The values an edit may change, as a revision stores them."""
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
    employee: Employee | int,
    day: datetime.date,
    temperature: Any,
    region: Region,
    work_status: str,
    symptoms: list[str] | None = None,
    travelled: bool = False,
    contact: bool = False,
    commute_mode: str = CommuteMode.NONE,
    source: str = Source.WEB,
    receipt: Receipt | None = None,
    before_edit: Callable[[], None] | None = None,
) -> tuple[CheckIn, bool]:
    """File the day's check-in, or edit it if one exists; returns (check-in, created).

    ``employee`` is a roster entry or its id; one that does not exist and one outside the
    actor's scope get the same answer. A ``receipt`` (an API request's idempotency key) is
    stored with the answer in the same transaction as the check-in. ``before_edit`` runs
    only when the report edits an existing one, before anything is written: the pages and
    the API throttle edits with it (it raises), so a first report costs nothing extra.
    """
    temp, symptom_list = _clean(
        day=day, temperature=temperature, symptoms=symptoms, work_status=work_status, commute_mode=commute_mode
    )
    employee_id = employee if isinstance(employee, int) else employee.pk
    values = {
        "temperature": temp,
        "symptoms": symptom_list,
        "region": region,
        "travelled": bool(travelled),
        "contact": bool(contact),
        "work_status": work_status,
        "commute_mode": commute_mode,
    }
    # Read and refuse before the transaction: a refusal then leaves a caller's transaction
    # (a view re-rendering its form, the API's idempotency key) usable.
    fast = fastpath.enabled()
    read_subject = fastpath.checkin_subject if fast else selectors.checkin_subject
    subject = read_subject(actor=actor, employee_id=employee_id, day=day, region_id=region.pk)
    if subject is None or not subject.may_report:
        raise DomainError(
            _("No employee %(id)s in your scope.") % {"id": employee_id}, field="employee", code="out_of_scope"
        )
    person = subject.employee
    if not person.is_active:
        raise DomainError(_("This employee is not on the roster."), field="employee")
    if work_status == WorkStatus.ON_SITE and subject.in_quarantine:
        raise DomainError(
            _("This person is in quarantine on %(day)s and cannot report being on site.") % {"day": day},
            field="work_status",
            code="in_quarantine",
        )
    on_time = day == timezone.localdate() and timezone.localtime().time() <= cutoff_time()
    checkin = CheckIn(
        pk=subject.reserved_checkin_id,
        employee=person,
        organization_id=person.organization_id,
        day=day,
        source=source,
        on_time=on_time,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        **values,
    )
    event = audit_event("health.checkin.submitted", checkin, Changes(after={"day": day, "source": source}), actor=actor)
    delta = rollup.contribution(checkin, on_time=on_time)
    # Most reports are a healthy person where they were yesterday: nothing to follow up,
    # so the report, its count, its audit row and its idempotency key can be one statement.
    quiet = not checkin.needs_follow_up and not subject.elsewhere
    if fast and quiet and fastpath.checkin_file_quiet(checkin, delta, event, receipt):
        return checkin, True
    with transaction.atomic():
        # Inserting first saves a lookup on the common path, the day's first report; a
        # conflict means the person already reported that day (or a concurrent first
        # report won the insert), and this report becomes an edit of it.
        if _file_first(checkin, delta, event):
            result, created = checkin, True
            followup.after_checkin(actor=actor, checkin=checkin, elsewhere=subject.elsewhere)
        else:
            if before_edit is not None:
                before_edit()
            existing = CheckIn.objects.select_for_update().get(employee_id=person.pk, day=day)
            existing.employee = person
            if existing.organization_id == person.organization_id:
                existing.organization = person.organization
            result, created = _edit(actor=actor, checkin=existing, values=values, source=source), False
        if receipt is not None:
            receipt.store(result, created)
    return result, created


def _file_first(checkin: CheckIn, delta: dict[str, int], event: AuditEvent) -> bool:
    """Insert a first report, add it to its unit's return and append its audit event,
    inside the caller's transaction; False (nothing written) if the person has already
    reported that day."""
    if not insert_unless_conflict(checkin, ["employee", "day"]):
        return False
    rollup.returns_apply(checkin.organization_id, checkin.day, delta)
    event.object_id = str(checkin.pk)
    event.save(force_insert=True)
    return True


def _edit(*, actor: Any, checkin: CheckIn, values: dict[str, Any], source: str) -> CheckIn:
    before = checkin_values(checkin)
    old = rollup.contribution(checkin)
    for name, value in values.items():
        setattr(checkin, name, value)
    after = checkin_values(checkin)
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
    audit(
        "health.checkin.edited",
        checkin,
        Changes(after={"day": checkin.day, "fields": changed_fields, "revision": revision.pk}),
        actor=actor,
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


def checkin_file(
    *,
    actor: Any,
    employee: Employee | int,
    day: datetime.date,
    answers: Mapping[str, Any],
    source: str,
    receipt: Receipt | None = None,
) -> tuple[CheckIn, bool]:
    """File (or correct) a person's answers as the check-in page and the API take them
    (their form's or body's validated data); returns (check-in, created).

    A correction counts against the actor's edit throttle (core.throttle raises Throttled
    when it is used up); a first report costs nothing extra.
    """
    return checkin_submit(
        actor=actor,
        employee=employee,
        day=day,
        temperature=answers["temperature"],
        region=answers["region"],
        work_status=answers["work_status"],
        symptoms=answers["symptoms"],
        travelled=answers["travelled"],
        contact=answers["contact"],
        commute_mode=answers["commute_mode"],
        source=source,
        receipt=receipt,
        before_edit=lambda: throttle_hit("checkin_edit", f"user:{actor.pk}"),
    )
