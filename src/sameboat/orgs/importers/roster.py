"""The roster import: people matched on their employee number within the group."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from sameboat.accounts.roles import ROSTER_ROLES
from sameboat.accounts.scoping import scope
from sameboat.core.audit import Changes, audit, audit_bulk
from sameboat.core.db import bulk_update_rows
from sameboat.core.imports import (
    ErrorLog,
    Progress,
    RowError,
    check_email,
    check_length,
    estimate_rows,
    fail,
    parse_bool,
    records,
    summary,
)
from sameboat.core.jobs import JobContext, register_job
from sameboat.orgs.importers.common import (
    BATCH,
    EMPLOYEE_COLUMNS,
    EMPLOYEE_FIELDS,
    _region_codes,
)
from sameboat.orgs.models import STAFFED_KINDS, Employee, Organization
from sameboat.orgs.signals import roster_changed


class RosterRows:
    """Checks roster rows against the units the importer may manage and the known regions.

    Holds only small lookups (units, regions) and, for the duplicate check, one entry per
    employee number seen, so memory grows by a few dozen bytes a row, not by the row.
    """

    def __init__(self, actor: Any):
        steplen = Organization.steplen
        self.units: dict[str, tuple[int, str, str]] = {}  # code → (id, root path, kind)
        self.manageable: set[int] = set()  # every unit in scope, active or not
        in_scope = scope(Organization.objects.all(), actor, via=None, roles=ROSTER_ROLES)
        for code, pk, path, kind, active in in_scope.values_list("code", "id", "path", "kind", "is_active"):
            self.manageable.add(pk)
            if active:
                self.units[code] = (pk, path[:steplen], kind)
        roots = {root for _pk, root, _kind in self.units.values()}
        self.root_ids = dict(Organization.objects.filter(path__in=roots).values_list("path", "id"))
        self.regions = _region_codes()
        self.seen: dict[int, dict[str, int]] = {}  # group id → employee number → row

    def values(self, number: int, row: dict[str, str], *, first_pass: bool = True) -> tuple[int, str, dict[str, Any]]:
        """(group id, employee number, field values) or RowError naming the column."""
        no = row["employee_no"]
        if not no:
            raise RowError("employee_no", gettext_noop("The employee number is missing."))
        check_length(no, "employee_no", 40)
        if not row["name"]:
            raise RowError("name", gettext_noop("The name is missing."))
        unit = self.units.get(row["unit"])
        if unit is None:
            raise RowError("unit", gettext_noop("No unit %(code)s that you manage."), code=row["unit"] or "—")
        unit_id, root, kind = unit
        if kind not in STAFFED_KINDS:
            raise RowError("unit", gettext_noop("%(code)s is not a unit with staff on the roster."), code=row["unit"])
        group_id = self.root_ids[root]
        if first_pass:
            seen = self.seen.setdefault(group_id, {})
            if no in seen:
                raise RowError("employee_no", gettext_noop("Duplicate of row %(row)d."), row=seen[no])
        region_code = row.get("home_region", "")
        region = self.regions.get(region_code.lower()) if region_code else None
        if region_code and region is None:
            raise RowError("home_region", gettext_noop("Unknown region code %(v)s."), v=region_code)
        values = {
            "name": check_length(row["name"], "name", 100),
            "name_en": check_length(row.get("name_en", ""), "name_en", 100),
            "organization_id": unit_id,
            "title": check_length(row.get("title", ""), "title", 100),
            "phone": check_length(row.get("phone", ""), "phone", 40),
            "email": check_length(check_email(row.get("email", ""), "email"), "email", 254),
            "home_region_id": region,
            "is_active": parse_bool(row.get("active", ""), "active", default=True),
        }
        if first_pass:
            self.seen[group_id][no] = number
        return group_id, no, values

    def check_existing(self, batch: list[tuple[int, int, str, dict[str, str]]], log: ErrorLog) -> None:
        """Refuse employee numbers already used by someone outside the importer's units
        (the import would otherwise move a person it may not manage)."""
        by_group: dict[int, dict[str, tuple[int, dict[str, str]]]] = {}
        for number, group_id, no, row in batch:
            by_group.setdefault(group_id, {})[no] = (number, row)
        for group_id, numbers in by_group.items():
            taken = Employee.objects.filter(group_id=group_id, employee_no__in=list(numbers)).exclude(
                organization_id__in=self.manageable
            )
            for no in taken.values_list("employee_no", flat=True):
                number, row = numbers[no]
                log.add(
                    number,
                    RowError(
                        "employee_no",
                        gettext_noop("The employee number %(no)s is used by a person outside the units you manage."),
                        no=no,
                    ),
                    row,
                )


def validate_employees(
    *, path: Path, name: str, actor: Any, ctx: JobContext | None = None, spool: IO[str] | None = None
) -> tuple[int, ErrorLog, RosterRows]:
    """Pass 1: check every row, streaming; returns (rows read, errors, the checker).

    With ``spool``, each checked row's values go to it as a JSON line, for pass 2."""
    checker = RosterRows(actor)
    log = ErrorLog.for_columns(EMPLOYEE_COLUMNS, ctx)
    progress = Progress(ctx, estimate_rows(path, name))
    count = 0
    example = False
    pending: list[tuple[int, int, str, dict[str, str]]] = []
    for number, row in records(path, name, EMPLOYEE_COLUMNS):
        if row is None:
            example = True
            continue
        count += 1
        try:
            group_id, no, values = checker.values(number, row)
        except RowError as exc:
            log.add(number, exc, row)
        else:
            if spool is not None:
                spool.write(json.dumps([number, group_id, no, values], ensure_ascii=False) + "\n")
            pending.append((number, group_id, no, row))
            if len(pending) >= BATCH:
                checker.check_existing(pending, log)
                pending = []
        progress.row(count)
    checker.check_existing(pending, log)
    log.shown.sort(key=lambda e: e["row"])
    if count == 0 and not example:
        # The untouched template (only its example row) imports nothing, without an error.
        raise fail(gettext_noop("The file has a header but no rows."))
    return count, log, checker


def import_employees(
    *, path: Path, name: str, actor: Any, keep_valid: bool = False, ctx: JobContext | None = None
) -> dict[str, Any]:
    """Validate the whole roster file, then write it in one transaction.

    The file is read once, outside any transaction: the checked values wait in a spool
    file, so the write transaction (on SQLite, the database's one write lock) lasts only
    as long as the writing."""
    spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed below
    try:
        count, log, checker = validate_employees(path=path, name=name, actor=actor, ctx=ctx, spool=spool)
        log.fail_if_any(keep_valid=keep_valid)
    except BaseException:
        spool.close()
        raise
    checker.seen.clear()  # pass 2 needs no duplicate check: free it
    Progress(ctx, None).saving()
    counts: dict[str, Any] = {"rows": count, "created": 0, "updated": 0, "unchanged": 0}
    touched: set[int] = set()
    spool.seek(0)
    with spool, transaction.atomic():
        batch: list[tuple[int, str, dict[str, Any]]] = []
        for line in spool:
            number, group_id, no, values = json.loads(line)
            if number in log.bad_rows:
                continue
            batch.append((group_id, no, values))
            if len(batch) >= BATCH:
                _write_employees(batch, counts, touched, checker.manageable, actor=actor)
                batch = []
        _write_employees(batch, counts, touched, checker.manageable, actor=actor)
        if touched:
            roster_changed.send(sender=Employee, organization_ids=set(touched))
        counts.update(log.skipped_report())
        audit(
            "orgs.import.employees",
            None,
            Changes(
                after={k: counts[k] for k in ("rows", "created", "updated", "unchanged", "skipped")} | {"file": name}
            ),
            actor=actor,
            object_repr=name[:300],
            organization=ctx.job.organization if ctx else None,
        )
    counts["summary"] = summary(counts)
    return counts


def _write_employees(
    batch: list[tuple[int, str, dict[str, Any]]],
    counts: dict[str, Any],
    touched: set[int],
    manageable: set[int],
    *,
    actor: Any = None,
) -> None:
    if not batch:
        return
    groups = {group_id for group_id, _no, _v in batch}
    existing = {
        (e.group_id, e.employee_no): e
        for e in Employee.objects.filter(group_id__in=groups, employee_no__in=[no for _g, no, _v in batch])
    }
    now = timezone.now()
    new: list[Employee] = []
    changed: dict[tuple[str, ...], list[Employee]] = {}  # by the fields that changed
    old: dict[int, dict[str, Any]] = {}  # employee id → the changed fields' old values
    for group_id, no, values in batch:
        employee = existing.get((group_id, no))
        if employee is None:
            new.append(Employee(group_id=group_id, employee_no=no, **values))
            touched.add(values["organization_id"])
            continue
        if employee.organization_id not in manageable:
            # Pass 1 refused these; someone moved the person since. Write nothing.
            raise fail(
                gettext_noop("The employee number %(no)s is used by a person outside the units you manage."), no=no
            )
        fields = tuple(f for f in EMPLOYEE_FIELDS if getattr(employee, f) != values[f])
        if not fields:
            counts["unchanged"] += 1
            continue
        touched.update({employee.organization_id, values["organization_id"]})
        old[employee.pk] = {f: getattr(employee, f) for f in fields}
        for f in fields:
            setattr(employee, f, values[f])
        employee.updated_at = now  # a bulk update does not run auto_now
        changed.setdefault(fields, []).append(employee)
        counts["updated"] += 1
    Employee.objects.bulk_create(new)
    counts["created"] += len(new)
    for fields, employees in changed.items():
        _update_employees(employees, fields)
    _audit_people(actor, new, [e for employees in changed.values() for e in employees], old)


def _audit_people(actor: Any, new: list[Employee], updated: list[Employee], old: dict[int, dict[str, Any]]) -> None:
    """One event per person created, changed or taken off the roster: a bulk insert per
    kind of change, never a query per row."""
    audit_bulk(
        actor=actor,
        action="orgs.import.employee_created",
        objects=new,
        after=lambda e: {"employee_no": e.employee_no} | {f: getattr(e, f) for f in EMPLOYEE_FIELDS},
    )
    off = {e.pk for e in updated if old[e.pk].get("is_active") is True and not e.is_active}
    for action, people in (
        ("orgs.import.employee_deactivated", [e for e in updated if e.pk in off]),
        ("orgs.import.employee_updated", [e for e in updated if e.pk not in off]),
    ):
        audit_bulk(
            actor=actor,
            action=action,
            objects=people,
            before=lambda e: old[e.pk],
            after=lambda e: {f: getattr(e, f) for f in old[e.pk]},
        )


def _update_employees(employees: list[Employee], names: tuple[str, ...]) -> None:
    # Only the columns that changed (the callers group people by them): rewriting indexed
    # columns that did not change made SQLite slower with every batch.
    fields = [*names, "updated_at"]
    bulk_update_rows(Employee, fields, ([*(getattr(e, f) for f in fields), e.pk] for e in employees))


@register_job("orgs.import.employees", gettext_lazy("Roster import"))
def run_employee_import(ctx: JobContext) -> dict[str, Any]:
    """The job behind the roster import page."""
    job = ctx.job
    return import_employees(
        path=Path(job.input_file.path),
        name=job.input_name,
        actor=job.created_by,
        keep_valid=bool(job.options.get("keep_valid")),
        ctx=ctx,
    )
