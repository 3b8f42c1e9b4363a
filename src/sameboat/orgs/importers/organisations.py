"""The organisation import: organisations matched on their code, placed in the tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop
from django_countries import countries
from treebeard.exceptions import InvalidMoveToDescendant, InvalidPosition, PathOverflow

from sameboat.accounts.roles import ADMIN_ROLES
from sameboat.accounts.scoping import scope
from sameboat.core.audit import Changes, audit
from sameboat.core.import_text import row_error
from sameboat.core.imports import (
    ErrorLog,
    Progress,
    RowError,
    check_email,
    check_length,
    choice_words,
    estimate_rows,
    fail,
    parse_bool,
    records,
    summary,
)
from sameboat.core.jobs import JobContext, register_job
from sameboat.orgs.importers.common import (
    AUDIT_DETAIL_LIMIT,
    ORG_COLUMNS,
    _region_codes,
)
from sameboat.orgs.models import Organization, OrgKind


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
            raise RowError("code", gettext_noop("The code is missing."))
        self.bad.setdefault(code, number)  # until the row proves valid
        check_length(code, "code", 40)
        if code in self.seen:
            raise RowError("code", gettext_noop("Duplicate of row %(row)d."), row=self.seen[code])
        if code in self.existing and code not in self.manageable:
            raise RowError("code", gettext_noop("%(code)s exists and you may not change it."), code=code)
        for key in ("name_zh", "name_en"):
            if not row[key]:
                raise RowError(key, gettext_noop("This name is missing."))
        kind = self.kinds.get(row["kind"].lower())
        if kind is None:
            raise RowError(
                "kind",
                gettext_noop("Unknown kind %(v)s. Use one of: %(choices)s."),
                v=row["kind"] or "—",
                choices=", ".join(OrgKind.values),
            )
        parent = row.get("parent", "")
        self._check_parent(code, parent)
        country = (row.get("country") or "CN").upper()
        if country not in self.countries:
            raise RowError("country", gettext_noop("Unknown country code %(v)s (use ISO 3166, e.g. CN)."), v=country)
        region_code = row.get("region", "")
        region = self.regions.get(region_code.lower()) if region_code else None
        if region_code and region is None:
            raise RowError("region", gettext_noop("Unknown region code %(v)s."), v=region_code)
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
                raise RowError(
                    "parent", gettext_noop("Only an administrator may add a new tree root: give a parent code.")
                )
            return
        if parent == code:
            raise RowError("parent", gettext_noop("An organisation cannot be its own parent."))
        if parent in self.bad and parent not in self.seen:
            raise RowError(
                "parent",
                gettext_noop("The parent %(code)s (row %(row)d) has errors."),
                code=parent,
                row=self.bad[parent],
            )
        if parent not in self.seen and parent not in self.manageable:
            raise RowError(
                "parent",
                gettext_noop("No organisation %(code)s that you manage (above this row or already in Sameboat)."),
                code=parent,
            )
        own_path = self.existing.get(code)
        parent_path = self.existing.get(parent)
        if own_path and parent_path and parent_path.startswith(own_path):
            raise RowError(
                "parent", gettext_noop("%(code)s cannot be moved under itself or its own sub-organisation."), code=code
            )


def validate_organizations(
    *, path: Path, name: str, actor: Any, ctx: JobContext | None = None
) -> tuple[list[tuple[int, str, str, dict[str, Any]]], int, ErrorLog]:
    """Pass 1: check every row; returns (the valid rows in file order, rows read, errors).

    Organisation files are small (hundreds of rows), so the checked rows are kept."""
    checker = OrgRows(actor)
    log = ErrorLog.for_columns(ORG_COLUMNS, ctx)
    progress = Progress(ctx, estimate_rows(path, name), every=200)
    plan: list[tuple[int, str, str, dict[str, Any]]] = []
    count = 0
    example = False
    for number, row in records(path, name, ORG_COLUMNS):
        if row is None:
            example = True
            continue
        count += 1
        try:
            code, parent, values = checker.values(number, row)
        except RowError as exc:
            log.add(number, exc, row)
        else:
            plan.append((number, code, parent, values))
        progress.row(count)
    if count == 0 and not example:
        raise fail(gettext_noop("The file has a header but no rows."))
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
                raise fail(
                    gettext_noop("Row %(row)d could not be placed in the tree; nothing was imported."),
                    row=number,
                    errors=[row_error(number, "parent", "%(reason)s", {"reason": str(exc)})],
                ) from exc
            counts[outcome] += 1
        counts.update(log.skipped_report())
        detail = dict(list(after.items())[:AUDIT_DETAIL_LIMIT])
        audit(
            "orgs.import.organizations",
            None,
            Changes(
                before={code: before[code] for code in detail if code in before},
                after={k: counts[k] for k in ("rows", "created", "updated", "unchanged", "skipped")}
                | {"file": name, "organizations": detail},
            ),
            actor=actor,
            object_repr=name[:300],
            organization=ctx.job.organization if ctx else None,
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
