"""Submitting and editing daily check-ins."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.accounts.roles import HEALTH_VALUE_ROLES
from sameboat.accounts.scoping import reaches
from sameboat.api.idempotency import AlreadyAnswered, Receipt
from sameboat.core.audit import audit_event, audit_record
from sameboat.core.db import hot_cursor, insert_parts, insert_unless_conflict
from sameboat.core.exceptions import DomainError
from sameboat.core.models import AuditEvent
from sameboat.core.throttle import throttle_hit
from sameboat.health import selectors
from sameboat.health.models import (
    TEMPERATURE_MAX,
    TEMPERATURE_MIN,
    CheckIn,
    CheckInRevision,
    CommuteMode,
    DailyReturn,
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
    subject = selectors.checkin_subject(actor=actor, employee_id=employee_id, day=day, region_id=region.pk)
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
    event = audit_event(
        actor=actor,
        action="health.checkin.submitted",
        obj=checkin,
        organization=person.organization,
        object_repr=str(person),
        after={"day": day, "source": source},
    )
    delta = rollup.contribution(checkin, on_time=on_time)
    # Most reports are a healthy person where they were yesterday: nothing to follow up,
    # so the report, its count, its audit row and its idempotency key can be one statement.
    quiet = not checkin.needs_follow_up and not subject.elsewhere
    if quiet and _file_in_one_statement(checkin, delta, event, receipt):
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


def _file_in_one_statement(checkin: CheckIn, delta: dict[str, int], event: AuditEvent, receipt: Receipt | None) -> bool:
    """On PostgreSQL, file a quiet first report in one statement; False if it did not.

    The report (INSERT … ON CONFLICT DO NOTHING) and, only if it went in, its return's
    increment, its audit row and the request's idempotency key are data-modifying CTEs of
    one statement, which outside a transaction commits on its own: one round trip where
    BEGIN, four writes and COMMIT took six (bench/bench_checkin_api.py). Nothing is written
    (False) when the person already reported that day or the unit's return row for the
    day is not open yet; the caller then takes the transactional path. A key already
    stored fails the whole statement, and the request is answered from it.
    """
    increment = rollup.increment_sql(checkin.organization_id, checkin.day, delta)
    if connection.vendor != "postgresql" or checkin.pk is None or increment is None:
        return False
    inc_sql, inc_params = increment
    c_sql, c_params = _insert_select(checkin, {})
    a_sql, a_params = _insert_select(event, {"object_id": "CAST(c.id AS varchar)"})
    returns = DailyReturn._meta.db_table
    parts = [
        f"c AS ({c_sql} WHERE EXISTS (SELECT 1 FROM {returns} WHERE organization_id = %s AND day = %s)"  # noqa: S608
        " ON CONFLICT (employee_id, day) DO NOTHING RETURNING id)",
        f"r AS ({inc_sql} AND EXISTS (SELECT 1 FROM c))",  # noqa: S608
        f"a AS ({a_sql} FROM c)",
    ]
    params = [*c_params, checkin.organization_id, checkin.day, *inc_params, *a_params]
    if receipt is not None:
        k_sql, k_params = _insert_select(receipt.record(checkin, True), {})
        parts.append(f"k AS ({k_sql} FROM c)")
        params += k_params
    sql = f"WITH {', '.join(parts)} SELECT id FROM c"  # noqa: S608 - names from the models, values as parameters
    try:
        # Inside a caller's transaction (a test, a bulk job) a savepoint keeps a duplicate
        # key from breaking it; on its own the statement is its own transaction.
        with transaction.atomic() if connection.in_atomic_block else nullcontext(), hot_cursor(connection) as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    except IntegrityError as exc:
        if getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None) == "idempotency_key_unique":
            raise AlreadyAnswered from exc
        raise
    if row is None:
        if receipt is not None:
            receipt.answer = None
        return False
    checkin._state.adding = False
    checkin._state.db = connection.alias
    return True


def _insert_select(obj: Any, expressions: dict[str, str]) -> tuple[str, list[Any]]:
    """``INSERT INTO t (…) SELECT …`` of ``obj``'s values, each cast to its column's type
    (a SELECT list gives the database no column to infer a parameter's type from), with
    ``expressions`` replacing the values of the fields they name."""
    quote = connection.ops.quote_name
    fields = [f for f in obj._meta.concrete_fields if not (f.primary_key and obj.pk is None)]
    columns, values = insert_parts(obj, connection)
    exprs, params = [], []
    for field, value in zip(fields, values, strict=True):
        if field.attname in expressions:
            exprs.append(expressions[field.attname])
        else:
            exprs.append(f"CAST(%s AS {field.db_type(connection)})")
            params.append(value)
    sql = f"INSERT INTO {quote(obj._meta.db_table)} ({', '.join(columns)}) SELECT {', '.join(exprs)}"
    return sql, params


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
