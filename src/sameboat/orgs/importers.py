"""Spreadsheet imports of the employee roster and of organisations (background jobs).

Pass 1 streams the file and validates every row against small lookups (unit and region
codes, the keys already seen); nothing is written if a row is wrong, unless the person chose
to keep the valid rows. Pass 2 reads the file again and writes in batches inside one
transaction, matching on natural keys (employee number within the group, organisation
code), so importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from sameboat.accounts.roles import ADMIN_ROLES, ROSTER_ROLES
from sameboat.core.audit import audit_record
from sameboat.core.imports import (
    Column,
    ErrorLog,
    RowError,
    cells,
    choice_words,
    iter_rows,
    match_header,
    parse_bool,
)
from sameboat.core.jobs import JobContext, JobFailed, register_job
from sameboat.core.scoping import scope
from sameboat.orgs.models import Employee, Organization, OrgKind, Region

BATCH = 2000

EMPLOYEE_COLUMNS = (
    Column("employee_no", gettext_lazy("Employee number"), True),
    Column("name", gettext_lazy("Name"), True),
    Column("name_en", gettext_lazy("Name (English)")),
    Column("unit", gettext_lazy("Unit code"), True, gettext_lazy("Code of the unit the person belongs to.")),
    Column("title", gettext_lazy("Job title")),
    Column("phone", gettext_lazy("Phone")),
    Column("email", gettext_lazy("E-mail")),
    Column("home_region", gettext_lazy("Home region code")),
    Column("active", gettext_lazy("On the roster"), help=gettext_lazy("yes or no; empty means yes.")),
)
ORG_COLUMNS = (
    Column("code", gettext_lazy("Code"), True),
    Column("name_zh", gettext_lazy("Chinese name"), True),
    Column("name_en", gettext_lazy("English name"), True),
    Column("kind", gettext_lazy("Kind"), True, gettext_lazy("group, company, unit, department, overseas_office…")),
    Column("parent", gettext_lazy("Parent code"), help=gettext_lazy("Empty only for a new tree root.")),
    Column("country", gettext_lazy("Country"), help=gettext_lazy("ISO 3166 code, e.g. CN, LK.")),
    Column("region", gettext_lazy("Region code")),
    Column("address", gettext_lazy("Address")),
    Column("contact_email", gettext_lazy("Contact e-mail")),
    Column("contact_phone", gettext_lazy("Contact phone")),
    Column("active", gettext_lazy("Active"), help=gettext_lazy("yes or no; empty means yes.")),
)
EMPLOYEE_FIELDS = ("name", "name_en", "organization_id", "title", "phone", "email", "home_region_id", "is_active")


def _rows(path: Path, name: str, columns: tuple[Column, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    rows = iter_rows(path, name)
    at = match_header(next(rows, None), columns)
    width = max(at.values()) + 1
    for number, raw in enumerate(rows, start=2):
        if any(v.strip() for v in raw):
            yield number, cells(raw, at, width)


def _email(value: str, column: str) -> str:
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise RowError(column, _("%(v)s is not an e-mail address.") % {"v": value}) from None
    return value


# --- Roster ----------------------------------------------------------------------------------------


class RosterRows:
    """Checks roster rows against the units the importer may manage and the known regions."""

    def __init__(self, actor: Any):
        units = scope(Organization.objects.filter(is_active=True), actor, via=None, roles=ROSTER_ROLES)
        self.units = {code: (pk, path) for code, pk, path in units.values_list("code", "id", "path")}
        self.roots = {p[: Organization.steplen] for _pk, p in self.units.values()}
        self.root_ids = dict(Organization.objects.filter(path__in=self.roots).values_list("path", "id"))
        self.regions = {c.lower(): pk for c, pk in Region.objects.values_list("code", "id")}
        self.seen: dict[tuple[int, str], int] = {}

    def values(self, number: int, row: dict[str, str]) -> tuple[tuple[int, str], dict[str, Any]]:
        """((group id, employee number), field values) or RowError."""
        no = row["employee_no"]
        if not no:
            raise RowError("employee_no", _("The employee number is missing."))
        if len(no) > 40:
            raise RowError("employee_no", _("The employee number is longer than 40 characters."))
        if not row["name"]:
            raise RowError("name", _("The name is missing."))
        unit = self.units.get(row["unit"])
        if unit is None:
            raise RowError("unit", _("No unit %(code)s that you manage.") % {"code": row["unit"] or "—"})
        unit_id, path = unit
        group_id = self.root_ids[path[: Organization.steplen]]
        key = (group_id, no)
        if key in self.seen:
            raise RowError("employee_no", _("Duplicate of row %(row)d.") % {"row": self.seen[key]})
        region_code = row.get("home_region", "")
        region = self.regions.get(region_code.lower()) if region_code else None
        if region_code and region is None:
            raise RowError("home_region", _("Unknown region code %(v)s.") % {"v": region_code})
        values = {
            "name": row["name"][:100],
            "name_en": row.get("name_en", "")[:100],
            "organization_id": unit_id,
            "title": row.get("title", "")[:100],
            "phone": row.get("phone", "")[:40],
            "email": _email(row.get("email", ""), "email"),
            "home_region_id": region,
            "is_active": parse_bool(row.get("active", ""), "active", default=True),
        }
        self.seen[key] = number
        return key, values


def import_employees(
    *, path: Path, name: str, actor: Any, keep_valid: bool = False, ctx: JobContext | None = None
) -> dict[str, Any]:
    """Validate the whole roster file, then write it in one transaction."""
    checker = RosterRows(actor)
    log = ErrorLog(labels={c.key: str(c.label) for c in EMPLOYEE_COLUMNS})
    count = 0
    size = max(1, path.stat().st_size)
    for number, row in _rows(path, name, EMPLOYEE_COLUMNS):
        count += 1
        try:
            checker.values(number, row)
        except RowError as exc:
            log.add(number, exc.column, exc.message)
        if ctx is not None and count % 2000 == 0:
            ctx.progress(min(80, 80 * count * 90 / size), _("Checking row %(n)s") % {"n": f"{count:,}"})
    if count == 0:
        raise JobFailed(_("The file has a header but no rows."))
    log.fail_if_any(keep_valid=keep_valid)
    if ctx is not None:
        ctx.progress(80, _("Saving…"), force=True)
    # Pass 2: the file again, in batches; nothing is kept in memory but one batch.
    counts: dict[str, Any] = {"rows": count, "created": 0, "updated": 0, "unchanged": 0, "skipped": len(log.bad_rows)}
    touched: set[int] = set()
    again = RosterRows(actor)
    with transaction.atomic():
        batch: list[tuple[tuple[int, str], dict[str, Any]]] = []
        for number, row in _rows(path, name, EMPLOYEE_COLUMNS):
            if number in log.bad_rows:
                continue
            batch.append(again.values(number, row))
            if len(batch) >= BATCH:
                _write_employees(batch, counts, touched)
                batch = []
        _write_employees(batch, counts, touched)
        if touched:
            from sameboat.health.services.rollup import returns_sync_headcount

            returns_sync_headcount(touched, timezone.localdate())
        audit_record(
            actor=actor,
            action="orgs.import.employees",
            object_repr=name[:300],
            organization=ctx.job.organization if ctx else None,
            after=counts,
        )
    counts["summary"] = _("%(created)s added, %(updated)s changed, %(unchanged)s unchanged.") % counts
    return counts


def _write_employees(
    batch: list[tuple[tuple[int, str], dict[str, Any]]], counts: dict[str, int], touched: set[int]
) -> None:
    if not batch:
        return
    groups = {g for (g, _no), _v in batch}
    existing = {
        (e.group_id, e.employee_no): e
        for e in Employee.objects.filter(group_id__in=groups, employee_no__in=[no for (_g, no), _v in batch])
    }
    new, changed = [], []
    for (group_id, no), values in batch:
        employee = existing.get((group_id, no))
        if employee is None:
            new.append(Employee(group_id=group_id, employee_no=no, **values))
            touched.add(values["organization_id"])
            continue
        if all(getattr(employee, f) == values[f] for f in EMPLOYEE_FIELDS):
            counts["unchanged"] += 1
            continue
        touched.update({employee.organization_id, values["organization_id"]})
        for f in EMPLOYEE_FIELDS:
            setattr(employee, f, values[f])
        changed.append(employee)
    Employee.objects.bulk_create(new)
    if changed:
        Employee.objects.bulk_update(changed, [*EMPLOYEE_FIELDS, "updated_at"])
    counts["created"] += len(new)
    counts["updated"] += len(changed)


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


# --- Organisations ---------------------------------------------------------------------------------


def import_organizations(
    *, path: Path, name: str, actor: Any, keep_valid: bool = False, ctx: JobContext | None = None
) -> dict[str, Any]:
    """Validate all rows (parents before children), then create or update in file order."""
    from sameboat.orgs.services import organization_create, organization_move, organization_update

    kinds = choice_words(OrgKind)
    regions = {c.lower(): pk for c, pk in Region.objects.values_list("code", "id")}
    manageable = set(
        scope(Organization.objects.all(), actor, via=None, roles=ADMIN_ROLES).values_list("code", flat=True)
    )
    known = set(Organization.objects.values_list("code", flat=True))
    log = ErrorLog(labels={c.key: str(c.label) for c in ORG_COLUMNS})
    seen: dict[str, int] = {}
    plan: list[tuple[int, str, str, dict[str, Any]]] = []  # orgs files are small: keep the plan
    for number, row in _rows(path, name, ORG_COLUMNS):
        try:
            code = row["code"]
            if not code or len(code) > 40:
                raise RowError("code", _("Give a code of 1 to 40 characters."))
            if code in seen:
                raise RowError("code", _("Duplicate of row %(row)d.") % {"row": seen[code]})
            if code in known and code not in manageable:
                raise RowError("code", _("%(code)s exists and you may not change it.") % {"code": code})
            for key in ("name_zh", "name_en"):
                if not row[key]:
                    raise RowError(key, _("This name is missing."))
            kind = kinds.get(row["kind"].lower())
            if kind is None:
                raise RowError("kind", _("Unknown kind %(v)s.") % {"v": row["kind"] or "—"})
            parent = row.get("parent", "")
            if parent and parent not in seen and parent not in manageable:
                raise RowError(
                    "parent",
                    _("No organisation %(code)s that you manage (above this row or already in Sameboat).")
                    % {"code": parent},
                )
            if not parent and code not in known and not getattr(actor, "is_superuser", False):
                raise RowError("parent", _("Only an administrator may add a new tree root: give a parent code."))
            country = (row.get("country") or "CN").upper()
            if country not in dict(countries):
                raise RowError("country", _("Unknown country code %(v)s.") % {"v": country})
            region_code = row.get("region", "")
            region = regions.get(region_code.lower()) if region_code else None
            if region_code and region is None:
                raise RowError("region", _("Unknown region code %(v)s.") % {"v": region_code})
            values: dict[str, Any] = {
                "name_zh": row["name_zh"][:200],
                "name_en": row["name_en"][:200],
                "kind": kind,
                "country": country,
                "region_id": region,
                "address": row.get("address", "")[:300],
                "contact_email": _email(row.get("contact_email", ""), "contact_email"),
                "contact_phone": row.get("contact_phone", "")[:40],
                "is_active": parse_bool(row.get("active", ""), "active", default=True),
            }
        except RowError as exc:
            log.add(number, exc.column, exc.message)
            continue
        seen[code] = number
        plan.append((number, code, parent, values))
    if not plan and not log.count:
        raise JobFailed(_("The file has a header but no rows."))
    log.fail_if_any(keep_valid=keep_valid)
    if ctx is not None:
        ctx.progress(80, _("Saving…"), force=True)
    counts: dict[str, Any] = {
        "rows": len(plan) + log.count,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "skipped": log.count,
    }
    with transaction.atomic():
        for _number, code, parent_code, values in plan:
            parent_org = Organization.objects.get(code=parent_code) if parent_code else None
            org = Organization.objects.filter(code=code).first()
            if org is None:
                organization_create(actor=actor, parent=parent_org, code=code, **values)
                counts["created"] += 1
                continue
            current_parent = Organization.objects.get_parent(org)
            differs = {k: v for k, v in values.items() if getattr(org, k) != v}
            if differs:
                organization_update(actor=actor, organization=org, **differs)
            if parent_org is not None and (current_parent is None or current_parent.pk != parent_org.pk):
                organization_move(actor=actor, organization=Organization.objects.get(pk=org.pk), new_parent=parent_org)
                differs["parent"] = parent_code
            counts["updated" if differs else "unchanged"] += 1
        audit_record(
            actor=actor,
            action="orgs.import.organizations",
            object_repr=name[:300],
            organization=ctx.job.organization if ctx else None,
            after=counts,
        )
    counts["summary"] = _("%(created)s added, %(updated)s changed, %(unchanged)s unchanged.") % counts
    return counts


@register_job("orgs.import.organizations", gettext_lazy("Organisation import"))
def run_organization_import(ctx: JobContext) -> dict[str, Any]:
    """The job behind the organisation import page."""
    job = ctx.job
    return import_organizations(
        path=Path(job.input_file.path),
        name=job.input_name,
        actor=job.created_by,
        keep_valid=bool(job.options.get("keep_valid")),
        ctx=ctx,
    )
