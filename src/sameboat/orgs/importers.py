"""Spreadsheet imports of the employee roster and of organisations (background jobs).

Pass 1 streams the file and validates every row against small lookups (unit and region
codes, the keys already seen); nothing is written if a row is wrong, unless the person chose
to keep the valid rows. Pass 2 reads the file again and writes in batches inside one
transaction, matching on natural keys (employee number within the group, organisation
code), so importing the same file twice changes nothing.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import IO, Any

from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from treebeard.exceptions import InvalidMoveToDescendant, InvalidPosition, PathOverflow

from sameboat.accounts.roles import ADMIN_ROLES, ROSTER_ROLES
from sameboat.core.audit import audit_bulk, audit_record
from sameboat.core.imports import (
    Column,
    ErrorLog,
    Progress,
    RowError,
    check_email,
    check_length,
    choice_words,
    estimate_rows,
    parse_bool,
    records,
    summary,
)
from sameboat.core.jobs import JobContext, JobFailed, register_job
from sameboat.core.scoping import scope
from sameboat.orgs.models import STAFFED_KINDS, Employee, Organization, OrgKind, Region

BATCH = 2000
AUDIT_DETAIL_LIMIT = 1000  # codes named in the organisation import's audit event

EMPLOYEE_COLUMNS = (
    Column("employee_no", gettext_lazy("Employee number"), True, aliases=("工号", "员工编号", "员工号")),
    Column("name", gettext_lazy("Name"), True, aliases=("姓名",)),
    Column("name_en", gettext_lazy("Name (English)"), aliases=("英文名", "英文姓名", "Name in English")),
    Column(
        "unit",
        gettext_lazy("Unit code"),
        True,
        gettext_lazy("Code of the unit the person belongs to; it must be a unit you manage."),
        aliases=("单位代码", "单位编码", "Unit"),
    ),
    Column("title", gettext_lazy("Job title"), aliases=("职务", "岗位")),
    Column("phone", gettext_lazy("Phone"), aliases=("电话", "手机", "手机号")),
    Column("email", gettext_lazy("E-mail"), aliases=("邮箱", "电子邮箱", "电子邮件", "Email")),
    Column(
        "home_region",
        gettext_lazy("Home region code"),
        help=gettext_lazy("A region code known to Sameboat (see the Regions page)."),
        aliases=("居住地区代码", "常住地区代码", "地区代码"),
    ),
    Column(
        "active",
        gettext_lazy("On the roster"),
        help=gettext_lazy("yes or no; empty means yes."),
        aliases=("在册", "在职", "是否在册", "Active"),
    ),
)
ORG_COLUMNS = (
    Column("code", gettext_lazy("Code"), True, aliases=("代码", "编码", "机构代码")),
    Column("name_zh", gettext_lazy("Chinese name"), True, aliases=("中文名称", "中文名")),
    Column("name_en", gettext_lazy("English name"), True, aliases=("英文名称", "英文名")),
    Column("kind", gettext_lazy("Kind"), True, aliases=("类型", "机构类型")),
    Column(
        "parent",
        gettext_lazy("Parent code"),
        help=gettext_lazy(
            "Code of an organisation you manage, already in Sameboat or on a row above. Empty for an existing "
            "organisation keeps its place; a new tree root needs an administrator."
        ),
        aliases=("上级代码", "上级机构代码"),
    ),
    Column(
        "country",
        gettext_lazy("Country"),
        help=gettext_lazy("ISO 3166 two-letter code, e.g. CN, LK; empty means CN."),
        aliases=("国家", "国家代码"),
    ),
    Column("region", gettext_lazy("Region code"), aliases=("地区代码",)),
    Column("address", gettext_lazy("Address"), aliases=("地址",)),
    Column("contact_email", gettext_lazy("Contact e-mail"), aliases=("联系邮箱",)),
    Column("contact_phone", gettext_lazy("Contact phone"), aliases=("联系电话",)),
    Column("active", gettext_lazy("Active"), help=gettext_lazy("yes or no; empty means yes."), aliases=("启用",)),
)
EMPLOYEE_FIELDS = ("name", "name_en", "organization_id", "title", "phone", "email", "home_region_id", "is_active")
ORG_FIELDS = (
    "name_zh",
    "name_en",
    "kind",
    "country",
    "region_id",
    "address",
    "contact_email",
    "contact_phone",
    "is_active",
)


def _region_codes() -> dict[str, int]:
    return {c.lower(): pk for c, pk in Region.objects.values_list("code", "id")}


# --- Roster ----------------------------------------------------------------------------------------


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
            raise RowError("employee_no", _("The employee number is missing."))
        check_length(no, "employee_no", 40)
        if not row["name"]:
            raise RowError("name", _("The name is missing."))
        unit = self.units.get(row["unit"])
        if unit is None:
            raise RowError("unit", _("No unit %(code)s that you manage.") % {"code": row["unit"] or "—"})
        unit_id, root, kind = unit
        if kind not in STAFFED_KINDS:
            raise RowError("unit", _("%(code)s is not a unit with staff on the roster.") % {"code": row["unit"]})
        group_id = self.root_ids[root]
        if first_pass:
            seen = self.seen.setdefault(group_id, {})
            if no in seen:
                raise RowError("employee_no", _("Duplicate of row %(row)d.") % {"row": seen[no]})
        region_code = row.get("home_region", "")
        region = self.regions.get(region_code.lower()) if region_code else None
        if region_code and region is None:
            raise RowError("home_region", _("Unknown region code %(v)s.") % {"v": region_code})
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

    def check_existing(self, batch: list[tuple[int, int, str]], log: ErrorLog) -> None:
        """Refuse employee numbers already used by someone outside the importer's units
        (the import would otherwise move a person it may not manage)."""
        by_group: dict[int, dict[str, int]] = {}
        for number, group_id, no in batch:
            by_group.setdefault(group_id, {})[no] = number
        for group_id, numbers in by_group.items():
            taken = Employee.objects.filter(group_id=group_id, employee_no__in=list(numbers)).exclude(
                organization_id__in=self.manageable
            )
            for no in taken.values_list("employee_no", flat=True):
                log.add(
                    numbers[no],
                    "employee_no",
                    _("The employee number %(no)s is used by a person outside the units you manage.") % {"no": no},
                )


def validate_employees(
    *, path: Path, name: str, actor: Any, ctx: JobContext | None = None, spool: IO[str] | None = None
) -> tuple[int, ErrorLog, RosterRows]:
    """Pass 1: check every row, streaming; returns (rows read, errors, the checker).

    With ``spool``, each checked row's values go to it as a JSON line, for pass 2."""
    checker = RosterRows(actor)
    log = ErrorLog.for_columns(EMPLOYEE_COLUMNS)
    progress = Progress(ctx, estimate_rows(path, name))
    count = 0
    pending: list[tuple[int, int, str]] = []
    for number, row in records(path, name, EMPLOYEE_COLUMNS):
        count += 1
        try:
            group_id, no, values = checker.values(number, row)
        except RowError as exc:
            log.add(number, exc.column, exc.message)
        else:
            if spool is not None:
                spool.write(json.dumps([number, group_id, no, values], ensure_ascii=False) + "\n")
            pending.append((number, group_id, no))
            if len(pending) >= BATCH:
                checker.check_existing(pending, log)
                pending = []
        progress.row(count)
    checker.check_existing(pending, log)
    log.shown.sort(key=lambda e: e["row"])
    if count == 0:
        raise JobFailed(_("The file has a header but no rows."))
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
            # Today's health return counts the roster: follow it at once.
            from sameboat.health.services.rollup import returns_sync_headcount

            returns_sync_headcount(sorted(touched), timezone.localdate())
        counts.update(log.skipped_report())
        audit_record(
            actor=actor,
            action="orgs.import.employees",
            object_repr=name[:300],
            organization=ctx.job.organization if ctx else None,
            after={k: counts[k] for k in ("rows", "created", "updated", "unchanged", "skipped")} | {"file": name},
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
            raise JobFailed(
                _("The employee number %(no)s is used by a person outside the units you manage.") % {"no": no}
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
    # One prepared UPDATE by primary key run for many rows, setting only the columns that
    # changed: Django's bulk_update builds CASE expressions over every column, and
    # rewriting indexed columns that did not change made SQLite slower with every batch.
    meta = Employee._meta
    fields: list[Field[Any, Any]] = []
    for name in (*names, "updated_at"):
        field = meta.get_field(name)
        assert isinstance(field, Field)
        fields.append(field)
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    pk_column = str(meta.pk.column) if meta.pk else "id"
    sql = f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(pk_column)} = %s"  # noqa: S608 - model names
    params = [[f.get_db_prep_save(getattr(e, f.attname), connection) for f in fields] + [e.pk] for e in employees]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


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


class OrgRows:
    """Checks organisation rows: codes, kinds, parents the importer may manage, regions."""

    def __init__(self, actor: Any):
        self.actor = actor
        self.kinds = choice_words(OrgKind)
        self.regions = _region_codes()
        self.countries = {code for code, _name in countries}
        self.existing: dict[str, str] = dict(Organization.objects.values_list("code", "path"))
        self.manageable = set(
            scope(Organization.objects.all(), actor, via=None, roles=ADMIN_ROLES).values_list("code", flat=True)
        )
        self.superuser = bool(getattr(actor, "is_superuser", False))
        self.seen: dict[str, int] = {}  # valid rows: code → row
        self.bad: dict[str, int] = {}  # rows with errors: code → row

    def values(self, number: int, row: dict[str, str]) -> tuple[str, str, dict[str, Any]]:
        """(code, parent code, field values) or RowError naming the column."""
        code = row["code"]
        if not code:
            raise RowError("code", _("The code is missing."))
        self.bad.setdefault(code, number)  # until the row proves valid
        check_length(code, "code", 40)
        if code in self.seen:
            raise RowError("code", _("Duplicate of row %(row)d.") % {"row": self.seen[code]})
        if code in self.existing and code not in self.manageable:
            raise RowError("code", _("%(code)s exists and you may not change it.") % {"code": code})
        for key in ("name_zh", "name_en"):
            if not row[key]:
                raise RowError(key, _("This name is missing."))
        kind = self.kinds.get(row["kind"].lower())
        if kind is None:
            raise RowError(
                "kind",
                _("Unknown kind %(v)s. Use one of: %(choices)s.")
                % {"v": row["kind"] or "—", "choices": ", ".join(OrgKind.values)},
            )
        parent = row.get("parent", "")
        self._check_parent(code, parent)
        country = (row.get("country") or "CN").upper()
        if country not in self.countries:
            raise RowError("country", _("Unknown country code %(v)s (use ISO 3166, e.g. CN).") % {"v": country})
        region_code = row.get("region", "")
        region = self.regions.get(region_code.lower()) if region_code else None
        if region_code and region is None:
            raise RowError("region", _("Unknown region code %(v)s.") % {"v": region_code})
        values: dict[str, Any] = {
            "name_zh": check_length(row["name_zh"], "name_zh", 200),
            "name_en": check_length(row["name_en"], "name_en", 200),
            "kind": kind,
            "country": country,
            "region_id": region,
            "address": check_length(row.get("address", ""), "address", 300),
            "contact_email": check_length(
                check_email(row.get("contact_email", ""), "contact_email"), "contact_email", 254
            ),
            "contact_phone": check_length(row.get("contact_phone", ""), "contact_phone", 40),
            "is_active": parse_bool(row.get("active", ""), "active", default=True),
        }
        self.seen[code] = number
        if self.bad.get(code) == number:
            del self.bad[code]
        return code, parent, values

    def _check_parent(self, code: str, parent: str) -> None:
        if not parent:
            if code not in self.existing and not self.superuser:
                raise RowError("parent", _("Only an administrator may add a new tree root: give a parent code."))
            return
        if parent == code:
            raise RowError("parent", _("An organisation cannot be its own parent."))
        if parent in self.bad and parent not in self.seen:
            raise RowError(
                "parent", _("The parent %(code)s (row %(row)d) has errors.") % {"code": parent, "row": self.bad[parent]}
            )
        if parent not in self.seen and parent not in self.manageable:
            raise RowError(
                "parent",
                _("No organisation %(code)s that you manage (above this row or already in Sameboat).")
                % {"code": parent},
            )
        own_path = self.existing.get(code)
        parent_path = self.existing.get(parent)
        if own_path and parent_path and parent_path.startswith(own_path):
            raise RowError(
                "parent", _("%(code)s cannot be moved under itself or its own sub-organisation.") % {"code": code}
            )


def validate_organizations(
    *, path: Path, name: str, actor: Any, ctx: JobContext | None = None
) -> tuple[list[tuple[int, str, str, dict[str, Any]]], int, ErrorLog]:
    """Pass 1: check every row; returns (the valid rows in file order, rows read, errors).

    Organisation files are small (hundreds of rows), so the checked rows are kept."""
    checker = OrgRows(actor)
    log = ErrorLog.for_columns(ORG_COLUMNS)
    progress = Progress(ctx, estimate_rows(path, name), every=200)
    plan: list[tuple[int, str, str, dict[str, Any]]] = []
    count = 0
    for number, row in records(path, name, ORG_COLUMNS):
        count += 1
        try:
            code, parent, values = checker.values(number, row)
        except RowError as exc:
            log.add(number, exc.column, exc.message)
        else:
            plan.append((number, code, parent, values))
        progress.row(count)
    if count == 0:
        raise JobFailed(_("The file has a header but no rows."))
    return plan, count, log


def import_organizations(
    *, path: Path, name: str, actor: Any, keep_valid: bool = False, ctx: JobContext | None = None
) -> dict[str, Any]:
    """Validate all rows (parents before children), then create or update in file order."""
    plan, count, log = validate_organizations(path=path, name=name, actor=actor, ctx=ctx)
    log.fail_if_any(keep_valid=keep_valid)
    Progress(ctx, None).saving()
    counts: dict[str, Any] = {"rows": count, "created": 0, "updated": 0, "unchanged": 0}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    now = timezone.now()
    with transaction.atomic():
        for number, code, parent_code, values in plan:
            try:
                outcome = _write_organization(code, parent_code, values, before, after, now)
            except (InvalidMoveToDescendant, InvalidPosition, PathOverflow) as exc:
                raise JobFailed(
                    _("Row %(row)d could not be placed in the tree; nothing was imported.") % {"row": number},
                    errors=[{"row": number, "column": str(ORG_COLUMNS[4].label), "message": str(exc)}],
                ) from exc
            counts[outcome] += 1
        counts.update(log.skipped_report())
        detail = dict(list(after.items())[:AUDIT_DETAIL_LIMIT])
        audit_record(
            actor=actor,
            action="orgs.import.organizations",
            object_repr=name[:300],
            organization=ctx.job.organization if ctx else None,
            before={code: before[code] for code in detail if code in before},
            after={k: counts[k] for k in ("rows", "created", "updated", "unchanged", "skipped")}
            | {"file": name, "organizations": detail},
        )
    counts["summary"] = summary(counts)
    return counts


def _write_organization(
    code: str, parent_code: str, values: dict[str, Any], before: dict[str, Any], after: dict[str, Any], now: Any
) -> str:
    """Create, change or leave one organisation; returns which (created/updated/unchanged)."""
    # Fetched afresh for every row: inserting a sorted child rewrites sibling paths.
    parent = Organization.objects.get(code=parent_code) if parent_code else None
    org = Organization.objects.filter(code=code).first()
    if org is None:
        kwargs = {"code": code, **values}
        if parent is None:
            Organization.objects.add_root(create_kwargs=kwargs)
        else:
            Organization.objects.add_child(parent, create_kwargs=kwargs)
        after[code] = {"created": True, "parent": parent_code or None}
        return "created"
    diffs = {k: v for k, v in values.items() if getattr(org, k) != v}
    old = {k: str(getattr(org, k)) if k == "country" else getattr(org, k) for k in diffs}
    if diffs:
        Organization.objects.filter(pk=org.pk).update(**diffs, updated_at=now)
    if parent is not None:
        current = Organization.objects.get_parent(org)
        if current is None or current.pk != parent.pk:
            Organization.objects.move(org, parent, "sorted-child")
            old["parent"] = current.code if current else None
            diffs["parent"] = parent_code
    if not diffs:
        return "unchanged"
    before[code] = old
    after[code] = diffs
    return "updated"


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
